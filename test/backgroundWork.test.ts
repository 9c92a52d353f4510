import pino from 'pino';
import { BackgroundWork, DEFAULT_BACKGROUND, RequestGauge } from '../services/backgroundWork';

/**
 * The work started after an answer (staff cards, card updates) runs a few at a time, and two at a
 * time while people are waiting on requests (issue 20): a burst of concerns queues its cards
 * rather than taking the CPU and the storage account from the turns still to be answered.
 */
describe('work after a response', () => {
  /** Tasks that finish when told, recording how many ran at once at most. */
  function gate() {
    let running = 0;
    let most = 0;
    const release: Array<() => void> = [];
    const task = () => async () => {
      running++;
      most = Math.max(most, running);
      await new Promise<void>((r) => release.push(r));
      running--;
    };
    const drain = async (background: BackgroundWork) => {
      const done = background.settled();
      // Release whatever has started, until nothing is left.
      for (let i = 0; i < 1000 && (release.length > 0 || background.queued > 0 || running > 0); i++) {
        release.splice(0).forEach((r) => r());
        await new Promise((r) => setImmediate(r));
      }
      await done;
    };
    return { task, drain, most: () => most };
  }

  it('runs at most four at once when the server is quiet', async () => {
    const background = new BackgroundWork(pino({ level: 'silent' }), new RequestGauge());
    const g = gate();
    for (let i = 0; i < 12; i++) background.run('cards', g.task());
    await g.drain(background);
    expect(g.most()).toBe(4);
  });

  it('runs two at a time while eight or more requests are being answered, and all of it once they end', async () => {
    const gauge = new RequestGauge();
    for (let i = 0; i < 8; i++) gauge.enter();
    const background = new BackgroundWork(pino({ level: 'silent' }), gauge);
    const g = gate();
    let finished = 0;
    for (let i = 0; i < 10; i++) {
      const t = g.task();
      background.run('cards', async () => {
        await t();
        finished++;
      });
    }
    await g.drain(background);
    expect(g.most()).toBe(DEFAULT_BACKGROUND.whileBusy);
    expect(DEFAULT_BACKGROUND.whileBusy).toBeLessThan(DEFAULT_BACKGROUND.concurrency);
    expect(finished).toBe(10);
  });

  it('a task that fails is logged and the rest still run', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'error' }, { write: (l: string) => void lines.push(l) });
    const background = new BackgroundWork(logger, new RequestGauge());
    let ran = 0;
    background.run('cards', async () => {
      throw new Error('storage refused');
    });
    for (let i = 0; i < 5; i++) background.run('cards', async () => void ran++);
    await background.settled();
    expect(ran).toBe(5);
    expect(lines.join('')).toContain('backgroundWorkFailed');
  });
});

describe('work after a response, at shutdown', () => {
  it('drops queued work that the outbox also holds, and finishes everything else', async () => {
    const background = new BackgroundWork(pino({ level: 'silent' }), new RequestGauge(), { concurrency: 1, whileBusy: 1, busyAt: 8 });
    let release!: () => void;
    const ran: string[] = [];
    background.run('first', () => new Promise<void>((r) => (release = () => (ran.push('first'), r()))));
    background.run('second', async () => void ran.push('second'));
    for (let i = 0; i < 5; i++) background.run('staffCards', async () => void ran.push('cards'), { inOutbox: true });
    background.run('cardUpdates', async () => void ran.push('updates'));
    await new Promise((r) => setImmediate(r));
    expect(background.dropQueued()).toBe(5);
    release();
    await background.settled();
    expect(ran).toEqual(['first', 'second', 'updates']);
  });
});
