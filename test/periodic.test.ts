import pino from 'pino';
import { Periodic } from '../jobs/periodic';

describe('a scheduled job on stop', () => {
  it('tells the pass in hand to end, and waits only for that', async () => {
    let started = false;
    let told = false;
    // A pass that would take a minute (a trust's backlog) unless told to stop.
    const job = new Periodic(
      'deadlineReminders',
      (signal) =>
        new Promise<void>((resolve) => {
          started = true;
          const timer = setTimeout(resolve, 60_000);
          signal.addEventListener('abort', () => {
            told = true;
            clearTimeout(timer);
            resolve();
          });
        }),
      pino({ level: 'silent' }),
    );
    job.start(10);
    while (!started) await new Promise((r) => setTimeout(r, 10));
    await job.stop();
    expect(told).toBe(true);
  }, 20_000);
});
