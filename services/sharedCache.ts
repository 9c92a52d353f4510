/**
 * The share of their time by which values read together (every school's register and staff roster,
 * at start-up) are kept shorter or longer than each other: see `spread` below.
 */
export const READ_TOGETHER_SPREAD = 0.25;

/**
 * Values read from storage and kept for a short time, by key. Everyone who asks while a value is
 * being read shares that one read: after a restart, or when the time runs out, a burst of turns
 * would otherwise each read and parse the same rows at once (fifty schools' profiles read by a
 * hundred first turns together took two seconds of CPU in the benchmark's trust scenario).
 */
export class SharedCache<K, V> {
  private readonly held = new Map<K, { at: number; lifeMs: number; value: V }>();
  private readonly reading = new Map<K, { generation: number; value: Promise<V> }>();
  /** Moves on at each `invalidate`, so a read begun before it is not kept as fresh. */
  private generation = 0;

  /**
   * `staleForMs`: how long past its time a value is still answered at once, to a caller that accepts
   * it (`{ stale: true }`), while it is read again in the background; every other caller after the
   * time waits for the read. A failed read in the background leaves the old value answered, and the
   * next caller tries again; once this window too has passed, the caller waits for the read and sees
   * its failure.
   *
   * `spread`: each value is kept for a time drawn between (1 − share) × `ttlMs` and `ttlMs`, never
   * longer, so values read together (fifty schools' registers at start-up) are not all read again
   * in the same second: in the trust bench they were, 30 s into every minute, and the answers sent
   * then were the ones that took over a second.
   */
  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
    private readonly staleForMs = 0,
    private readonly spread: { share: number; random?: () => number } = { share: 0 },
  ) {}

  async get(key: K, read: () => Promise<V>, options: { stale?: boolean } = {}): Promise<V> {
    const hit = this.held.get(key);
    const age = hit ? this.now() - hit.at : Number.POSITIVE_INFINITY;
    if (hit && age < hit.lifeMs) return hit.value;
    if (hit && options.stale && age < hit.lifeMs + this.staleForMs) {
      this.readShared(key, read).catch(() => undefined);
      return hit.value;
    }
    return this.readShared(key, read);
  }

  private readShared(key: K, read: () => Promise<V>): Promise<V> {
    const inFlight = this.reading.get(key);
    if (inFlight && inFlight.generation === this.generation) return inFlight.value;
    const generation = this.generation;
    const at = this.now();
    const value = read().then((v) => {
      if (generation === this.generation) this.held.set(key, { at, lifeMs: this.lifeMs(), value: v });
      return v;
    });
    const entry = { generation, value };
    this.reading.set(key, entry);
    // Whatever the outcome, the next caller after it starts afresh (a failed read is not kept).
    void value.then(
      () => this.reading.get(key) === entry && this.reading.delete(key),
      () => this.reading.get(key) === entry && this.reading.delete(key),
    );
    return value;
  }

  private lifeMs(): number {
    return this.ttlMs * (1 - this.spread.share * (this.spread.random ?? Math.random)());
  }

  /** Forgets one key, or everything: the next caller reads again. */
  invalidate(key?: K): void {
    this.generation++;
    if (key === undefined) {
      this.held.clear();
      this.reading.clear();
    } else {
      this.held.delete(key);
      this.reading.delete(key);
    }
  }
}
