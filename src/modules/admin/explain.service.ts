/**
 * explainAccess: why a user may or may not do something — which rule of which binding decided.
 *
 * The user's permissions are built exactly as for their own requests (loadPermissions: one CASL
 * ability per binding, placeholders filled). Each binding answers on its own with CASL's
 * `relevantRuleFor(action, target, field)` — the rule CASL itself lets decide: the first rule in
 * priority order (later rules first) whose action, subject, fields and conditions match. A binding
 * allows when that rule exists and is not inverted; the user may when any binding allows (the union
 * of bindings, as everywhere) and the account is enabled.
 *
 * For one record (`id`) the record is loaded with the related rows its rules' conditions name
 * ("enterprise.territoryId", "projects.stage") attached, so CASL evaluates the conditions as the
 * compiled SQL does (rules-to-sql follows ucast's semantics; the property test checks they agree).
 * For a list (no `id`) the answer is about the subject type — "some rows" — and the SQL condition
 * the user's rules compile to is returned as well.
 */
import { subject as caslSubject } from '@casl/ability';
import { In } from 'typeorm';
import type { Context } from '../../app/context';
import { GrantedBinding, loadPermissions, Permissions } from '../../core/authz/permissions';
import { fieldsOf, isKnownAction, isSubjectName, subjectOf } from '../../core/authz/registry';
import { scopedQuery } from '../../core/db/scoped';
import { badInput, forbidden, notFound } from '../../core/errors';
import { idOfTypeOrThrow, toGlobalId } from '../../core/graphql/global-id';
import { loadOrgUnit } from '../org/org.service';
import { OrgUnit } from '../org/org-unit.entity';
import { bindingQuery } from '../user/role-admin.service';
import { RoleBinding } from '../user/role-binding.entity';
import { Role } from '../user/role.entity';
import { loadUser } from '../user/user-admin.service';
import { AccessExplanation, BindingDecision, DecidingRule, ExplainAccessInput } from './explain.inputs';
import { managerOf } from '../../core/db/transaction';

type Row = Record<string, unknown>;

/** Relation names used in condition keys ("enterprise.territoryId" → "enterprise"), at any depth of $and/$or. */
function relationsIn(conditions: unknown, into: Set<string>): void {
  if (Array.isArray(conditions)) return conditions.forEach((c) => relationsIn(c, into));
  if (!conditions || typeof conditions !== 'object') return;
  for (const [key, value] of Object.entries(conditions)) {
    if (key.includes('.')) into.add(key.split('.')[0]);
    if (key.startsWith('$')) relationsIn(value, into);
  }
}

/**
 * The record as a plain object with the named relations attached (a to-one relation as the row or
 * undefined, a to-many one as the array of children) — what CASL's conditions read. The related
 * rows are read past the viewer's scope on purpose: they only feed the evaluation of the user's
 * rules, exactly as the SQL EXISTS of the compiled rules reads them, and none of them is returned.
 */
async function withRelations(ctx: Context, subjectName: string, row: Row, relations: Set<string>): Promise<Row> {
  const definition = subjectOf(subjectName)!;
  const plain: Row = { ...row };
  for (const name of relations) {
    const relation = definition.relations[name];
    if (!relation) continue;
    const target = subjectOf(relation.target)!.entity;
    if (relation.kind === 'toOne') {
      const key = row[relation.foreignKey];
      const related = key === null || key === undefined ? null : await managerOf(ctx).findOneBy(target, { id: key as number });
      plain[name] = related ? { ...related } : undefined;
    } else {
      const children = await managerOf(ctx).find(target, { where: { [relation.foreignKey]: row.id as number }, order: { id: 'ASC' } });
      plain[name] = children.map((c) => ({ ...c }));
    }
  }
  return plain;
}

function questionOrThrow(input: ExplainAccessInput): { subjectName: string; action: string; field: string | undefined } {
  const subjectName = input.subject.trim();
  if (!isSubjectName(subjectName)) throw badInput('subject', `"${input.subject}" is not a subject rules may name`);
  const action = input.action.trim();
  if (!isKnownAction(subjectName, action)) {
    throw badInput('action', `"${input.action}" is not an action of ${subjectName} (${subjectOf(subjectName)!.actions.join(', ')})`);
  }
  const field = input.field?.trim() || undefined;
  if (field !== undefined && !fieldsOf(subjectName).includes(field)) throw badInput('field', `"${field}" is not a field of ${subjectName}`);
  return { subjectName, action, field };
}

export async function explainAccess(ctx: Context, input: ExplainAccessInput): Promise<AccessExplanation> {
  const { subjectName, action, field } = questionOrThrow(input);
  const user = await loadUser(ctx, idOfTypeOrThrow(input.userId, 'User', 'userId'));
  if (!user) throw notFound('User', input.userId);

  // Explaining reveals every binding of the user, so the viewer must be able to read them all.
  const [held, visible] = await Promise.all([
    managerOf(ctx).countBy(RoleBinding, { userId: user.id }),
    bindingQuery(ctx).andWhere('rb.userId = :explainedUser', { explainedUser: user.id }).getCount(),
  ]);
  if (visible < held) throw forbidden("You may not read all of this user's role bindings, so their access cannot be explained to you");

  const permissions = await loadPermissions(managerOf(ctx), user);
  const roleKeys = [...new Set(permissions.bindings.map((b) => b.roleKey))];
  const stored = new Map(roleKeys.length ? (await managerOf(ctx).findBy(Role, { key: In(roleKeys) })).map((r) => [r.key, r.rules]) : []);

  let target: string | object = subjectName;
  if (input.id) {
    const id = idOfTypeOrThrow(input.id, subjectName, 'id');
    // The record must be one the viewer may read: NOT_FOUND otherwise, as for any lookup.
    const row = await scopedQuery(ctx, subjectOf(subjectName)!.entity as never, 'r').andWhere('r.id = :id', { id }).getOne();
    if (!row) throw notFound(subjectName, input.id);
    const relations = new Set<string>();
    for (const b of permissions.bindings) for (const rule of b.ability.rulesFor(action, subjectName, field)) relationsIn(rule.conditions, relations);
    target = caslSubject(subjectName, await withRelations(ctx, subjectName, row as Row, relations));
  }

  const decisions = await Promise.all(
    permissions.bindings.map(async (b): Promise<BindingDecision> => {
      const relevant = b.ability.relevantRuleFor(action, target as never, field);
      const rule = relevant ? await decidingRule(ctx, b, b.rules.indexOf(relevant.origin), stored.get(b.roleKey)) : null;
      return {
        bindingId: toGlobalId('RoleBinding', b.bindingId),
        roleKey: b.roleKey,
        scopeUnitId: toGlobalId('OrgUnit', b.scopeUnitId),
        allowed: Boolean(rule && !rule.inverted),
        rule,
      };
    }),
  );
  const granted = decisions.filter((d) => d.allowed).map((d) => d.rule!);
  const denying = decisions.filter((d) => d.rule?.inverted).map((d) => d.rule!);
  const allowed = granted.length > 0 && !user.disabled;
  return {
    allowed,
    userDisabled: user.disabled,
    summary: summarize({ allowed, disabled: user.disabled, granted, denying, bindings: permissions.bindings.length, action, subjectName, field, row: Boolean(input.id) }),
    decidingRules: granted.length > 0 ? granted : denying,
    bindings: decisions,
    sqlCondition: input.id ? null : sqlConditionOf(ctx, permissions, action, subjectName),
  };
}

async function decidingRule(ctx: Context, b: GrantedBinding, index: number, storedRules: unknown[] | undefined): Promise<DecidingRule> {
  const filled = b.rules[index];
  return {
    bindingId: toGlobalId('RoleBinding', b.bindingId),
    roleKey: b.roleKey,
    roleName: b.roleName,
    scopeUnitId: toGlobalId('OrgUnit', b.scopeUnitId),
    scopeUnit: await loadOrgUnit(ctx, b.scopeUnitId),
    ruleIndex: index,
    inverted: Boolean(filled.inverted),
    reason: filled.reason ?? null,
    rule: storedRules?.[index] ?? filled,
    filledConditions: filled.conditions ?? null,
  };
}

function sqlConditionOf(ctx: Context, permissions: Permissions, action: string, subjectName: string) {
  const alias = ctx.ds.getMetadata(subjectOf(subjectName)!.entity).tableName;
  const { sql, params } = permissions.predicate(ctx.ds, action, subjectName, alias);
  return { alias, sql, params };
}

interface SummaryFacts {
  allowed: boolean;
  disabled: boolean;
  granted: DecidingRule[];
  denying: DecidingRule[];
  bindings: number;
  action: string;
  subjectName: string;
  field: string | undefined;
  row: boolean;
}

const at = (r: DecidingRule) => `rule #${r.ruleIndex} of role ${r.roleKey} at ${(r.scopeUnit as OrgUnit | null)?.name ?? 'its scope'}`;

function summarize(f: SummaryFacts): string {
  const what = `${f.action} ${f.row ? 'this' : 'any'} ${f.subjectName}${f.field ? ` (field ${f.field})` : ''}`;
  if (f.granted.length > 0) {
    const by = `${at(f.granted[0])}${f.granted.length > 1 ? ` (and ${f.granted.length - 1} other binding${f.granted.length > 2 ? 's' : ''})` : ''}`;
    return f.disabled ? `Denied: the account is disabled (otherwise ${what} would be allowed by ${by})` : `Allowed to ${what} by ${by}`;
  }
  if (f.denying.length > 0) {
    const r = f.denying[0];
    return `Denied to ${what} by inverted ${at(r)}${r.reason ? `: ${r.reason}` : ''}`;
  }
  if (f.bindings === 0) return `Denied to ${what}: the user holds no role bindings`;
  return `Denied to ${what}: no rule of the user's ${f.bindings} binding${f.bindings > 1 ? 's' : ''} allows it`;
}
