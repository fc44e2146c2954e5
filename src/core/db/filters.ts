/** Filter pieces shared by list queries, so each kind of filter means the same everywhere. */
import { Brackets, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { badInput } from '../errors';
import { idOfTypeOrThrow } from '../graphql/global-id';

let seq = 0;
const param = (name: string) => `${name}_f${++seq}`;

/**
 * Escapes LIKE wildcards in user text with "!" (a backslash would need different quoting in MySQL,
 * where it escapes inside string literals, and SQLite, where it does not).
 */
export const likeEscape = (text: string) => text.replace(/[!%_]/g, (c) => `!${c}`);

/** Rows whose `column` is the unit `unitId` or any unit below it (org_units.path prefix). */
export function whereInSubtree<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, column: string, unitId: number): void {
  const p = param('unit');
  qb.andWhere(
    `${column} IN (SELECT sub.id FROM org_units sub WHERE sub.path LIKE (SELECT CONCAT(root.path, '%') FROM org_units root WHERE root.id = :${p}))`,
    { [p]: unitId },
  );
}

/** Case-insensitive substring search over `columns`, or prefix search for code-like columns. */
export function whereTextMatches<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  field: string,
  text: string,
  columns: { contains?: string[]; prefix?: string[] },
): void {
  const q = text.trim();
  if (q.length === 0) return;
  if (q.length > 100) throw badInput(field, `${field} must be at most 100 characters`);
  const contains = param('contains');
  const prefix = param('prefix');
  qb.andWhere(
    new Brackets((w) => {
      for (const c of columns.contains ?? []) w.orWhere(`${c} LIKE :${contains} ESCAPE '!'`, { [contains]: `%${likeEscape(q)}%` });
      for (const c of columns.prefix ?? []) w.orWhere(`${c} LIKE :${prefix} ESCAPE '!'`, { [prefix]: `${likeEscape(q.toUpperCase())}%` });
    }),
  );
}

/** Bit-mask column has any of the given flags. */
export function whereFlagsAny<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, column: string, mask: number): void {
  if (mask === 0) return;
  const p = param('mask');
  qb.andWhere(`(${column} & :${p}) <> 0`, { [p]: mask });
}

export function whereRange<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  column: string,
  range: { min?: string | number | null; max?: string | number | null } | null | undefined,
): void {
  if (!range) return;
  if (range.min !== null && range.min !== undefined) {
    const p = param('min');
    qb.andWhere(`${column} >= :${p}`, { [p]: range.min });
  }
  if (range.max !== null && range.max !== undefined) {
    const p = param('max');
    qb.andWhere(`${column} <= :${p}`, { [p]: range.max });
  }
}

/** The project / enterprise / territory (subtree) conditions of a ProjectRecordFilter, on `alias`. */
export function whereProjectRecord<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  alias: string,
  f: { projectId?: string | null; enterpriseId?: string | null; territoryId?: string | null },
): void {
  if (f.projectId) {
    const p = param('project');
    qb.andWhere(`${alias}.projectId = :${p}`, { [p]: idOfTypeOrThrow(f.projectId, 'Project', 'filter.projectId') });
  }
  if (f.enterpriseId) {
    const p = param('enterprise');
    qb.andWhere(`${alias}.enterpriseId = :${p}`, { [p]: idOfTypeOrThrow(f.enterpriseId, 'Enterprise', 'filter.enterpriseId') });
  }
  if (f.territoryId) whereInSubtree(qb, `${alias}.territoryId`, idOfTypeOrThrow(f.territoryId, 'OrgUnit', 'filter.territoryId'));
}
