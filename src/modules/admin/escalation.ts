/**
 * No escalation: what a granter may hand out through role bindings. The criterion, exactly:
 *
 * A viewer G may create or remove the binding (user U, role R, scope unit S) only if
 *
 *   (1) SCOPE — one of G's own bindings B0 allows that action (`create` / `delete`) on that
 *       RoleBinding row (its rules evaluated in SQL on the row, like every scoped write), AND S is
 *       B0's scope unit or lies below it in the org tree (S.path starts with B0.scope.path). So an
 *       admin bound at a county grants only within that county, whatever their rules say.
 *
 *   (2) RULES — unless G is a RULE AUTHOR, every rule R would grant, with its placeholders filled
 *       for (U, S), is covered by G's own rules. A rule author is someone one of whose bindings has
 *       an unconditional, field-less `manage Role` rule and no inverted rule on Role: they may write
 *       any rule into a role they hold, so their own ability is already unlimited and (2) adds
 *       nothing for them. For everyone else a non-inverted rule r (position j in R) is covered when
 *       some binding B of G has a non-inverted rule g such that
 *         - every action of r is an action of g, or g has `manage`;
 *         - every subject of r is a subject of g;
 *         - g has no `fields`, or r has `fields` and they are a subset of g's;
 *         - r's conditions imply g's: g has none, or for every key k of g's conditions r constrains k
 *           at least as narrowly — the values r allows for k (a value, `$eq` or `$in`, intersected
 *           if r gives several) are a subset of the values g allows for k (a value, `$eq` or `$in`),
 *           or r's constraint on k is identical to g's;
 *       and every inverted rule i of B that could cut into r (a shared subject; a shared action or
 *       `manage` on either side; overlapping fields, or no fields on either side) is reproduced in R
 *       by an inverted rule placed after r (so it takes priority over r, as CASL orders rules) whose
 *       actions include i's (or are `manage`), whose subjects include i's subjects shared with r,
 *       whose fields are absent or include i's, and whose conditions are implied by i's.
 *
 * (2) is sufficient, not necessary: it is decided on the rules' shape, never on the rows that
 * happen to exist, so it can refuse a grant that is in fact harmless (e.g. an enterprise_user
 * binding for an enterprise in the granter's county: the link enterprise → territory is data),
 * but it never lets a granter hand out a right on a row, field or action they do not hold.
 * Why it is sound: if R allows (action, row, field), the rule deciding it is some non-inverted r of
 * R; the g covering r matches too; if B nevertheless denied, an inverted i of B would match, and
 * its reproduction in R would take priority over r — so r would not have decided.
 *
 * The same criterion guards changes to a user's standing (edit, disable, enable, password reset,
 * enterprise): a viewer who could not have granted every binding the user holds may not act on
 * them — otherwise a county admin could reset a city admin's password and sign in as them.
 */
import { RawRuleOf } from '@casl/ability';
import { EntityManager, In } from 'typeorm';
import type { Context } from '../../app/context';
import { AppAbility, fillRules, GrantedBinding, subtreeIds } from '../../core/authz/permissions';
import { compileRulesToSql } from '../../core/authz/rules-to-sql';
import { MANAGE } from '../../core/authz/registry';
import { AppError, forbidden } from '../../core/errors';
import { OrgUnit } from '../org/org-unit.entity';
import { RoleBinding } from '../user/role-binding.entity';
import { Role, StoredRule } from '../user/role.entity';
import type { User } from '../user/user.entity';

type RawRule = RawRuleOf<AppAbility>;

const list = (value: unknown): string[] => (value === undefined ? [] : Array.isArray(value) ? (value as string[]) : [value as string]);
const intersects = (a: string[], b: string[]) => a.some((x) => b.includes(x));
const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The values a condition on one key admits, when it is a plain set (value, `$eq`, `$in`); null otherwise. */
function valueSet(condition: unknown, narrowing: boolean): unknown[] | null {
  if (!isPlainObject(condition)) return [condition];
  const keys = Object.keys(condition);
  if (keys.length === 0) return null;
  // For the covering rule g every operator must be a set operator; for the covered rule r other operators only narrow further.
  if (!narrowing && keys.some((k) => k !== '$eq' && k !== '$in')) return null;
  let set: unknown[] | null = null;
  for (const key of keys) {
    const items = key === '$eq' ? [condition[key]] : key === '$in' && Array.isArray(condition[key]) ? (condition[key] as unknown[]) : null;
    if (items === null) continue;
    set = set === null ? items : set.filter((x) => items.some((y) => Object.is(x, y)));
  }
  return set;
}

/** Whether every row matching `narrow` matches `broad` (decided per key on the conditions' shape). */
export function conditionsImply(narrow: unknown, broad: unknown): boolean {
  if (broad === undefined || (isPlainObject(broad) && Object.keys(broad).length === 0)) return true;
  if (!isPlainObject(broad) || !isPlainObject(narrow)) return false;
  return Object.entries(broad).every(([key, wide]) => {
    if (!(key in narrow)) return false;
    const tight = narrow[key];
    if (deepEqual(tight, wide)) return true;
    if (key.startsWith('$')) return false;
    const allowed = valueSet(wide, false);
    const given = valueSet(tight, true);
    return allowed !== null && given !== null && given.every((x) => allowed.some((y) => Object.is(x, y)));
  });
}

function actionsCover(broad: string[], narrow: string[]): boolean {
  return broad.includes(MANAGE) || narrow.every((a) => broad.includes(a));
}

function fieldsCover(broad: unknown, narrow: unknown): boolean {
  if (broad === undefined) return true;
  if (narrow === undefined) return false;
  return list(narrow).every((f) => list(broad).includes(f));
}

/** g grants everything r grants (ignoring inverted rules). */
function covers(g: RawRule, r: RawRule): boolean {
  return (
    !g.inverted &&
    actionsCover(list(g.action), list(r.action)) &&
    list(r.subject).every((s) => list(g.subject).includes(s)) &&
    fieldsCover(g.fields, r.fields) &&
    conditionsImply(r.conditions, g.conditions)
  );
}

/** The inverted rule i could deny part of what r grants. */
function cutsInto(i: RawRule, r: RawRule): boolean {
  const ia = list(i.action);
  const ra = list(r.action);
  const actions = ia.includes(MANAGE) || ra.includes(MANAGE) || intersects(ia, ra);
  const fields = i.fields === undefined || r.fields === undefined || intersects(list(i.fields), list(r.fields));
  return Boolean(i.inverted) && actions && fields && intersects(list(i.subject), list(r.subject));
}

/** The inverted rule k denies at least what i denies, on the subjects i shares with r. */
function reproduces(k: RawRule, i: RawRule, r: RawRule): boolean {
  const subjects = list(i.subject).filter((s) => list(r.subject).includes(s));
  return (
    Boolean(k.inverted) &&
    actionsCover(list(k.action), list(i.action)) &&
    subjects.every((s) => list(k.subject).includes(s)) &&
    fieldsCover(k.fields, i.fields) &&
    conditionsImply(i.conditions, k.conditions)
  );
}

/** Whether rule `index` of `granted` is covered by the rules of `binding` (see the header). */
function coveredBy(granted: RawRule[], index: number, binding: RawRule[]): boolean {
  const r = granted[index];
  if (!binding.some((g) => covers(g, r))) return false;
  return binding
    .filter((i) => cutsInto(i, r))
    .every((i) => granted.slice(index + 1).some((k) => reproduces(k, i, r)));
}

/**
 * The indexes of the non-inverted rules of `granted` not covered by any of `own` (one rule list per
 * binding of the granter). Empty means the grant does not exceed the granter's own ability.
 */
export function uncoveredRules(granted: RawRule[], own: RawRule[][]): number[] {
  return granted.flatMap((rule, index) => (rule.inverted || own.some((rules) => coveredBy(granted, index, rules)) ? [] : [index]));
}

/** One of the bindings has an unconditional, field-less `manage Role` and nothing inverted on Role. */
export function isRuleAuthor(bindings: readonly GrantedBinding[]): boolean {
  return bindings.some(
    (b) =>
      b.rules.some((r) => !r.inverted && list(r.action).includes(MANAGE) && list(r.subject).includes('Role') && !r.conditions && !r.fields) &&
      !b.rules.some((r) => r.inverted && list(r.subject).includes('Role')),
  );
}

/** The rules a binding of `role` at `scope` gives `user`, as the ability would hold them. */
export function rulesAt(role: Role, user: Pick<User, 'id' | 'enterpriseId'>, scope: OrgUnit, units: OrgUnit[]): RawRule[] {
  return fillRules(role.rules as StoredRule[], {
    'scope.id': scope.id,
    'scope.subtree': subtreeIds(units, scope),
    'user.id': user.id,
    'user.enterpriseId': user.enterpriseId ?? 0,
  });
}

const describeRule = (rule: RawRule) => `${list(rule.action).join('/')} ${list(rule.subject).join('/')}`;

/** Whether `ability` allows `action` on the stored role binding `bindingId` (the compiled rules, in SQL). */
async function allowsOnBinding(m: EntityManager, ability: AppAbility, action: string, bindingId: number): Promise<boolean> {
  const { sql, params } = compileRulesToSql(ability, action, 'RoleBinding', m.connection, 'rb');
  if (sql === '1=0') return false;
  return m
    .createQueryBuilder(RoleBinding, 'rb')
    .where(`(${sql})`, params)
    .andWhere('rb.id = :grantId', { grantId: bindingId })
    .getExists();
}

export interface Grant {
  bindingId: number;
  user: Pick<User, 'id' | 'enterpriseId'>;
  role: Role;
  scopeUnitId: number;
}

/**
 * Throws FORBIDDEN unless the viewer may `action` ('create' or 'delete') the stored binding `grant`
 * by the criterion in this file's header. Call it inside the write's transaction (`m`), with the
 * binding row as it is stored (after the insert, before the delete).
 */
export async function assertMayGrantOrThrow(ctx: Context, m: EntityManager, grant: Grant, action: 'create' | 'delete'): Promise<void> {
  const viewer = ctx.viewer!;
  const units = await m.find(OrgUnit, { select: { id: true, path: true, name: true } });
  const scope = units.find((u) => u.id === grant.scopeUnitId);
  if (!scope) throw forbidden('The scope unit of this binding does not exist');
  const verb = action === 'create' ? 'grant' : 'remove';

  let inScope = false;
  for (const b of viewer.permissions.bindings) {
    const own = units.find((u) => u.id === b.scopeUnitId);
    if (own && scope.path.startsWith(own.path) && (await allowsOnBinding(m, b.ability, action, grant.bindingId))) {
      inScope = true;
      break;
    }
  }
  if (!inScope) {
    throw forbidden(
      `You may ${verb} role bindings only at or below the scope of one of your own bindings that allows it; ${scope.name} is outside them`,
    );
  }
  if (isRuleAuthor(viewer.permissions.bindings)) return;

  const granted = rulesAt(grant.role, grant.user, scope, units);
  const uncovered = uncoveredRules(granted, viewer.permissions.bindings.map((b) => b.rules));
  if (uncovered.length > 0) {
    const index = uncovered[0];
    throw new AppError(
      'FORBIDDEN',
      `No escalation: rule #${index} of role ${grant.role.key} (${describeRule(granted[index])}) at ${scope.name} ` +
        `would allow more than your own rules do, so you may not ${verb} this binding`,
      { ruleIndex: index, uncoveredRuleIndexes: uncovered },
    );
  }
}

/**
 * Throws FORBIDDEN unless the viewer could have granted every binding `user` holds (with the user
 * as they will be after the change: an enterprise change refills `${user.enterpriseId}`).
 */
export async function assertMayActOnUserOrThrow(ctx: Context, m: EntityManager, user: Pick<User, 'id' | 'enterpriseId'>): Promise<void> {
  const bindings = await m.find(RoleBinding, { where: { userId: user.id }, order: { id: 'ASC' } });
  if (bindings.length === 0) return;
  const roles = await m.findBy(Role, { id: In([...new Set(bindings.map((b) => b.roleId))]) });
  for (const binding of bindings) {
    const role = roles.find((r) => r.id === binding.roleId)!;
    try {
      await assertMayGrantOrThrow(ctx, m, { bindingId: binding.id, user, role, scopeUnitId: binding.scopeUnitId }, 'create');
    } catch (error) {
      throw forbidden(
        `This user holds a binding you could not grant (role ${role.key}); only someone who could may change their account. ${(error as Error).message}`,
      );
    }
  }
}
