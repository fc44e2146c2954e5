/**
 * Placeholders in stored rule conditions, filled from a binding when the ability is built.
 * A placeholder is a whole string value "${name}"; it is replaced by a typed value (a number,
 * or an array of numbers for a subtree), never spliced into text.
 */
export interface PlaceholderValues {
  'scope.id': number;
  'scope.subtree': number[];
  'user.id': number;
  /**
   * 0 for users who are not enterprise accounts: no row has id 0, so rules on it match nothing.
   * (null would be wrong: `{ enterpriseId: null }` matches every row without an enterprise.)
   */
  'user.enterpriseId': number;
}

export const PLACEHOLDER_NAMES = ['scope.id', 'scope.subtree', 'user.id', 'user.enterpriseId'] as const;
const PLACEHOLDER = /^\$\{([A-Za-z.]+)\}$/;

export function placeholderName(value: unknown): string | null {
  return typeof value === 'string' ? (PLACEHOLDER.exec(value)?.[1] ?? null) : null;
}

export class UnknownPlaceholderError extends Error {}

/** Deep-copies `conditions` with every placeholder replaced. */
export function fillPlaceholders<T>(conditions: T, values: PlaceholderValues): T {
  const fill = (value: unknown): unknown => {
    const name = placeholderName(value);
    if (name !== null) {
      if (!(PLACEHOLDER_NAMES as readonly string[]).includes(name)) throw new UnknownPlaceholderError(`Unknown placeholder \${${name}}`);
      return values[name as keyof PlaceholderValues];
    }
    if (Array.isArray(value)) return value.map(fill);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v)]));
    return value;
  };
  return fill(conditions) as T;
}

/** Sample values of the right type, for test-compiling stored rules before they are saved. */
export const SAMPLE_PLACEHOLDER_VALUES: PlaceholderValues = { 'scope.id': 1, 'scope.subtree': [1, 2], 'user.id': 1, 'user.enterpriseId': 1 };

/** Replaces one placeholder value by its sample; throws UnknownPlaceholderError for an unknown one. */
export function samplePlaceholder(value: unknown): unknown {
  const name = placeholderName(value);
  if (name === null) return value;
  if (!(PLACEHOLDER_NAMES as readonly string[]).includes(name)) throw new UnknownPlaceholderError(`unknown placeholder \${${name}}`);
  return SAMPLE_PLACEHOLDER_VALUES[name as keyof PlaceholderValues];
}
