import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { clockTicks, cpuMsFromStat, mainThreadCpuReader, threadCpuReader } from '../bench/processes';
import { cpuByPartTable, latencyFloorTable } from '../bench/report';
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

/**
 * A Node process answers requests on one thread: when that thread is never idle, each of 20
 * concurrent requests waits for the others, so the bench reads the bot's main thread apart from
 * the threads V8 compiles and collects garbage on.
 */
describe("the bench reads a bot's main thread apart from its other threads", () => {
  it('counts the CPU of the thread that runs the JavaScript, not a worker thread busy beside it', async () => {
    // A child whose worker thread spins for 400 ms of its own CPU while the main thread spins for
    // 200 ms of its own; each loop is bounded by its thread's CPU (/proc/thread-self), not the
    // clock. The worker then sleeps, alive, so that its CPU still counts among the threads.
    const spin = (ms: number) =>
      `const cpu = () => Number(require('node:fs').readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;` +
      `const until = cpu() + ${ms}; let x = 0; while (cpu() < until) for (let i = 0; i < 1e5; i++) x += Math.sqrt(i);`;
    const script =
      `const { Worker } = require('node:worker_threads');` +
      `const worker = new Worker(${JSON.stringify(`${spin(400)} require('node:worker_threads').parentPort.postMessage('spun'); Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);`)}, { eval: true });` +
      `${spin(200)}` +
      `worker.once('message', () => process.stdout.write('done'));`;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await once(child.stdout!, 'data');
      const main = mainThreadCpuReader(child.pid!)();
      const all = threadCpuReader(child.pid!)();
      // The main thread: its 200 ms and Node's start-up, and none of the worker's 400 ms.
      expect(main).toBeGreaterThanOrEqual(200);
      expect(main).toBeLessThan(200 + 300);
      expect(all - main).toBeGreaterThanOrEqual(400);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('is not a number once the process has gone', () => {
    expect(mainThreadCpuReader(2 ** 22 + 12345)()).toBeNaN();
  });

  it("gives the floor each of the bot's thread and the machine's cores sets on the mean at 20 concurrent, and the larger against the first row's", () => {
    const figures = (thread: number, bot: number, storage: number, driver: number, p50: number): RunFigures => ({
      ...figuresOf([p50], 1, 0),
      botThreadCpuMsPerRequest: thread,
      cpuMsPerRequest: bot,
      storageCpuMsPerRequest: storage,
      driverCpuMsPerRequest: driver,
    });
    const rows = latencyFloorTable(
      [
        // The cores are full first: 20 × 3.44 ÷ 2 = 34.4 ms against 20 × 1.34 = 26.8 ms.
        { label: 'stateful echo', f: figures(1.34, 1.76, 1.02, 0.66, 38.4) },
        // The thread is full first: 20 × 3.4 = 68 ms against 20 × 5 ÷ 2 = 50 ms; 68 ÷ 34.4.
        { label: 'dialog turn', f: figures(3.4, 3.8, 0.8, 0.4, 71.1) },
        { label: 'not measured', f: figures(Number.NaN, 3, 1, 1, 50) },
      ],
      { concurrency: 20, cores: 2 },
    ).split('\n');
    expect(rows[2]).toMatch(/^\| stateful echo +\| +1\.34 \| +3\.44 \| +26\.8 \| +34\.4 \| +38\.4 \| +\|$/);
    expect(rows[3]).toMatch(/^\| dialog turn +\| +3\.40 \| +5\.00 \| +68\.0 \| +50\.0 \| +71\.1 \| +1\.98× \|$/);
    expect(rows[4]).toMatch(/^\| not measured +\| +– \| +5\.00 \| +– \| +50\.0 \| +50\.0 \| +– \|$/);
  });
});
