// Splitting a job's items into chunks for a worker pool without splitting a group (a household's accounts stay
// in one chunk, so its gains budget and wash-sale checks see all of them). Units: item counts.

export interface ChunkRange {
  /** Index of the first item and one past the last item, in the caller's order. */
  start: number;
  end: number;
}

export class ChunkingError extends Error {
  override name = 'ChunkingError';
}

/**
 * Contiguous ranges of at most `maxItems` items (a group larger than that gets a chunk of its own), where
 * `groupKeys[i]` is item i's group and items of a group are contiguous.
 */
export function chunkByGroup(groupKeys: readonly string[], maxItems: number): ChunkRange[] {
  if (!(Number.isInteger(maxItems) && maxItems > 0)) throw new ChunkingError(`chunk size must be a positive integer, got ${maxItems}`);
  const out: ChunkRange[] = [];
  const seen = new Set<string>();
  let start = 0;
  let i = 0;
  while (i < groupKeys.length) {
    const key = groupKeys[i]!;
    if (seen.has(key)) throw new ChunkingError(`items of group ${key} are not contiguous (item ${i})`);
    seen.add(key);
    let j = i + 1;
    while (j < groupKeys.length && groupKeys[j] === key) j++;
    if (j - start > maxItems && i > start) {
      out.push({ start, end: i });
      start = i;
    }
    i = j;
  }
  if (i > start) out.push({ start, end: i });
  return out;
}

/** Fixed-size ranges over `count` items (no groups). */
export function chunkEvenly(count: number, maxItems: number): ChunkRange[] {
  if (!(Number.isInteger(maxItems) && maxItems > 0)) throw new ChunkingError(`chunk size must be a positive integer, got ${maxItems}`);
  const out: ChunkRange[] = [];
  for (let s = 0; s < count; s += maxItems) out.push({ start: s, end: Math.min(count, s + maxItems) });
  return out;
}
