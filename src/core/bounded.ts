/** Caches keyed by what clients send (tokens, column sets) are bounded: past `max` entries the oldest goes. */
export function setBounded<K, V>(map: Map<K, V>, key: K, value: V, max: number): V {
  if (!map.has(key) && map.size >= max) map.delete(map.keys().next().value as K);
  map.set(key, value);
  return value;
}
