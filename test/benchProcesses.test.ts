import { readFileSync } from 'node:fs';
import { clockTicks, cpuMsFromStat } from '../bench/processes';
import { cpuByPartTable } from '../bench/report';
import { figuresOf, RunFigures } from '../bench/stats';

/**
 * The bench reports the bot's CPU time a request beside its latency: on two shared cores latency
 * swings with whatever else runs, while the CPU a request costs is the bot's own.
 */
describe('the bench reads a process\'s CPU time', () => {
  it('as the kernel counts it for this very process', () => {
    const stat = () => cpuMsFromStat(readFileSync('/proc/self/stat', 'utf8'), clockTicks());
    const usage = () => {
      const { user, system } = process.cpuUsage();
      return (user + system) / 1000;
    };
    // Over a busy loop, so that what the (long-lived) jest worker did before does not count, and
    // with each reading of /proc inside a reading of getrusage, so that the worker's other threads
    // working between two readings cannot count against it.
    const usageBefore = usage();
    const statBefore = stat();
    let x = 0;
    const until = process.cpuUsage().user + 300_000;
    while (process.cpuUsage().user < until) x += Math.sqrt(x + 1);
    const statAfter = stat();
    const usageAfter = usage();
    // /proc counts in clock ticks (10 ms), getrusage to the microsecond: a tick each way per
    // reading, and a little more below for the two readings of /proc themselves.
    const fromStat = statAfter - statBefore;
    expect(fromStat).toBeGreaterThan(300);
    expect(fromStat).toBeGreaterThan(usageAfter - usageBefore - 50);
    expect(fromStat).toBeLessThan(usageAfter - usageBefore + 20);
    expect(x).toBeGreaterThan(0);
  });

  it('counts the fields after the command name, which may hold spaces and parentheses', () => {
    const stat = '4242 (node (bench) bot) R 1 2 3 4 5 6 7 8 9 10 250 50 0 0 20 0 1 0 99 0 0';
    expect(cpuMsFromStat(stat, 100)).toBe(3000);
  });
});

describe('the bench shows where a request\'s CPU goes on the shared machine', () => {
  const figures = (bot: number, storage: number, driver: number): RunFigures => ({ ...figuresOf([10, 20], 1, 0), cpuMsPerRequest: bot, storageCpuMsPerRequest: storage, driverCpuMsPerRequest: driver });

  it('adds the bot, the storage emulator and the driver, and sets each row against the first', () => {
    const rows = cpuByPartTable([
      { label: 'stateful echo', f: figures(2, 1, 0.5) },
      { label: 'dialog turn', f: figures(5, 2.5, 1) },
    ]).split('\n');
    expect(rows[2]).toMatch(/^\| stateful echo +\| +2\.00 \| +1\.00 \| +0\.50 \| +3\.50 \| +\|$/);
    // 5 / 2 for the bot; 8.5 / 3.5 for all three.
    expect(rows[3]).toMatch(/^\| dialog turn +\| +5\.00 \| +2\.50 \| +1\.00 \| +8\.50 \| +2\.50× \/ 2\.43× \|$/);
  });

  it('says a part was not measured rather than printing a number (a storage account does its work elsewhere)', () => {
    const rows = cpuByPartTable([
      { label: 'stateful echo', f: figures(2, Number.NaN, 0.5) },
      { label: 'dialog turn', f: figures(5, Number.NaN, 1) },
    ]).split('\n');
    expect(rows[3]).toMatch(/^\| dialog turn +\| +5\.00 \| +– \| +1\.00 \| +– \| +2\.50× \/ – \|$/);
  });
});
