import { Activity } from 'botbuilder';
import { ConversationRef } from '../storage/conversationRefRepository';
import { statusOf } from '../storage/tableStore';
import { ProactiveSender } from './proactive';

export interface RateLimitOptions {
  /** Teams allows about 7 messages a second into one conversation. */
  perSecond: number;
  retries: number;
  baseDelayMs: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
}

const TRANSIENT = new Set([412, 429, 502, 503, 504]);

/**
 * Keeps proactive messages under the per-conversation rate limit (a sliding one-second window per
 * conversation, per instance) and retries 429/412/502/503/504 with exponential backoff and jitter.
 *
 * Messages to one conversation queue and go in the order they were handed over; only the one at
 * the front waits for the window. (When every waiter polled the window, a burst of a few hundred
 * cards to one DSL's chat woke all of them at every free slot, and the order they went in was
 * down to which timer fired first.)
 */
export class RateLimitedSender implements ProactiveSender {
  /** Send times in the last second, by conversation; a conversation quiet for a second is dropped. */
  private readonly recent = new Map<string, number[]>();
  /** The last in line for each conversation: the next one waits for it to get its slot. */
  private readonly lines = new Map<string, Promise<void>>();
  private sweptAt = 0;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private readonly random: () => number;

  constructor(
    private readonly inner: ProactiveSender,
    private readonly o: RateLimitOptions = { perSecond: 7, retries: 4, baseDelayMs: 500 },
  ) {
    this.sleep = o.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.now = o.now ?? Date.now;
    this.random = o.random ?? Math.random;
  }

  send(ref: ConversationRef, activity: Partial<Activity>): Promise<string | undefined> {
    return this.withLimits(ref, () => this.inner.send(ref, activity));
  }

  update(ref: ConversationRef, activityId: string, activity: Partial<Activity>): Promise<void> {
    return this.withLimits(ref, () => this.inner.update(ref, activityId, activity));
  }

  /** Conversations with a send in the last second or one waiting (for tests and diagnostics). */
  get tracked(): number {
    return new Set([...this.recent.keys(), ...this.lines.keys()]).size;
  }

  private async withLimits<T>(ref: ConversationRef, call: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      await this.takeSlot(ref.conversationId);
      try {
        return await call();
      } catch (err) {
        const status = statusOf(err);
        if (status === undefined || !TRANSIENT.has(status) || attempt >= this.o.retries) throw err;
        const ceiling = this.o.baseDelayMs * 2 ** attempt;
        await this.sleep(ceiling / 2 + (this.random() * ceiling) / 2);
      }
    }
  }

  /** Joins the conversation's line and returns once this message may go. */
  private async takeSlot(conversationId: string): Promise<void> {
    const ahead = this.lines.get(conversationId) ?? Promise.resolve();
    let done!: () => void;
    const mine = new Promise<void>((resolve) => (done = resolve));
    this.lines.set(conversationId, mine);
    await ahead;
    try {
      await this.waitForWindow(conversationId);
    } finally {
      done();
      if (this.lines.get(conversationId) === mine) this.lines.delete(conversationId);
    }
  }

  private async waitForWindow(conversationId: string): Promise<void> {
    for (;;) {
      const now = this.now();
      const times = (this.recent.get(conversationId) ?? []).filter((t) => now - t < 1000);
      if (times.length < this.o.perSecond) {
        times.push(now);
        this.recent.set(conversationId, times);
        this.forgetQuiet(now);
        return;
      }
      await this.sleep(1000 - (now - times[0]!) + 1);
    }
  }

  /** Without this the map would hold every conversation ever messaged, for the life of the process. At most once a second. */
  private forgetQuiet(now: number): void {
    if (now - this.sweptAt < 1000) return;
    this.sweptAt = now;
    for (const [id, times] of this.recent) if (now - times.at(-1)! >= 1000) this.recent.delete(id);
  }
}
