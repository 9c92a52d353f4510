import { Activity } from 'botbuilder';
import { ProactiveSender } from '../bot/proactive';
import { RateLimitedSender } from '../bot/rateLimitedSender';
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
