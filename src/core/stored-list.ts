/**
 * Lists a browser keeps as JSON text by id (sessions kept on a phone, posts waiting for a
 * connection): read leniently, since the text may be old or edited, one entry per id, and capped.
 * @module
 */

/** The list from its stored text: entries `readOne` cannot read are dropped, the first of each id kept, the newest `max` kept. */
export function parseStoredList<T extends { id: string }>(
  raw: string | null | undefined,
  readOne: (value: unknown) => T | null,
  max: number,
): T[] {
  if (!raw) return [];
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return [];
  }
  if (!Array.isArray(value)) return [];
  const seen = new Set<string>();
  return value
    .map(readOne)
    .filter((s): s is T => s !== null && !seen.has(s.id) && Boolean(seen.add(s.id)))
    .slice(-max);
}

/** The list with `item` added last (replacing an entry with its id), the oldest dropped past `max`. */
export function putById<T extends { id: string }>(list: readonly T[], item: T, max: number): T[] {
  return [...list.filter((s) => s.id !== item.id), item].slice(-max);
}

/** The list without the given ids. */
export function removeByIds<T extends { id: string }>(list: readonly T[], ids: readonly string[]): T[] {
  const gone = new Set(ids);
  return list.filter((s) => !gone.has(s.id));
}
