import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { threadCpuReader } from '../bench/processes';
import { concernIf, TurnCost, turnCosts } from '../bench/turnCosts';

const SPINNER = `
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
require('node:readline').createInterface({ input: process.stdin }).on('line', () => {
  const start = cpu();
  while (cpu() < start + 25) {}
  process.stdout.write(String(cpu() - start) + '\\n');
});
`;

describe("the bench's CPU a turn, one at a time", () => {
  it("reads another process's CPU time over its threads to well under a clock tick", async () => {
    // A child that spins for 25 ms of its own CPU on each line it is sent, says how much it used, and waits.
    const child = spawn(process.execPath, ['-e', SPINNER], { stdio: ['pipe', 'pipe', 'inherit'] });
    const lines = createInterface({ input: child.stdout! });
    const waiting: Array<(n: number) => void> = [];
    lines.on('line', (l) => waiting.shift()?.(Number(l)));
    const spin = () => new Promise<number>((resolve) => {
      waiting.push(resolve);
      child.stdin!.write('spin\n');
    });
    try {
      await spin(); // its first spin compiles the loop
      const threads = threadCpuReader(child.pid!);
      const differences: number[] = [];
      for (let i = 0; i < 5; i++) {
        const before = threads();
        const used = await spin();
        await new Promise((r) => setTimeout(r, 20));
        differences.push(threads() - before - used);
      }
      // The reading has all of the spin, and a little more (the child reading its line and writing its
      // answer). /proc/<pid>/stat counts in steps of 10 ms: 25 ms would read as 20 or 30.
      expect(Math.min(...differences)).toBeGreaterThan(-1);
      expect([...differences].sort((a, b) => a - b)[2]).toBeLessThan(2.5);
    } finally {
      child.kill();
    }
  });

  it('gives each kind of turn the CPU used while its request was open, and work after the answer apart', async () => {
    // The processes' CPU is a counter the turns move, so that nothing else this worker does can
    // count: reading real CPU is the test above. The bot uses 12 ms on a heavy turn, 2 on a light
    // one, and the emulator 3 and 1; after a heavy turn's answer the bot uses 20 ms more, and the
    // emulator 5, as a Send's staff cards go out.
    const used = { bot: 0, storage: 0 };
    let n = 0;
    const kinds = ['heavy', 'light'];
    const costs = await turnCosts({
      turns: 20,
      warm: 2,
      kindOf: () => kinds[n % 2]!,
      one: async () => {
        const heavy = n++ % 2 === 0;
        used.bot += heavy ? 12 : 2;
        used.storage += heavy ? 3 : 1;
        if (heavy) {
          // In two parts, the second after the first look for quiet: it must still count as after.
          setTimeout(() => {
            used.bot += 12;
            used.storage += 5;
          }, 5);
          setTimeout(() => (used.bot += 8), 40);
        }
      },
      cpu: { bot: () => used.bot, storage: () => used.storage, driver: () => 0 },
    });
    expect(costs.map((c) => ({ kind: c.kind, turns: c.turns, during: c.during, after: c.after }))).toEqual([
      { kind: 'heavy', turns: 10, during: { bot: 12, storage: 3, driver: 0 }, after: { bot: 20, storage: 5 } },
      { kind: 'light', turns: 10, during: { bot: 2, storage: 1, driver: 0 }, after: { bot: 0, storage: 0 } },
    ]);
  });

  it("says what the concern would be with its questions, or its Send, at an echo turn's cost", () => {
    const turn = (kind: string, bot: number): TurnCost => ({ kind, turns: 1, during: { bot, storage: 2, driver: 3 }, after: { bot: 0, storage: 0 }, quietAfterMs: 0 });
    const costs = [turn('echo turn, state in Azure Tables', 5), turn('start ("attendance")', 10), turn('the child', 10), turn('what happened', 10), turn('cancel', 10), turn('Send', 25)];
    // Echo 10, each question 15, Send 30: (45 + 30) / 40, (30 + 30) / 40, (45 + 10) / 40.
    expect(concernIf(costs)).toEqual({ asIs: 1.875, questionsAsEcho: 1.5, sendAsEcho: 1.375 });
    expect(concernIf(costs.filter((c) => c.kind !== 'Send'))).toBeUndefined();
  });
});
