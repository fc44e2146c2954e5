import { ArgsType, Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { DecimalRange, ProjectRecordFilter, RecordChangeInput, TransitionInput } from '../../core/graphql/common-inputs';
import { PageArgs } from '../../core/graphql/connection';
import { Order, OrderInput } from '../../core/graphql/ordering';
import { DecimalScalar, MonthScalar } from '../../core/graphql/scalars';
import { FarmlandType, LandRequest, LandRequestStatus, PlanConformity, SupplyMethod } from './land-request.entity';

@InputType({ description: 'All given conditions must hold; list values match any of the list. Deal prices are never filters.' })
export class LandRequestFilter extends ProjectRecordFilter {
  @Field(() => [LandRequestStatus], { nullable: true })
  statuses?: LandRequestStatus[] | null;

  @Field(() => [SupplyMethod], { nullable: true })
  supplyMethods?: SupplyMethod[] | null;

  @Field(() => [FarmlandType], { nullable: true })
  farmlandTypes?: FarmlandType[] | null;

  @Field(() => DecimalRange, { nullable: true, description: 'Area in 亩.' })
  areaMu?: DecimalRange | null;
}

export enum LandRequestOrderField {
  ID = 'ID',
  AREA = 'AREA',
}
registerEnumType(LandRequestOrderField, { name: 'LandRequestOrderField' });

export const LandRequestOrder = OrderInput<LandRequestOrderField>('LandRequestOrder', LandRequestOrderField);
export type LandRequestOrder = Order<LandRequestOrderField>;

@ArgsType()
export class LandRequestsArgs extends PageArgs {
  @Field(() => LandRequestFilter, { nullable: true })
  filter?: LandRequestFilter | null;

  @Field(() => LandRequestOrder, { nullable: true, description: 'Default: by id. Ties are broken by id.' })
  orderBy?: LandRequestOrder | null;
}

@InputType({ description: "Draft a land request (DRAFT) for a project (county or park). Scope keys follow the project's." })
export class CreateLandRequestInput {
  @Field(() => ID)
  projectId: string;

  @Field(() => DecimalScalar, { description: 'Area in 亩 (15 亩 = 1 ha), more than 0, 2 decimal places.' })
  areaMu: string;

  @Field(() => String, { description: 'Land use class, e.g. 工业用地（二类）.' })
  landUse: string;

  @Field(() => String)
  location: string;

  @Field(() => String, { nullable: true })
  plotNo?: string | null;

  @Field(() => PlanConformity)
  planConformity: PlanConformity;

  @Field(() => FarmlandType)
  farmlandType: FarmlandType;

  @Field(() => SupplyMethod)
  supplyMethod: SupplyMethod;

  @Field(() => DecimalScalar, { nullable: true, description: 'Standard-land indicator: fixed-asset investment, 万元 per 亩.' })
  investmentIntensity?: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Standard-land indicator: tax, 万元 per 亩 per year.' })
  taxPerMu?: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Standard-land indicator: plot ratio (容积率), 2 decimal places.' })
  plotRatio?: string | null;

  @Field(() => MonthScalar, { nullable: true, description: 'When the land is needed.' })
  expectedDate?: string | null;
}

@InputType({ description: 'Change a DRAFT request. Fields left out are not changed; null clears an optional one.' })
export class UpdateLandRequestInput extends RecordChangeInput {
  @Field(() => DecimalScalar, { nullable: true })
  areaMu?: string | null;

  @Field(() => String, { nullable: true })
  landUse?: string | null;

  @Field(() => String, { nullable: true })
  location?: string | null;

  @Field(() => String, { nullable: true })
  plotNo?: string | null;

  @Field(() => PlanConformity, { nullable: true })
  planConformity?: PlanConformity | null;

  @Field(() => FarmlandType, { nullable: true })
  farmlandType?: FarmlandType | null;

  @Field(() => SupplyMethod, { nullable: true })
  supplyMethod?: SupplyMethod | null;

  @Field(() => DecimalScalar, { nullable: true })
  investmentIntensity?: string | null;

  @Field(() => DecimalScalar, { nullable: true })
  taxPerMu?: string | null;

  @Field(() => DecimalScalar, { nullable: true })
  plotRatio?: string | null;

  @Field(() => MonthScalar, { nullable: true })
  expectedDate?: string | null;
}

@InputType()
export class ListLandRequestInput extends TransitionInput {
  @Field(() => String, { nullable: true, description: 'The plot number (宗地编号); required unless already recorded.' })
  plotNo?: string | null;
}

@InputType()
export class TransactLandRequestInput extends TransitionInput {
  @Field(() => DecimalScalar, { description: 'The deal price, 万元 (more than 0).' })
  dealPrice: string;
}

@InputType()
export class ContractLandRequestInput extends TransitionInput {
  @Field(() => String, { description: 'The transfer contract number.' })
  contractNo: string;
}

@InputType()
export class DeliverLandRequestInput extends TransitionInput {
  @Field(() => String, { nullable: true, description: 'The day the land was handed over, "YYYY-MM-DD", not in the future; defaults to today.' })
  deliveredOn?: string | null;
}

@ObjectType()
export class LandRequestPayload {
  @Field(() => LandRequest)
  landRequest: LandRequest;
}
