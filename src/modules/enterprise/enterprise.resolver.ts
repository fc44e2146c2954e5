import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../app/context';
import { Can } from '../../core/authz/operation';
import { viewerCan, ViewerCanType } from '../../core/authz/viewer-can';
import { fromFlags } from '../../core/db/columns';
import { childConnection, loadChildConnection, withChildPages } from '../../core/graphql/child-connection';
import { Connection, ConnectionShape, PageArgs } from '../../core/graphql/connection';
import { nodeColumns, Reads } from '../../core/graphql/selection';
import { OrgUnit } from '../org/org-unit.entity';
import { loadOrgUnit } from '../org/org.service';
import { Project } from '../project/project.entity';
import { projectQuery } from '../project/project.service';
import { ENTERPRISE_TAGS, Enterprise, EnterpriseTag, EnterpriseTagEnum } from './enterprise.entity';
import { CreateEnterpriseInput, EnterprisePayload, EnterprisesArgs, UpdateEnterpriseInput } from './enterprise.inputs';
import * as enterprises from './enterprise.service';

const EnterpriseConnection = Connection(Enterprise);
const ProjectConnection = Connection(Project);
const ENTERPRISE_ACTIONS = ['update'] as const;
const EnterpriseViewerCan = ViewerCanType('Enterprise', ENTERPRISE_ACTIONS);
const ENTERPRISE_PROJECTS = childConnection<Project>({
  name: 'Enterprise.projects',
  entity: Project,
  query: projectQuery,
  alias: 'p',
  foreignKey: 'enterpriseId',
  sort: { column: 'p.id', direction: 'DESC', valueOf: (p) => p.id },
});

@Resolver(() => Enterprise)
export class EnterpriseResolver {
  @Can('read', 'Enterprise')
  @Query(() => EnterpriseConnection, { description: 'Enterprises the viewer may see.' })
  enterprises(@Ctx() ctx: Context, @Args(() => EnterprisesArgs) args: EnterprisesArgs, @Info() info: GraphQLResolveInfo): Promise<ConnectionShape<Enterprise>> {
    return withChildPages(ctx, info, enterprises.listEnterprises(ctx, args, nodeColumns(ctx, info, Enterprise)));
  }

  @Can('read', 'Enterprise')
  @Query(() => Enterprise)
  enterprise(@Ctx() ctx: Context, @Arg('id', () => ID) id: string): Promise<Enterprise> {
    return enterprises.getEnterpriseOrThrow(ctx, id);
  }

  @Can('create', 'Enterprise')
  @Mutation(() => EnterprisePayload, { description: 'Register an enterprise. A credit code already registered is CONFLICT.' })
  async createEnterprise(@Ctx() ctx: Context, @Arg('input', () => CreateEnterpriseInput) input: CreateEnterpriseInput): Promise<EnterprisePayload> {
    return { enterprise: await enterprises.createEnterprise(ctx, input) };
  }

  @Can('update', 'Enterprise')
  @Mutation(() => EnterprisePayload)
  async updateEnterprise(@Ctx() ctx: Context, @Arg('input', () => UpdateEnterpriseInput) input: UpdateEnterpriseInput): Promise<EnterprisePayload> {
    return { enterprise: await enterprises.updateEnterprise(ctx, input) };
  }

  @Reads('tagFlags')
  @FieldResolver(() => [EnterpriseTagEnum])
  tags(@Root() e: Enterprise): EnterpriseTag[] {
    return fromFlags(e.tagFlags, ENTERPRISE_TAGS);
  }

  @Reads('territoryId')
  @FieldResolver(() => OrgUnit, { description: '属地: the county or park.' })
  territory(@Ctx() ctx: Context, @Root() e: Enterprise): Promise<OrgUnit | null> {
    return loadOrgUnit(ctx, e.territoryId);
  }

  @Reads('id')
  @FieldResolver(() => ProjectConnection, { description: "The enterprise's projects the viewer may see, newest first." })
  projects(@Ctx() ctx: Context, @Root() e: Enterprise, @Args(() => PageArgs) args: PageArgs, @Info() info: GraphQLResolveInfo): ConnectionShape<Project> | Promise<ConnectionShape<Project>> {
    return loadChildConnection(ctx, ENTERPRISE_PROJECTS, args, e.id, nodeColumns(ctx, info, Project));
  }

  @FieldResolver(() => EnterpriseViewerCan)
  viewerCan(@Ctx() ctx: Context, @Root() e: Enterprise): object {
    return viewerCan(ctx, Enterprise, e, ENTERPRISE_ACTIONS);
  }
}
