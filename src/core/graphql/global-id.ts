/** Opaque Relay global ids: base64url("Type:id"). Clients must not parse them. */
import { badInput } from '../errors';

export function toGlobalId(type: string, id: number): string {
  return Buffer.from(`${type}:${id}`).toString('base64url');
}

export function parseGlobalId(globalId: string): { type: string; id: number } | null {
  if (typeof globalId !== 'string' || globalId.length === 0 || globalId.length > 64 || !/^[A-Za-z0-9_-]+$/.test(globalId)) return null;
  const [type, raw, extra] = Buffer.from(globalId, 'base64url').toString('utf8').split(':');
  if (extra !== undefined || !type || !/^[1-9]\d{0,9}$/.test(raw ?? '')) return null;
  const id = Number(raw);
  return id <= 2147483647 ? { type, id } : null;
}

/** Decodes an id argument that must name a record of `type`; anything else is BAD_USER_INPUT on `field`. */
export function idOfTypeOrThrow(globalId: string, type: string, field = 'id'): number {
  const parsed = parseGlobalId(globalId);
  if (!parsed || parsed.type !== type) throw badInput(field, `${field} is not a valid ${type} id`);
  return parsed.id;
}
