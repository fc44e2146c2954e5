/**
 * A viewer's permissions: one CASL ability per role binding, with the binding's placeholders
 * filled in. A user may do what ANY of their bindings allows — in memory (`can`) and in SQL
 * (`predicate`, the OR of each binding's compiled rules) alike. Bindings are kept apart rather
 * than concatenated because CASL gives later rules priority: a `cannot` of one role would
 * otherwise override a `can` of another.
 */
import { createMongoAbility, MongoAbility, RawRuleOf } from '@casl/ability';
import { packRules } from '@casl/ability/extra';
import { DataSource, EntityManager, In } from 'typeorm';
import { OrgUnit } from '../../modules/org/org-unit.entity';
import { Role, StoredRule } from '../../modules/user/role.entity';
import { RoleBinding } from '../../modules/user/role-binding.entity';
import type { User } from '../../modules/user/user.entity';
import { fillPlaceholders, PlaceholderValues, samplePlaceholder } from './placeholders';
import { compileRulesToSql, RuleProblem, validateRules } from './rules-to-sql';

export type AppAbility = MongoAbility;

export interface GrantedBinding {
  bindingId: number;
  roleKey: string;
  roleName: string;
  scopeUnitId: number;
  /** The role's rules with this binding's placeholders filled in. */
  rules: RawRuleOf<AppAbility>[];
  ability: AppAbility;
}

export interface SqlCondition {
  sql: string;
  params: Record<string, unknown>;
}

export class Permissions {
  private readonly predicates = new Map<string, SqlCondition>();
  private readonly fieldRules = new Map<string, boolean>();

  constructor(readonly bindings: GrantedBinding[]) {}

  /** Whether any binding allows `action` on the subject type, or on `row` (an entity instance), or on one of its fields. */
  can(action: string, subjectName: string, row?: object, field?: string): boolean {
    const target = row ?? subjectName;
    return this.bindings.some((b) => b.ability.can(action, target as never, field));
  }

  /** Whether any rule for `action` on `subjectName` names fields, i.e. fields need a per-row check. */
  restrictsFields(subjectName: string, action = 'read'): boolean {
    const key = `${action}\u0000${subjectName}`;
    let restricted = this.fieldRules.get(key);
    if (restricted === undefined) {
      restricted = this.bindings.some((b) => b.ability.possibleRulesFor(action, subjectName as never).some((r) => r.fields));
      this.fieldRules.set(key, restricted);
    }
    return restricted;
  }

  /** The SQL condition selecting exactly the rows of `subjectName` (as `alias`) this viewer may `action`. */
  predicate(ds: DataSource, action: string, subjectName: string, alias: string): SqlCondition {
    const key = `${action}\u0000${subjectName}\u0000${alias}`;
    let condition = this.predicates.get(key);
    if (!condition) {
      const parts = this.bindings.map((b) => compileRulesToSql(b.ability, action, subjectName, ds, alias));
      const granting = parts.filter((p) => p.sql !== '1=0');
      condition =
        granting.length === 0
          ? { sql: '1=0', params: {} }
          : granting.some((p) => p.sql === '1=1')
            ? { sql: '1=1', params: {} }
            : { sql: granting.map((p) => `(${p.sql})`).join(' OR '), params: Object.assign({}, ...granting.map((p) => p.params)) };
      this.predicates.set(key, condition);
    }
    return condition;
  }

  /** Rules for the client (`@casl/ability` packRules), one set per binding: a client may act if any set allows. */
  packed(): { roleKey: string; scopeUnitId: number; rules: unknown[] }[] {
    return this.bindings.map((b) => ({ roleKey: b.roleKey, scopeUnitId: b.scopeUnitId, rules: packRules(b.rules as never) }));
  }
}

export function buildAbility(rules: RawRuleOf<AppAbility>[]): AppAbility {
  return createMongoAbility(rules);
}

/** Fills a stored rule set for one binding. */
export function fillRules(rules: StoredRule[], values: PlaceholderValues): RawRuleOf<AppAbility>[] {
  return rules.map((rule) => (rule.conditions ? { ...rule, conditions: fillPlaceholders(rule.conditions, values) } : { ...rule })) as RawRuleOf<AppAbility>[];
}

/** Ids of `unit` and every unit below it, from the materialised paths. */
export function subtreeIds(units: OrgUnit[], unit: OrgUnit): number[] {
  return units.filter((u) => u.path.startsWith(unit.path)).map((u) => u.id);
}

export async function loadPermissions(m: EntityManager, user: User): Promise<Permissions> {
  const bindings = await m.find(RoleBinding, { where: { userId: user.id }, order: { id: 'ASC' } });
  if (bindings.length === 0) return new Permissions([]);
  const roles = await m.findBy(Role, { id: In([...new Set(bindings.map((b) => b.roleId))]) });
  const units = await m.find(OrgUnit, { select: { id: true, path: true } });
  const granted = bindings.flatMap((binding): GrantedBinding[] => {
    const role = roles.find((r) => r.id === binding.roleId);
    const scope = units.find((u) => u.id === binding.scopeUnitId);
    if (!role || !scope) return [];
    const rules = fillRules(role.rules, {
      'scope.id': scope.id,
      'scope.subtree': subtreeIds(units, scope),
      'user.id': user.id,
      'user.enterpriseId': user.enterpriseId ?? 0,
    });
    return [{ bindingId: binding.id, roleKey: role.key, roleName: role.name, scopeUnitId: scope.id, rules, ability: buildAbility(rules) }];
  });
  return new Permissions(granted);
}

/**
 * Problems with a role's stored rules (empty = valid): registry names, operators, field rules, and
 * a test compile with placeholders replaced by sample values of their real types, so a rule that
 * could not be translated exactly is refused when it is saved, never at request time.
 */
export function validateRoleRules(rules: unknown, ds: DataSource): RuleProblem[] {
  return validateRules(rules, ds, { substitute: samplePlaceholder });
}
