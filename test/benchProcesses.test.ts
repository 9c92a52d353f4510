import { readFileSync } from 'node:fs';
import { clockTicks, cpuMsFromStat } from '../bench/processes';

/**
 * The bench reports the bot's CPU time a request beside its latency: on two shared cores latency
 * swings with whatever else runs, while the CPU a request costs is the bot's own.
 */
describe('the bench reads a process\'s CPU time', () => {
  it('as the kernel counts it for this very process', () => {
    let x = 0;
    const until = process.cpuUsage().user + 300_000;
    while (process.cpuUsage().user < until) x += Math.sqrt(x + 1);
    const fromStat = cpuMsFromStat(readFileSync('/proc/self/stat', 'utf8'), clockTicks());
    const usage = process.cpuUsage();
    expect(fromStat).toBeGreaterThan(300);
    // /proc counts in clock ticks (10 ms), getrusage to the microsecond.
    expect(Math.abs(fromStat - (usage.user + usage.system) / 1000)).toBeLessThan(50);
    expect(x).toBeGreaterThan(0);
  });

  it('counts the fields after the command name, which may hold spaces and parentheses', () => {
    const stat = '4242 (node (bench) bot) R 1 2 3 4 5 6 7 8 9 10 250 50 0 0 20 0 1 0 99 0 0';
    expect(cpuMsFromStat(stat, 100)).toBe(3000);
  });
});
