import { Field, Int, ObjectType } from 'type-graphql';
import { DecimalScalar } from '../../core/graphql/scalars';
import { Entity, Index } from 'typeorm';
import { IdColumn, MoneyColumn, VersionedRecord } from '../../core/db/columns';

/** A project's planned investment for one calendar year. */
@ObjectType({ description: "A project's planned investment for one year." })
@Entity('project_annual_plans')
@Index(['projectId', 'year'], { unique: true })
export class ProjectAnnualPlan extends VersionedRecord {
  @IdColumn()
  projectId: number;

  @Field(() => Int)
  @IdColumn()
  year: number;

  @Field(() => DecimalScalar, { description: '万元' })
  @MoneyColumn()
  plannedInvestment: string;

  @Index()
  @IdColumn()
  territoryId: number;

  @Index()
  @IdColumn()
  enterpriseId: number;
}
