import { Stall, watchEventLoopStalls } from '../telemetry/eventLoopStalls';

/** Holds this thread for `ms`, as a long synchronous step would. */
function holdThread(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy
  }
}

const ticks = (n: number) => new Promise<void>((resolve) => setTimeout(resolve, n));

describe('the event-loop stall watch (what tells a held thread from slow storage in the log)', () => {
  test('a thread held for 800 ms is reported once, as at least that long less a tick', async () => {
    const stalls: Stall[] = [];
    const watch = watchEventLoopStalls((s) => stalls.push(s), { tickMs: 50, overMs: 250 });
    try {
      await ticks(120);
      holdThread(800);
      await ticks(120);
    } finally {
      watch.stop();
    }
    const long = stalls.filter((s) => s.ms >= 700);
    expect(long).toHaveLength(1);
  });

  test('once stopped, the watch reports nothing', async () => {
    const stalls: Stall[] = [];
    const watch = watchEventLoopStalls((s) => stalls.push(s), { tickMs: 50, overMs: 250 });
    await ticks(120);
    watch.stop();
    holdThread(800);
    await ticks(120);
    expect(stalls.filter((s) => s.ms >= 700)).toEqual([]);
  });
});
