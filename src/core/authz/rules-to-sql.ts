/**
 * Compiles a CASL ability's rules for (action, subject) into one SQL condition, so every list,
 * count and lookup selects exactly the rows `ability.can(action, row)` accepts — in the database.
 *
 * CASL 7's `rulesToAST` folds rule order and inverted rules into one and/or/not tree; this module
 * translates that tree leaf by leaf with the semantics of ucast's in-memory interpreter:
 *  - SQL's NULL is a third truth value, CASL's is not: `NOT (col = 5)` drops a NULL row that
 *    `cannot … { col: 5 }` keeps. So every leaf is two-valued (guarded with IS [NOT] NULL), and
 *    `ne`/`nin` are compiled as `NOT eq`/`NOT in` exactly as ucast defines them.
 *  - ucast's compare() answers "less" whenever a value is neither equal nor greater, and JS
 *    coerces null to 0: a NULL column is below every value ≥ 0 and above every value < 0.
 *    A missing related row (undefined) is "less" than everything.
 *  - `exists` tests own-property presence; a loaded row has every column, so it is constant on
 *    the row itself, "the related row exists" on a to-one path and "some child exists" on a
 *    to-many one (where `exists: false` is never true).
 *  - On a to-many path ucast tests "some child matches", so to-many leaves are `EXISTS` subqueries
 *    and `ne`/`nin` become `NOT EXISTS` — never a join that multiplies rows.
 * Only what translates exactly is accepted: integer columns (all operators), enum and boolean
 * columns (equality and membership); anything else throws RuleCompileError. Identifiers come only
 * from entity metadata via the registry; every value is a named parameter.
 */
import { AnyMongoAbility, createMongoAbility, MongoQuery } from '@casl/ability';
import { rulesToAST } from '@casl/ability/extra';
import { DataSource } from 'typeorm';
import { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { fieldsOf, isKnownAction, isSubjectName, Relation, SubjectName, subjectOf } from './registry';

export class RuleCompileError extends Error {
  override name = 'RuleCompileError';
}

export interface SqlCondition {
  sql: string;
  params: Record<string, unknown>;
}

const TRUE = '1=1';
const FALSE = '1=0';

/** The shape of ucast's condition nodes, as much as the compiler reads. */
interface ConditionNode {
  operator: string;
  value: unknown;
  field?: unknown;
}

type Scalar = number | string | boolean;
type ColumnKind = 'integer' | 'enum' | 'boolean';
type PositiveOperator = 'eq' | 'in' | 'lt' | 'lte' | 'gt' | 'gte' | 'exists';

const NEGATIONS: Readonly<Record<string, PositiveOperator>> = { ne: 'eq', nin: 'in' };
const POSITIVE_OPERATORS: readonly string[] = ['eq', 'in', 'lt', 'lte', 'gt', 'gte', 'exists'];
const ORDERING_SQL: Readonly<Record<string, string>> = { lt: '<', lte: '<=', gt: '>', gte: '>=' };
/** What a leaf is when the related row of a to-one path is missing (ucast sees undefined). */
const WHEN_MISSING: Readonly<Record<PositiveOperator, (value: unknown) => boolean>> = {
  eq: () => false,
  in: () => false,
  lt: () => true,
  lte: () => true,
  gt: () => false,
  gte: () => false,
  exists: (value) => value === false,
};
/** Why a column type is refused: CASL would compare its values differently from SQL. */
const REFUSED_TYPES: Readonly<Record<string, string>> = {
  decimal: 'decimals are canonical strings in memory but numbers in SQL',
  datetime: 'CASL compares Date objects by time, SQL compares DATETIME text and zones',
  varchar: 'free text compares case-sensitively in CASL but case-insensitively under MySQL collations',
  text: 'free text compares case-sensitively in CASL but case-insensitively under MySQL collations',
};

/** A column a rule may test, resolved through the registry and the entity metadata. */
export interface ResolvedColumn {
  subject: SubjectName;
  field: string;
  column: ColumnMetadata;
  kind: ColumnKind;
  enumValues: readonly string[];
}

interface Scope {
  subject: SubjectName;
  alias: string;
}

let compilations = 0;

/** The SQL condition (for `andWhere` on a query of `subjectName` aliased `alias`) selecting the rows the ability allows. */
export function compileRulesToSql(
  ability: AnyMongoAbility,
  action: string,
  subjectName: string,
  ds: DataSource,
  alias: string,
): SqlCondition {
  const subject = requireSubject(subjectName);
  const ast = astOf(ability, action, subject);
  if (!ast) return { sql: FALSE, params: {} };
  const compiler = new Compiler(ds, `az_${++compilations}`);
  const sql = compiler.node(ast, { subject, alias });
  return { sql, params: compiler.params };
}

function requireSubject(name: string): SubjectName {
  if (!isSubjectName(name)) throw new RuleCompileError(`Unknown subject "${name}"`);
  return name;
}

function astOf(ability: AnyMongoAbility, action: string, subject: SubjectName): ConditionNode | null {
  try {
    return rulesToAST(ability, action, subject) as ConditionNode | null;
  } catch (error) {
    throw new RuleCompileError(`${subject}: ${(error as Error).message}`);
  }
}

class Compiler {
  readonly params: Record<string, unknown> = {};
  private names = 0;

  constructor(
    private readonly ds: DataSource,
    private readonly prefix: string,
  ) {}

  node(node: ConditionNode, scope: Scope): string {
    switch (node.operator) {
      case 'and':
        return joinAll(this.children(node, scope), 'AND', TRUE, FALSE);
      case 'or':
        return joinAll(this.children(node, scope), 'OR', FALSE, TRUE);
      case 'not':
        return negate(this.children(node, scope)[0]);
      default:
        if (typeof node.field !== 'string') {
          throw new RuleCompileError(`${scope.subject}: operator "${node.operator}" is not supported`);
        }
        return this.leaf(node.operator, node.field, node.value, scope);
    }
  }

  private children(node: ConditionNode, scope: Scope): string[] {
    return (node.value as ConditionNode[]).map((child) => this.node(child, scope));
  }

  private leaf(operator: string, field: string, value: unknown, scope: Scope): string {
    // CASL reads `{ field: { $unknown: … } }` as equality with an object, which never matches.
    if (isPlainObject(value)) {
      const keys = Object.keys(value).map((key) => `"${key}"`).join(', ');
      throw new RuleCompileError(`${scope.subject}.${field}: ${keys ? `operator ${keys} is not supported` : 'an object is not a value'}`);
    }
    const positive = NEGATIONS[operator];
    if (positive) return negate(this.leaf(positive, field, value, scope));
    if (!POSITIVE_OPERATORS.includes(operator)) {
      throw new RuleCompileError(`${scope.subject}.${field}: operator "${operator}" is not supported`);
    }
    return this.path(operator as PositiveOperator, field, value, scope);
  }

  private path(operator: PositiveOperator, field: string, value: unknown, scope: Scope): string {
    const parts = field.split('.');
    if (parts.length === 1) return this.test(operator, resolveColumn(this.ds, scope.subject, field), value, scope.alias);
    if (parts.length > 2) throw new RuleCompileError(`${scope.subject}.${field}: only one relation step is supported`);
    const [relationName, targetField] = parts;
    const relation = subjectOf(scope.subject)?.relations[relationName];
    if (!relation) throw new RuleCompileError(`${scope.subject}.${field}: "${relationName}" is not a relation of ${scope.subject}`);
    return this.related(operator, relation, targetField, value, scope);
  }

  /** A leaf on the related row(s): `EXISTS` for "the row / some child matches". */
  private related(operator: PositiveOperator, relation: Relation, targetField: string, value: unknown, scope: Scope): string {
    const target = resolveColumn(this.ds, relation.target, targetField);
    const alias = `${this.prefix}_t${++this.names}`;
    const test = this.test(operator, target, value, alias);
    const from = `FROM ${this.table(relation.target)} ${this.escape(alias)} WHERE ${this.join(relation, scope, alias)}`;
    const exists = (condition: string) =>
      condition === FALSE ? FALSE : `EXISTS (SELECT 1 ${from}${condition === TRUE ? '' : ` AND ${condition}`})`;
    if (relation.kind === 'toMany') return exists(test);
    // To-one: "missing or matching" is "no row that fails", since the row is unique and `test` two-valued.
    return WHEN_MISSING[operator](value) ? negate(exists(negate(test))) : exists(test);
  }

  private join(relation: Relation, scope: Scope, alias: string): string {
    const source = this.ds.getMetadata(subjectOf(scope.subject)!.entity);
    const target = this.ds.getMetadata(subjectOf(relation.target)!.entity);
    if (relation.kind === 'toOne') {
      return `${this.column(alias, target.primaryColumns[0])} = ${this.column(scope.alias, columnOf(source, relation.foreignKey))}`;
    }
    return `${this.column(alias, columnOf(target, relation.foreignKey))} = ${this.column(scope.alias, source.primaryColumns[0])}`;
  }

  /** The two-valued test of one column against one value. */
  private test(operator: PositiveOperator, target: ResolvedColumn, value: unknown, alias: string): string {
    checkValue(operator, target, value);
    const column = this.column(alias, target.column);
    const nullable = target.column.isNullable;
    switch (operator) {
      case 'exists':
        return value ? TRUE : FALSE;
      case 'eq':
        return value === null ? isNull(column, nullable) : guardNotNull(column, nullable, `${column} = ${this.bind(value)}`);
      case 'in':
        return this.membership(target, column, nullable, value as (Scalar | null)[]);
      default:
        return this.ordering(operator, column, nullable, value as number);
    }
  }

  private membership(target: ResolvedColumn, column: string, nullable: boolean, list: (Scalar | null)[]): string {
    const present = list.filter((item) => item !== null);
    const tests = present.length ? [guardNotNull(column, nullable, this.inList(target, column, present))] : [];
    if (present.length < list.length) tests.push(isNull(column, nullable));
    return joinAll(tests, 'OR', FALSE, TRUE);
  }

  /** better-sqlite3 cannot bind booleans inside an expanded list, so a boolean list becomes equalities. */
  private inList(target: ResolvedColumn, column: string, items: Scalar[]): string {
    if (target.kind !== 'boolean') return `${column} IN (:...${this.param(items)})`;
    return joinAll(items.map((item) => `${column} = ${this.bind(item)}`), 'OR', FALSE, TRUE);
  }

  /** ucast: compare(null, v) is "greater" exactly when null > v, i.e. 0 > v. */
  private ordering(operator: PositiveOperator, column: string, nullable: boolean, value: number): string {
    const comparison = `${column} ${ORDERING_SQL[operator]} ${this.bind(value)}`;
    if (!nullable) return comparison;
    const nullMatches = operator === 'lt' || operator === 'lte' ? value >= 0 : value < 0;
    return nullMatches ? `(${column} IS NULL OR ${comparison})` : `(${column} IS NOT NULL AND ${comparison})`;
  }

  private bind(value: unknown): string {
    return `:${this.param(value)}`;
  }

  private param(value: unknown): string {
    const name = `${this.prefix}_${++this.names}`;
    this.params[name] = value;
    return name;
  }

  private column(alias: string, column: ColumnMetadata): string {
    return `${this.escape(alias)}.${this.escape(column.databaseName)}`;
  }

  private table(subject: SubjectName): string {
    return this.escape(this.ds.getMetadata(subjectOf(subject)!.entity).tableName);
  }

  private escape(name: string): string {
    return this.ds.driver.escape(name);
  }
}

function columnOf(metadata: ReturnType<DataSource['getMetadata']>, property: string): ColumnMetadata {
  const column = metadata.findColumnWithPropertyName(property);
  if (!column) throw new RuleCompileError(`${metadata.name} has no column "${property}"`);
  return column;
}

/** The column behind `subject.field`, if rules may test it: a readable field of a testable type. */
export function resolveColumn(ds: DataSource, subject: SubjectName, field: string): ResolvedColumn {
  if (!fieldsOf(subject).includes(field)) throw new RuleCompileError(`${subject}.${field}: unknown field`);
  const column = columnOf(ds.getMetadata(subjectOf(subject)!.entity), field);
  const enumValues = subjectOf(subject)!.enums[field] ?? [];
  return { subject, field, column, kind: kindOf(subject, field, column, enumValues), enumValues };
}

function kindOf(subject: SubjectName, field: string, column: ColumnMetadata, enumValues: readonly string[]): ColumnKind {
  const type = typeof column.type === 'string' ? column.type : column.type.name.toLowerCase();
  if (type === 'int' || type === 'integer') return 'integer';
  if (type === 'boolean') return 'boolean';
  if (type === 'varchar' && enumValues.length > 0) return 'enum';
  const why = REFUSED_TYPES[type] ?? 'its values cannot be compared the same way in memory and in SQL';
  throw new RuleCompileError(`${subject}.${field}: rules cannot test a ${type} column (${why})`);
}

function checkValue(operator: PositiveOperator, target: ResolvedColumn, value: unknown): void {
  const where = `${target.subject}.${target.field} (${operator})`;
  if (operator === 'exists') {
    if (typeof value !== 'boolean') throw new RuleCompileError(`${where}: expects true or false`);
    return;
  }
  if (operator in ORDERING_SQL && target.kind !== 'integer') {
    throw new RuleCompileError(`${where}: ordering is only supported on integer columns, not on ${target.kind} values`);
  }
  const items = operator === 'in' ? value : [value];
  if (!Array.isArray(items)) throw new RuleCompileError(`${where}: expects an array`);
  const nullable = operator === 'eq' || operator === 'in';
  for (const item of items) {
    if (!(item === null && nullable) && !isOfKind(item, target)) {
      throw new RuleCompileError(`${where}: ${JSON.stringify(item)} is not ${describeKind(target)}`);
    }
  }
}

function isOfKind(value: unknown, target: ResolvedColumn): boolean {
  switch (target.kind) {
    case 'integer':
      return Number.isSafeInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'enum':
      return typeof value === 'string' && target.enumValues.includes(value);
  }
}

function describeKind(target: ResolvedColumn): string {
  if (target.kind === 'enum') return `one of ${target.enumValues.join(', ')}`;
  return target.kind === 'integer' ? 'an integer' : 'a boolean';
}

function isNull(column: string, nullable: boolean): string {
  return nullable ? `${column} IS NULL` : FALSE;
}

function guardNotNull(column: string, nullable: boolean, test: string): string {
  return nullable ? `(${column} IS NOT NULL AND ${test})` : test;
}

function negate(sql: string): string {
  if (sql === TRUE) return FALSE;
  if (sql === FALSE) return TRUE;
  return `NOT (${sql})`;
}

/** Joins with `AND`/`OR`, dropping identities and short-circuiting on the absorbing constant. */
function joinAll(parts: string[], connective: 'AND' | 'OR', identity: string, absorbing: string): string {
  if (parts.includes(absorbing)) return absorbing;
  const kept = parts.filter((part) => part !== identity);
  if (kept.length === 0) return identity;
  return kept.length === 1 ? kept[0] : `(${kept.join(` ${connective} `)})`;
}

// ---------------------------------------------------------------------------------------------
// Validating stored rules (admin API, seed)

export interface RuleProblem {
  index: number;
  message: string;
}

export interface ValidateOptions {
  /**
   * Replaces each scalar condition value before the test compilation (e.g. fills placeholders
   * with sample values). Without it, a placeholder string "${…}" stands for a value of the right
   * type for its field and operator, so only the rule's shape, fields and operators are checked.
   */
  substitute?: (value: unknown) => unknown;
}

const PLACEHOLDER = /^\$\{[a-zA-Z.]+\}$/;
const LIST_OPERATORS = ['$in', '$nin', '$all'];

/** Checks raw rules against the registry and test-compiles their conditions; an empty list means valid. */
export function validateRules(rawRules: unknown, ds: DataSource, options: ValidateOptions = {}): RuleProblem[] {
  if (!Array.isArray(rawRules)) return [{ index: -1, message: 'rules must be an array' }];
  return rawRules.flatMap((rule, index) => problemsOf(rule, ds, options).map((message) => ({ index, message })));
}

function problemsOf(rule: unknown, ds: DataSource, options: ValidateOptions): string[] {
  if (!isPlainObject(rule)) return ['a rule must be an object'];
  const actions = stringList(rule.action);
  const subjects = stringList(rule.subject);
  if (!actions) return ['"action" must be a non-empty string or array of strings'];
  if (!subjects) return ['"subject" must be a non-empty string or array of strings'];
  if (rule.inverted !== undefined && typeof rule.inverted !== 'boolean') return ['"inverted" must be true or false'];
  if (rule.reason !== undefined && typeof rule.reason !== 'string') return ['"reason" must be a string'];
  return subjects.flatMap((subject) => {
    if (!isSubjectName(subject)) return [`unknown subject "${subject}"`];
    return [
      ...actions.filter((a) => !isKnownAction(subject, a)).map((a) => `unknown action "${a}" for ${subject}`),
      ...fieldProblems(subject, rule.fields),
      ...fieldRuleConditionProblems(rule.fields, rule.conditions),
      ...conditionProblems(subject, rule.conditions, ds, options),
    ];
  });
}

function fieldProblems(subject: SubjectName, fields: unknown): string[] {
  if (fields === undefined) return [];
  const list = stringList(fields);
  if (!list) return ['"fields" must be a non-empty string or array of strings'];
  return list.filter((f) => !fieldsOf(subject).includes(f)).map((f) => `unknown field "${f}" of ${subject}`);
}

/**
 * Field rules are decided per row in memory (which fields of a loaded row to show or let change),
 * where related records are not loaded; so their conditions may use only the subject's own columns.
 */
function fieldRuleConditionProblems(fields: unknown, conditions: unknown): string[] {
  if (fields === undefined || !isPlainObject(conditions)) return [];
  return Object.keys(conditions)
    .filter((path) => path.includes('.'))
    .map((path) => `a rule with "fields" may only use the subject's own columns in its conditions, not "${path}"`);
}

function conditionProblems(subject: SubjectName, conditions: unknown, ds: DataSource, options: ValidateOptions): string[] {
  if (conditions === undefined) return [];
  if (!isPlainObject(conditions)) return ['"conditions" must be an object'];
  try {
    const filled = options.substitute ? mapScalars(conditions, options.substitute) : samplePlaceholders(subject, conditions, ds);
    const ability = createMongoAbility([{ action: 'read', subject, conditions: filled as MongoQuery }]);
    compileRulesToSql(ability, 'read', subject, ds, 'row');
    return [];
  } catch (error) {
    return [(error as Error).message];
  }
}

function mapScalars(value: unknown, substitute: (value: unknown) => unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => mapScalars(item, substitute));
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapScalars(v, substitute)]));
  return substitute(value);
}

/** Replaces each placeholder by a sample of the type its field and operator expect. */
function samplePlaceholders(subject: SubjectName, conditions: Record<string, unknown>, ds: DataSource): Record<string, unknown> {
  const sample = (field: string, operator: string, value: unknown): unknown => {
    if (typeof value !== 'string' || !PLACEHOLDER.test(value)) return value;
    const one = sampleOf(ds, subject, field);
    return LIST_OPERATORS.includes(operator) ? [one] : one;
  };
  return Object.fromEntries(
    Object.entries(conditions).map(([field, value]) => [
      field,
      isPlainObject(value)
        ? Object.fromEntries(Object.entries(value).map(([operator, v]) => [operator, sample(field, operator, v)]))
        : sample(field, '$eq', value),
    ]),
  );
}

function sampleOf(ds: DataSource, subject: SubjectName, path: string): Scalar {
  const parts = path.split('.');
  const relation = parts.length === 2 ? subjectOf(subject)?.relations[parts[0]] : undefined;
  const target = relation ? resolveColumn(ds, relation.target, parts[1]) : resolveColumn(ds, subject, path);
  return target.kind === 'integer' ? 0 : target.kind === 'boolean' ? false : target.enumValues[0];
}

function stringList(value: unknown): string[] | null {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0 || !list.every((item) => typeof item === 'string' && item !== '')) return null;
  return list;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}
