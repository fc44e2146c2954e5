import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../../app/context';
import { Can } from '../../core/authz/operation';
import { CloseOrgUnitInput, CreateOrgUnitInput, MoveOrgUnitInput, OrgUnitPayload, RenameOrgUnitInput } from './org-admin.inputs';
import * as orgAdmin from './org-admin.service';

@Resolver()
export class OrgAdminResolver {
  @Can('create', 'OrgUnit')
  @Mutation(() => OrgUnitPayload, { description: 'Add a unit to the org tree (a new park, county department, …). A taken code is CONFLICT.' })
  async createOrgUnit(@Ctx() ctx: Context, @Arg('input', () => CreateOrgUnitInput) input: CreateOrgUnitInput): Promise<OrgUnitPayload> {
    return { orgUnit: await orgAdmin.createOrgUnit(ctx, input) };
  }

  @Can('update', 'OrgUnit')
  @Mutation(() => OrgUnitPayload, { description: 'Rename a unit (parks are renamed; the unit and its records stay the same).' })
  async renameOrgUnit(@Ctx() ctx: Context, @Arg('input', () => RenameOrgUnitInput) input: RenameOrgUnitInput): Promise<OrgUnitPayload> {
    return { orgUnit: await orgAdmin.renameOrgUnit(ctx, input) };
  }

  @Can('update', 'OrgUnit')
  @Mutation(() => OrgUnitPayload, { description: 'Move a unit and its subtree under another parent; every scope over either parent changes on the next request.' })
  async moveOrgUnit(@Ctx() ctx: Context, @Arg('input', () => MoveOrgUnitInput) input: MoveOrgUnitInput): Promise<OrgUnitPayload> {
    return { orgUnit: await orgAdmin.moveOrgUnit(ctx, input) };
  }

  @Can('update', 'OrgUnit')
  @Mutation(() => OrgUnitPayload, { description: 'Close a unit (validity end). It keeps its history and records; units below must be closed first.' })
  async closeOrgUnit(@Ctx() ctx: Context, @Arg('input', () => CloseOrgUnitInput) input: CloseOrgUnitInput): Promise<OrgUnitPayload> {
    return { orgUnit: await orgAdmin.closeOrgUnit(ctx, input) };
  }
}
