import { Activity } from 'botbuilder';
import { ProactiveSender } from '../delivery/proactive';
import { RateLimitedSender } from '../delivery/rateLimitedSender';
import { ConversationRef } from '../storage/conversationRefRepository';

const ref = (conversationId: string): ConversationRef => ({
  tenantId: 't',
  scope: 'personal',
  conversationId,
  serviceUrl: 'http://127.0.0.1/',
  channelId: 'msteams',
  botId: 'bot',
  updatedAt: '2026-11-23T09:00:00Z',
});

/** A virtual clock: sleeping moves time on instantly, so the test measures spacing, not seconds. */
function virtualTime() {
  let now = 0;
  return { now: () => now, sleep: async (ms: number) => void (now += ms) };
}

class Recorder implements ProactiveSender {
  readonly times: Array<{ conversation: string; at: number }> = [];
  failures: number[] = [];
  constructor(private readonly clock: () => number) {}
  async send(r: ConversationRef, _a: Partial<Activity>): Promise<string> {
    const status = this.failures.shift();
    if (status) throw Object.assign(new Error(`connector said ${status}`), { statusCode: status });
    this.times.push({ conversation: r.conversationId, at: this.clock() });
    return 'id';
  }
  async update(): Promise<void> {}
}

describe('proactive sends respect Teams limits', () => {
  it('never more than 7 messages a second into one conversation', async () => {
    const t = virtualTime();
    const inner = new Recorder(t.now);
    const sender = new RateLimitedSender(inner, { perSecond: 7, retries: 3, baseDelayMs: 100, ...t });
    for (let i = 0; i < 30; i++) await sender.send(ref('busy'), { text: `${i}` });
    const times = inner.times.map((x) => x.at);
    for (const start of times) expect(times.filter((x) => x >= start && x < start + 1000).length).toBeLessThanOrEqual(7);
    expect(times.at(-1)!).toBeGreaterThanOrEqual(4000); // 30 messages need at least 4 full seconds
  });

  it('one busy conversation does not slow another', async () => {
    const t = virtualTime();
    const inner = new Recorder(t.now);
    const sender = new RateLimitedSender(inner, { perSecond: 7, retries: 3, baseDelayMs: 100, ...t });
    for (let i = 0; i < 7; i++) await sender.send(ref('busy'), {});
    await sender.send(ref('quiet'), {});
    expect(inner.times.find((x) => x.conversation === 'quiet')!.at).toBe(0);
  });

  it('retries 429, 412 and 5xx with growing, jittered delays; other errors are not retried', async () => {
    const t = virtualTime();
    const inner = new Recorder(t.now);
    inner.failures = [429, 503, 412];
    const sender = new RateLimitedSender(inner, { perSecond: 7, retries: 4, baseDelayMs: 100, random: () => 1, ...t });
    await sender.send(ref('c'), {});
    // 100, 200, 400 ms ceilings (jitter at its top): delivered at 700 ms, after three retries.
    expect(inner.times).toEqual([{ conversation: 'c', at: 700 }]);
    inner.failures = [403];
    await expect(sender.send(ref('c'), {})).rejects.toThrow('connector said 403');
    inner.failures = [429, 429, 429, 429, 429, 429];
    await expect(sender.send(ref('c'), {})).rejects.toThrow('connector said 429');
  });
});

/**
 * A virtual clock for messages sent at the same time: sleepers wake in time order when `run`
 * moves the clock on, so concurrent waits can be checked without real seconds passing.
 */
function virtualScheduler() {
  let now = 0;
  let order = 0;
  let sleeps = 0;
  const timers: Array<{ at: number; order: number; wake: () => void }> = [];
  return {
    now: () => now,
    sleep: (ms: number) => {
      sleeps++;
      return new Promise<void>((wake) => void timers.push({ at: now + ms, order: order++, wake }));
    },
    sleeps: () => sleeps,
    async run<T>(work: Promise<T>): Promise<T> {
      let finished = false;
      const result = work.finally(() => (finished = true));
      for (let idle = 0; !finished && idle < 1000; ) {
        await new Promise((r) => setImmediate(r));
        if (finished || timers.length === 0) {
          idle++;
          continue;
        }
        timers.sort((a, b) => a.at - b.at || a.order - b.order);
        const next = timers.shift()!;
        now = Math.max(now, next.at);
        next.wake();
      }
      return result;
    },
  };
}

describe('a burst of cards to one chat', () => {
  it('goes in the order it was handed over, at most 7 a second, with one wait per card rather than one per card per free slot', async () => {
    const t = virtualScheduler();
    const inner = new Recorder(t.now);
    const order: string[] = [];
    const sender = new RateLimitedSender(
      { send: async (r, a) => (order.push(String(a.text)), inner.send(r, a)), update: async () => undefined },
      { perSecond: 7, retries: 3, baseDelayMs: 100, now: t.now, sleep: t.sleep },
    );
    const burst = Array.from({ length: 100 }, (_, i) => sender.send(ref('dsl-chat'), { text: `card ${i}` }));
    // A quieter chat is not held up behind the busy one.
    const other = sender.send(ref('teacher-chat'), { text: 'receipt' });
    await t.run(Promise.all([...burst, other]));

    expect(order.filter((x) => x.startsWith('card'))).toEqual(Array.from({ length: 100 }, (_, i) => `card ${i}`));
    const times = inner.times.filter((x) => x.conversation === 'dsl-chat').map((x) => x.at);
    for (const start of times) expect(times.filter((x) => x >= start && x < start + 1000).length).toBeLessThanOrEqual(7);
    expect(times.at(-1)!).toBeGreaterThanOrEqual(14_000); // 100 cards at 7 a second: at least 14 s
    expect(inner.times.find((x) => x.conversation === 'teacher-chat')!.at).toBe(0);
    // Polling by every waiter took thousands of timers for this burst.
    expect(t.sleeps()).toBeLessThanOrEqual(100);
  });

  it('forgets a conversation once it has been quiet, so a long-running bot does not keep every chat it ever messaged', async () => {
    const t = virtualScheduler();
    const sender = new RateLimitedSender(new Recorder(t.now), { perSecond: 7, retries: 3, baseDelayMs: 100, now: t.now, sleep: t.sleep });
    await t.run(Promise.all(Array.from({ length: 300 }, (_, i) => sender.send(ref(`chat-${i}`), {}))));
    expect(sender.tracked).toBe(300);
    await t.run(t.sleep(2000));
    await t.run(sender.send(ref('later'), {}));
    expect(sender.tracked).toBeLessThan(10);
  });
});
