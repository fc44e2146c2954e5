import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DecimalRange, MonthRange, RecordChangeInput, TransitionInput } from '../../core/graphql/common-inputs';
import { PageArgs } from '../../core/graphql/connection';
import { Order, OrderInput } from '../../core/graphql/ordering';
import { DecimalScalar, MonthScalar } from '../../core/graphql/scalars';
import {
  ConstructionNature, ConstructionStage, KeyLevel, LibraryStatus, Project, Technique, TechniqueEnum,
} from './project.entity';

@InputType({ description: 'All given conditions must hold; list values match any of the list.' })
export class ProjectFilter {
  @Field(() => ID, { nullable: true, description: 'Territory: this unit and every unit below it.' })
  territoryId?: string | null;

  @Field(() => ID, { nullable: true })
  parkId?: string | null;

  @Field(() => ID, { nullable: true })
  enterpriseId?: string | null;

  @Field(() => String, { nullable: true, description: 'Industry code prefix, e.g. "C26".' })
  industryCodePrefix?: string | null;

  @Field(() => [ConstructionStage], { nullable: true })
  stages?: ConstructionStage[] | null;

  @Field(() => [LibraryStatus], { nullable: true })
  libraryStatuses?: LibraryStatus[] | null;

  @Field(() => [KeyLevel], { nullable: true })
  keyLevels?: KeyLevel[] | null;

  @Field(() => String, { nullable: true })
  reserveBatch?: string | null;

  @Field(() => [ConstructionNature], { nullable: true })
  constructionNatures?: ConstructionNature[] | null;

  @Field(() => [TechniqueEnum], { nullable: true, description: 'Uses any of these techniques.' })
  techniques?: Technique[] | null;

  @Field(() => DecimalRange, { nullable: true })
  totalInvestment?: DecimalRange | null;

  @Field(() => DecimalRange, { nullable: true })
  equipmentInvestment?: DecimalRange | null;

  @Field(() => MonthRange, { nullable: true })
  plannedStart?: MonthRange | null;

  @Field(() => MonthRange, { nullable: true })
  plannedCompletion?: MonthRange | null;

  @Field(() => MonthRange, { nullable: true })
  actualStart?: MonthRange | null;

  @Field(() => Boolean, { nullable: true, description: 'Registered by the statistics bureau (纳统) or not.' })
  statsRegistered?: boolean | null;

  @Field(() => String, { nullable: true, description: "Name contains, project code starts with, or the enterprise's credit code starts with." })
  search?: string | null;
}

export enum ProjectOrderField {
  ID = 'ID',
  NAME = 'NAME',
  TOTAL_INVESTMENT = 'TOTAL_INVESTMENT',
  PLANNED_START = 'PLANNED_START',
}
registerEnumType(ProjectOrderField, { name: 'ProjectOrderField' });

export const ProjectOrder = OrderInput<ProjectOrderField>('ProjectOrder', ProjectOrderField);
export type ProjectOrder = Order<ProjectOrderField>;

@ArgsType()
export class ProjectsArgs extends PageArgs {
  @Field(() => ProjectFilter, { nullable: true })
  filter?: ProjectFilter | null;

  @Field(() => ProjectOrder, { nullable: true, description: 'Default: by id. Ties are broken by id.' })
  orderBy?: ProjectOrder | null;
}

@InputType()
export class AnnualPlanInput {
  @Field(() => Int)
  year: number;

  @Field(() => DecimalScalar, { description: '万元' })
  plannedInvestment: string;
}

@InputType()
export class CreateProjectInput {
  @Field(() => ID)
  enterpriseId: string;

  @Field(() => String)
  name: string;

  @Field(() => String, { nullable: true })
  projectCode?: string | null;

  @Field(() => ID, { nullable: true, description: "Defaults to the enterprise's territory." })
  territoryId?: string | null;

  @Field(() => ID, { nullable: true })
  parkId?: string | null;

  @Field(() => String, { nullable: true })
  site?: string | null;

  @Field(() => String, { nullable: true, description: "Defaults to the enterprise's industry code." })
  industryCode?: string | null;

  @Field(() => ConstructionNature)
  constructionNature: ConstructionNature;

  @Field(() => [TechniqueEnum], { nullable: true })
  techniques?: Technique[] | null;

  @Field(() => String, { nullable: true })
  content?: string | null;

  @Field(() => DecimalScalar, { description: '万元' })
  totalInvestment: string;

  @Field(() => DecimalScalar, { description: '万元; not more than the total.' })
  equipmentInvestment: string;

  @Field(() => MonthScalar)
  plannedStart: string;

  @Field(() => MonthScalar)
  plannedCompletion: string;

  @Field(() => String, { nullable: true })
  reserveBatch?: string | null;

  @Field(() => [AnnualPlanInput], { nullable: true })
  annualPlans?: AnnualPlanInput[] | null;
}

@InputType({ description: 'Fields left out are not changed. Some fields may be set only by some roles (e.g. keyLevel by 发改委).' })
export class UpdateProjectInput extends RecordChangeInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true })
  projectCode?: string | null;

  @Field(() => ID, { nullable: true, description: 'Moving a project moves its reports, applications and land requests with it.' })
  territoryId?: string | null;

  @Field(() => ID, { nullable: true })
  parkId?: string | null;

  @Field(() => String, { nullable: true })
  site?: string | null;

  @Field(() => String, { nullable: true })
  industryCode?: string | null;

  @Field(() => ConstructionNature, { nullable: true })
  constructionNature?: ConstructionNature | null;

  @Field(() => [TechniqueEnum], { nullable: true })
  techniques?: Technique[] | null;

  @Field(() => String, { nullable: true })
  content?: string | null;

  @Field(() => DecimalScalar, { nullable: true })
  totalInvestment?: string | null;

  @Field(() => DecimalScalar, { nullable: true })
  equipmentInvestment?: string | null;

  @Field(() => MonthScalar, { nullable: true })
  plannedStart?: string | null;

  @Field(() => MonthScalar, { nullable: true })
  plannedCompletion?: string | null;

  @Field(() => KeyLevel, { nullable: true })
  keyLevel?: KeyLevel | null;

  @Field(() => String, { nullable: true })
  reserveBatch?: string | null;
}

@InputType()
export class ProjectStageInput extends TransitionInput {
  @Field(() => MonthScalar, { nullable: true, description: 'Required to start construction unless already recorded.' })
  actualStart?: string | null;

  @Field(() => MonthScalar, { nullable: true, description: 'Required to complete construction unless already recorded.' })
  actualCompletion?: string | null;
}

@InputType()
export class ProjectStatsInput extends RecordChangeInput {
}

@ObjectType()
export class ProjectPayload {
  @Field(() => Project)
  project: Project;
}
