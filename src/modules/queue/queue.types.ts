import { ArgsType, createUnionType, Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { PageArgs, PageInfo } from '../../core/graphql/connection';
import { typeNameOf } from '../../core/graphql/node';
import { FundApplication } from '../fund/fund-application.entity';
import { LandRequest } from '../land/land-request.entity';
import { Project } from '../project/project.entity';
import { MonthlyReport } from '../report/monthly-report.entity';

export enum QueueRecordType {
  FUND_APPLICATION = 'FUND_APPLICATION',
  LAND_REQUEST = 'LAND_REQUEST',
  MONTHLY_REPORT = 'MONTHLY_REPORT',
  PROJECT = 'PROJECT',
}
registerEnumType(QueueRecordType, {
  name: 'QueueRecordType',
  description: 'Kinds of record a queue holds. PROJECT means a project library entry (储备库).',
});

export const QueueRecord = createUnionType({
  name: 'QueueRecord',
  description: 'A record in a work queue.',
  types: () => [FundApplication, LandRequest, MonthlyReport, Project] as const,
  resolveType: typeNameOf,
});

@ObjectType({ description: 'A record awaiting a workflow step the viewer may take.' })
export class QueueItem {
  @Field(() => QueueRecordType)
  type: QueueRecordType;

  @Field(() => QueueRecord)
  record: FundApplication | LandRequest | MonthlyReport | Project;

  @Field(() => [String], {
    description:
      'The steps the viewer may take on it now (workflow action names such as "countyReview"; each is a named mutation). ' +
      'Input guards (amounts, windows) are checked when the step is taken.',
  })
  actions: string[];

  @Field(() => Date, { description: 'Since when it has waited: when it reached its current state (for a draft, when it was created).' })
  waitingSince: Date;
}

@ObjectType()
export class QueueItemEdge {
  @Field()
  cursor: string;

  @Field(() => QueueItem)
  node: QueueItem;
}

@ObjectType()
export class QueueTypeCount {
  @Field(() => QueueRecordType)
  type: QueueRecordType;

  @Field(() => Int)
  count: number;
}

@ObjectType({ description: 'A work queue, oldest first (ties by type, then record).' })
export class QueueConnection {
  @Field(() => [QueueItemEdge])
  edges: QueueItemEdge[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;

  @Field(() => Int, { description: 'All records in the queue, across pages.' })
  totalCount: number | Promise<number>;

  @Field(() => [QueueTypeCount], { description: 'How many records of each type (of those asked for) are in the queue, zeros included.' })
  countsByType: QueueTypeCount[] | Promise<QueueTypeCount[]>;
}

@InputType()
export class QueueFilter {
  @Field(() => [QueueRecordType], { nullable: true, description: 'Only these types (default: all).' })
  types?: QueueRecordType[] | null;
}

@ArgsType()
export class QueueArgs extends PageArgs {
  @Field(() => QueueFilter, { nullable: true })
  filter?: QueueFilter | null;
}
