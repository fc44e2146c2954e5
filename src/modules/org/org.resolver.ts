import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../app/context';
import { Can } from '../../core/authz/operation';
import { Connection, ConnectionShape } from '../../core/graphql/connection';
import { OrgUnitsArgs } from './org.inputs';
import * as org from './org.service';
import { OrgUnit } from './org-unit.entity';

const OrgUnitConnection = Connection(OrgUnit);

@Resolver(() => OrgUnit)
export class OrgUnitResolver {
  @Can('read', 'OrgUnit')
  @Query(() => OrgUnitConnection, { description: 'Org units in tree order (by materialised path). Closed units are left out unless asked for.' })
  orgUnits(@Ctx() ctx: Context, @Args(() => OrgUnitsArgs) args: OrgUnitsArgs): Promise<ConnectionShape<OrgUnit>> {
    return org.listOrgUnits(ctx, args);
  }

  @Can('read', 'OrgUnit')
  @Query(() => OrgUnit)
  orgUnit(@Ctx() ctx: Context, @Arg('id', () => ID) id: string): Promise<OrgUnit> {
    return org.getOrgUnitOrThrow(ctx, id);
  }

  @FieldResolver(() => OrgUnit, { nullable: true })
  parent(@Ctx() ctx: Context, @Root() unit: OrgUnit): Promise<OrgUnit | null> | null {
    return unit.parentId === null ? null : org.loadOrgUnit(ctx, unit.parentId);
  }

  @FieldResolver(() => [OrgUnit], { description: 'Direct children, including closed units.' })
  children(@Ctx() ctx: Context, @Root() unit: OrgUnit): Promise<OrgUnit[]> {
    return org.loadOrgUnitChildren(ctx, unit.id);
  }
}
