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
 */
export class RateLimitedSender implements ProactiveSender {
  private readonly recent = new Map<string, number[]>();
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

  private async withLimits<T>(ref: ConversationRef, call: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      await this.waitForSlot(ref.conversationId);
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

  private async waitForSlot(conversationId: string): Promise<void> {
    for (;;) {
      const now = this.now();
      const times = (this.recent.get(conversationId) ?? []).filter((t) => now - t < 1000);
      if (times.length < this.o.perSecond) {
        times.push(now);
        this.recent.set(conversationId, times);
        return;
      }
      await this.sleep(1000 - (now - times[0]!) + 1);
    }
  }
}
