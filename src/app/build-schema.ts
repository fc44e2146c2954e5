/** The GraphQL schema: every resolver of every module, plus the scalars they share. */
import 'reflect-metadata';
import { GraphQLSchema, isAbstractType } from 'graphql';
import { buildSchema as buildTypeGraphQLSchema } from 'type-graphql';
import { ENTITIES } from '../core/db/entities';
import { syncFields } from '../core/graphql/connection';
import { typeNameOf } from '../core/graphql/node';
import { callFieldResolversDirectly, readFieldsDirectly } from './direct-resolvers';
import { NodeResolver } from '../core/graphql/node.resolver';
import { EnterpriseResolver } from '../modules/enterprise/enterprise.resolver';
import { ExcelResolver } from '../modules/excel/excel.resolver';
import { FundApplicationResolver, FundProgramResolver } from '../modules/fund/fund.resolver';
import { LandRequestResolver } from '../modules/land/land.resolver';
import { OrgUnitResolver } from '../modules/org/org.resolver';
import { ProjectResolver, TerritoryInvestmentResolver } from '../modules/project/project.resolver';
import { QueueResolver } from '../modules/queue/queue.resolver';
import { MonthlyReportResolver, ReportPeriodResolver } from '../modules/report/report.resolver';
import { AuthResolver } from '../modules/user/auth.resolver';
import { PermissionsResolver } from '../modules/user/permissions.resolver';
import { ExplainAccessResolver } from '../modules/admin/explain.resolver';
import { AuditLogResolver } from '../modules/audit/audit-log.resolver';
import { OrgAdminResolver } from '../modules/org/org-admin.resolver';
import { RoleAdminResolver, RoleBindingResolver } from '../modules/user/role-admin.resolver';
import { UserAdminResolver } from '../modules/user/user-admin.resolver';

export const RESOLVERS = [
  NodeResolver, AuthResolver, PermissionsResolver, OrgUnitResolver, EnterpriseResolver, ProjectResolver, TerritoryInvestmentResolver,
  MonthlyReportResolver,
  FundProgramResolver, FundApplicationResolver, LandRequestResolver, QueueResolver,
  ReportPeriodResolver,
  UserAdminResolver, RoleAdminResolver, RoleBindingResolver, ExplainAccessResolver, AuditLogResolver, OrgAdminResolver,
  ExcelResolver,
] as const;

let built: Promise<GraphQLSchema> | undefined;

/** Built once per process: type-graphql metadata is global, and the schema is immutable. */
export function buildSchema(): Promise<GraphQLSchema> {
  built ??= buildTypeGraphQLSchema({
    resolvers: RESOLVERS as unknown as [Function, ...Function[]],
    orphanedTypes: [],
    validate: false,
    emitSchemaFile: false,
  }).then((schema) => {
    // type-graphql wraps resolveType in an async function: a promise per abstract value, which
    // compiled execution (app/compiled-execution) does not accept. Every abstract type here
    // resolves by class name, synchronously.
    for (const type of Object.values(schema.getTypeMap())) if (isAbstractType(type)) type.resolveType = typeNameOf;
    callFieldResolversDirectly(schema);
    readFieldsDirectly(schema, ENTITIES, syncFields);
    return schema;
  });
  return built;
}
