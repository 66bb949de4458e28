/**
 * A bounded in-process cache for pure functions of their input: rendered Markdown, parsed
 * clauses, diffs. The key IS the input (the Markdown source, two version texts), never an id
 * whose content could change, so an entry can never be stale in any process: an edited draft is
 * a different key. Bounded by the total size of keys and values (least recently used out first),
 * so a burst of distinct documents cannot grow memory without limit.
 */
export class ContentCache<V> {
  private readonly entries = new Map<string, { value: V; size: number }>();
  private total = 0;

  constructor(
    private readonly maxChars: number,
    private readonly sizeOf: (value: V) => number,
  ) {}

  get(key: string, compute: () => V): V {
    const hit = this.entries.get(key);
    if (hit) {
      // Map keeps insertion order: re-inserting marks the entry as the most recently used.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.value;
    }
    const value = compute();
    const size = key.length + this.sizeOf(value);
    if (size > this.maxChars / 4) return value; // one huge document does not evict everything else
    this.entries.set(key, { value, size });
    this.total += size;
    for (const [k, e] of this.entries) {
      if (this.total <= this.maxChars) break;
      this.entries.delete(k);
      this.total -= e.size;
    }
    return value;
  }
}
