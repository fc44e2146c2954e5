/**
 * Roles and role bindings at run time. Every change goes through the admin write path (scoped
 * checks, audit with before/after, authorization version bumped in the same transaction, so it
 * takes effect on the next request of every server process). Rules are validated against the
 * registry and test-compiled before they are saved; granting is limited by admin/escalation.ts.
 */
import { DataSource } from 'typeorm';
import type { Context } from '../../app/context';
import { validateRoleRules } from '../../core/authz/permissions';
import { whereInSubtree, whereTextMatches } from '../../core/db/filters';
import { readRows } from '../../core/db/read-rows';
import { scopedQuery } from '../../core/db/scoped';
import { AppError, conflict, forbidden, notFound } from '../../core/errors';
import { childConnection, loadChildConnection } from '../../core/graphql/child-connection';
import { ConnectionShape, PageArgs, paginate } from '../../core/graphql/connection';
import { idOfTypeOrThrow } from '../../core/graphql/global-id';
import { groupByKey, loadById, loaderFor } from '../../core/graphql/loaders';
import { nodeLoaders } from '../../core/graphql/node';
import { optionalTextOrThrow, patternOrThrow, textOrThrow } from '../../core/validation';
import { adminCreateOrThrow, adminDeleteOrThrow, adminUpdateOrThrow, isUniqueViolation } from '../admin/admin-write';
import { assertMayGrantOrThrow, isRuleAuthor } from '../admin/escalation';
import { ADMIN_ROLE_KEY, assertAnotherAdminOrThrow } from '../admin/lockout';
import { loadOrgUnit } from '../org/org.service';
import { OrgUnit } from '../org/org-unit.entity';
import type { StoredRule } from './role.entity';
import { Role, RoleBinding } from './role-admin.types';
import { BindRoleInput, CreateRoleInput, DeleteRoleInput, RoleBindingsArgs, RolesArgs, UnbindRoleInput, UpdateRoleInput } from './role-admin.inputs';
import { User } from './user.entity';
import { loadUser } from './user-admin.service';
import { managerOf } from '../../core/db/transaction';

const ROLE_KEY = /^[a-z][a-z0-9_]{1,63}$/;

export const roleQuery = (ctx: Context) => scopedQuery(ctx, Role, 'r');
export const bindingQuery = (ctx: Context) => scopedQuery(ctx, RoleBinding, 'rb');

// ---------------------------------------------------------------------------------------------
// Reading

export function listRoles(ctx: Context, args: RolesArgs): Promise<ConnectionShape<Role>> {
  const qb = roleQuery(ctx);
  const f = args.filter ?? {};
  if (f.builtIn !== undefined && f.builtIn !== null) qb.andWhere('r.builtIn = :builtIn', { builtIn: f.builtIn });
  if (f.search) whereTextMatches(qb, 'filter.search', f.search, { contains: ['r.key', 'r.name'] });
  return paginate(qb, args, { column: 'r.key', direction: 'ASC', valueOf: (r) => r.key }, 'r.id');
}

export function loadRole(ctx: Context, id: number): Promise<Role | null> {
  return loadById(ctx.loaders, 'Role', () => roleQuery(ctx), id);
}
nodeLoaders.set('Role', loadRole);

export async function getRoleOrThrow(ctx: Context, globalId: string, field = 'id'): Promise<Role> {
  const role = await loadRole(ctx, idOfTypeOrThrow(globalId, 'Role', field));
  if (!role) throw notFound('Role', globalId);
  return role;
}

export function listRoleBindings(ctx: Context, args: RoleBindingsArgs): Promise<ConnectionShape<RoleBinding>> {
  const qb = bindingQuery(ctx);
  const f = args.filter ?? {};
  if (f.userId) qb.andWhere('rb.userId = :userId', { userId: idOfTypeOrThrow(f.userId, 'User', 'filter.userId') });
  if (f.roleId) qb.andWhere('rb.roleId = :roleId', { roleId: idOfTypeOrThrow(f.roleId, 'Role', 'filter.roleId') });
  if (f.scopeUnitId) qb.andWhere('rb.scopeUnitId = :scopeUnitId', { scopeUnitId: idOfTypeOrThrow(f.scopeUnitId, 'OrgUnit', 'filter.scopeUnitId') });
  if (f.withinUnitId) whereInSubtree(qb, 'rb.scopeUnitId', idOfTypeOrThrow(f.withinUnitId, 'OrgUnit', 'filter.withinUnitId'));
  return paginate(qb, args, { column: 'rb.id', direction: 'ASC', valueOf: (b) => b.id }, 'rb.id');
}

/** A user's bindings the viewer may see, batched across users. */
export function loadBindingsOfUser(ctx: Context, userId: number): Promise<RoleBinding[]> {
  return loaderFor<number, RoleBinding[]>(ctx.loaders, 'RoleBinding.byUser', async (ids) =>
    groupByKey(ids, await readRows(bindingQuery(ctx).andWhere('rb.userId IN (:...ids)', { ids }).orderBy('rb.id')), (b) => b.userId),
  ).load(userId);
}

const ROLE_BINDINGS = childConnection<RoleBinding>({
  name: 'Role.bindings',
  entity: RoleBinding,
  query: bindingQuery,
  alias: 'rb',
  foreignKey: 'roleId',
  sort: { column: 'rb.id', direction: 'ASC', valueOf: (b) => b.id },
});

/** A role's bindings (its users) the viewer may see: first page per role, batched. */
export function roleBindingsOfRole(ctx: Context, roleId: number, args: PageArgs): ConnectionShape<RoleBinding> | Promise<ConnectionShape<RoleBinding>> {
  return loadChildConnection(ctx, ROLE_BINDINGS, args, roleId);
}

// ---------------------------------------------------------------------------------------------
// Roles

/** BAD_USER_INPUT on `rules.<index>` (the first problem; all of them in `extensions.problems`). */
export function rulesOrThrow(input: unknown, ds: DataSource): StoredRule[] {
  // A plain JSON copy first: rules written as GraphQL literals arrive as prototype-less objects,
  // which CASL would not read as operators; what is validated is exactly what is stored.
  const rules = JSON.parse(JSON.stringify(input ?? null)) as unknown;
  const problems = validateRoleRules(rules, ds);
  if (problems.length > 0) {
    const first = problems[0];
    const field = first.index < 0 ? 'rules' : `rules.${first.index}`;
    const where = first.index < 0 ? 'rules' : `Rule #${first.index}`;
    throw new AppError('BAD_USER_INPUT', `${where}: ${first.message}`, {
      field,
      problems: problems.map((p) => ({ field: p.index < 0 ? 'rules' : `rules.${p.index}`, index: p.index, message: p.message })),
    });
  }
  return rules as StoredRule[];
}

/**
 * Rules take effect wherever a role is bound, whatever the scope, so only a rule author (see
 * admin/escalation.ts) may write them; anyone else would hand themselves rights through a role they hold.
 */
function assertMayWriteRulesOrThrow(ctx: Context): void {
  if (!isRuleAuthor(ctx.viewer!.permissions.bindings)) {
    throw forbidden('Only an administrator who may manage every role (an unconditional "manage Role" rule) may write rules');
  }
}

function assertNotBuiltInOrThrow(role: Role, verb: string): void {
  if (role.builtIn) {
    throw forbidden(
      `Role ${role.key} is built in: it is maintained in code and re-applied on every start, so it cannot be ${verb} here. Create a custom role instead.`,
    );
  }
}

export async function createRole(ctx: Context, input: CreateRoleInput): Promise<Role> {
  const key = patternOrThrow('key', input.key, ROLE_KEY, 'lower-case letters, digits and underscores, starting with a letter (2–64)');
  const name = textOrThrow('name', input.name, 100);
  const description = optionalTextOrThrow('description', input.description, 2000) ?? null;
  const rules = rulesOrThrow(input.rules, ctx.ds);
  if (rules.length > 0) assertMayWriteRulesOrThrow(ctx);
  // Keys are unique across all roles, so the check looks past the viewer's scope on purpose.
  if (await managerOf(ctx).existsBy(Role, { key })) throw conflict(`A role with key "${key}" already exists`, { field: 'key' });
  try {
    return await adminCreateOrThrow(ctx, Role, { key, name, description, builtIn: false, rules });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`A role with key "${key}" already exists`, { field: 'key' });
    throw error;
  }
}

export async function updateRole(ctx: Context, input: UpdateRoleInput): Promise<Role> {
  const id = idOfTypeOrThrow(input.id, 'Role');
  const changes: Partial<Role> = {};
  if (input.name !== undefined && input.name !== null) changes.name = textOrThrow('name', input.name, 100);
  if (input.description !== undefined) changes.description = optionalTextOrThrow('description', input.description, 2000) ?? null;
  if (input.rules !== undefined && input.rules !== null) changes.rules = rulesOrThrow(input.rules, ctx.ds);
  return adminUpdateOrThrow(ctx, Role, id, input.expectedVersion, changes, {
    auditAction: 'update',
    validate: (role) => {
      assertNotBuiltInOrThrow(role, 'changed');
      if (changes.rules) assertMayWriteRulesOrThrow(ctx);
    },
  });
}

export async function deleteRole(ctx: Context, input: DeleteRoleInput): Promise<Role> {
  const id = idOfTypeOrThrow(input.id, 'Role');
  return adminDeleteOrThrow(ctx, Role, id, {
    expectedVersion: input.expectedVersion,
    validate: async (role, m) => {
      assertNotBuiltInOrThrow(role, 'deleted');
      // Counted past the viewer's scope: a binding they cannot see still keeps the role in use.
      const bindingCount = await m.countBy(RoleBinding, { roleId: role.id });
      if (bindingCount > 0) {
        throw conflict(`Role ${role.key} is still bound ${bindingCount} time${bindingCount === 1 ? '' : 's'}; move or remove those bindings first`, {
          bindingCount,
        });
      }
    },
  });
}

// ---------------------------------------------------------------------------------------------
// Bindings

const today = () => new Date().toISOString().slice(0, 10);
const bindingAudit = (role: Role) => ({
  redact: (b: RoleBinding) => ({ userId: b.userId, roleId: b.roleId, roleKey: role.key, scopeUnitId: b.scopeUnitId }),
  scopeKeys: (b: RoleBinding) => ({ territoryId: b.scopeUnitId }),
});

export async function bindRole(ctx: Context, input: BindRoleInput): Promise<RoleBinding> {
  const userId = idOfTypeOrThrow(input.userId, 'User', 'userId');
  const user = await loadUser(ctx, userId);
  if (!user) throw notFound('User', input.userId);
  const role = await getRoleOrThrow(ctx, input.roleId, 'roleId');
  const scope = await loadOrgUnit(ctx, idOfTypeOrThrow(input.scopeUnitId, 'OrgUnit', 'scopeUnitId'));
  if (!scope) throw notFound('OrgUnit', input.scopeUnitId);
  if (scope.validTo !== null && scope.validTo < today()) {
    throw new AppError('BAD_USER_INPUT', `${scope.name} was closed on ${scope.validTo}; bind at a unit that is open`, { field: 'scopeUnitId' });
  }
  const duplicate = () => conflict(`${user.username} already holds ${role.key} at ${scope.name}`);
  if (await managerOf(ctx).existsBy(RoleBinding, { userId, roleId: role.id, scopeUnitId: scope.id })) throw duplicate();
  try {
    return await adminCreateOrThrow(ctx, RoleBinding, { userId, roleId: role.id, scopeUnitId: scope.id }, {
      ...bindingAudit(role),
      afterCheck: (binding, m) => assertMayGrantOrThrow(ctx, m, { bindingId: binding.id, user, role, scopeUnitId: scope.id }, 'create'),
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicate();
    throw error;
  }
}

export async function unbindRole(ctx: Context, input: UnbindRoleInput): Promise<RoleBinding> {
  const id = idOfTypeOrThrow(input.bindingId, 'RoleBinding', 'bindingId');
  const binding = await bindingQuery(ctx).andWhere('rb.id = :id', { id }).getOne();
  if (!binding) throw notFound('RoleBinding', input.bindingId);
  const role = await managerOf(ctx).findOneByOrFail(Role, { id: binding.roleId });
  return adminDeleteOrThrow(ctx, RoleBinding, id, {
    ...bindingAudit(role),
    validate: async (row, m) => {
      const user = await m.findOneByOrFail(User, { id: row.userId });
      await assertMayGrantOrThrow(ctx, m, { bindingId: row.id, user, role, scopeUnitId: row.scopeUnitId }, 'delete');
      const scope = await m.findOneByOrFail(OrgUnit, { id: row.scopeUnitId });
      if (role.key === ADMIN_ROLE_KEY && scope.parentId === null && !user.disabled) await assertAnotherAdminOrThrow(m, user.id);
    },
  });
}
