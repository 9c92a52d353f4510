import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { freePort } from '../scripts/azurite';

export interface NodeProcess {
  url: string;
  pid: number;
  /** Resident set size now, and the highest it has been (Linux: VmRSS and VmHWM), in MB. */
  rssMb(): number;
  peakRssMb(): number;
  /** CPU time the process has used so far, user and system, in ms (Linux: /proc/<pid>/stat). */
  cpuMs(): number;
  /** The same for its main thread alone, where its JavaScript runs (see mainThreadCpuReader). */
  mainThreadCpuMs(): number;
  stop(): Promise<void>;
}

function statusField(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : Number.NaN;
  } catch {
    // Not Linux, or the process has gone: the figure is unknown rather than zero.
    return Number.NaN;
  }
}

/** Clock ticks a second, the unit of /proc/<pid>/stat's CPU times. */
export function clockTicks(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

/**
 * utime and stime from /proc/<pid>/stat, in ms. The fields are counted after the command name,
 * which is in parentheses and may itself hold spaces.
 */
export function cpuMsFromStat(stat: string, ticksPerSecond: number): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of the whole line (utime, stime) are the 12th and 13th after the name.
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / ticksPerSecond;
}

/** A reader of a process's CPU time so far (user and system, ms); NaN once it has gone or off Linux. */
export function cpuReader(pid: number, ticks = clockTicks()): () => number {
  return () => {
    try {
      return cpuMsFromStat(readFileSync(`/proc/${pid}/stat`, 'utf8'), ticks);
    } catch {
      return Number.NaN;
    }
  };
}

/** What a process has used of the CPU so far, in ms. */
export type CpuReader = () => number;

/** A thread's CPU time so far in ns: the first field of its schedstat (throws once it has gone). */
function threadCpuNs(pid: number, tid: number | string): number {
  return Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
}

/**
 * The CPU time of all of a process's threads so far, in ms, counted in nanoseconds (Linux:
 * /proc/<pid>/task/<tid>/schedstat). /proc/<pid>/stat counts in clock ticks of 10 ms, too coarse
 * for one turn of a few ms. A thread running at the moment of reading may be counted up to a
 * scheduler tick behind, so read a process between its requests. A thread that has ended no longer
 * counts, so a reading can fall: Node's own threads (its platform workers and libuv's pool) live as
 * long as the process. NaN off Linux or once the process has gone.
 */
export function threadCpuReader(pid: number): CpuReader {
  return () => {
    try {
      let ns = 0;
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        try {
          ns += threadCpuNs(pid, tid);
        } catch {
          // The thread ended between the listing and the read: its time is gone with it.
        }
      }
      return ns / 1e6;
    } catch {
      return Number.NaN;
    }
  };
}

/**
 * The CPU time of a process's main thread alone so far, in ms (Linux:
 * /proc/<pid>/task/<pid>/schedstat): the thread that runs a Node process's JavaScript, its event
 * loop. V8's compiler and garbage-collector helpers and libuv's pool are other threads. One event
 * loop takes requests one at a time, so when it is busy all the time a request waits for the ones
 * before it, whatever the other threads and processes leave free. NaN off Linux or once gone.
 */
export function mainThreadCpuReader(pid: number): CpuReader {
  return () => {
    try {
      return threadCpuNs(pid, pid) / 1e6;
    } catch {
      return Number.NaN;
    }
  };
}

/** This process's own CPU time, in ms (microsecond resolution). */
export const ownCpu: CpuReader = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/**
 * Keeps a process and every thread it has on one CPU (Linux's `taskset`); threads it starts later
 * inherit the setting. `--bot-own-core` gives each bot a core of its own, as its own server would
 * have, and leaves the other to the emulator and the driver, which stand in for Azure and Teams.
 */
export function pinToCpu(pid: number, cpu: number): void {
  execFileSync('taskset', ['--all-tasks', '--cpu-list', '--pid', String(cpu), String(pid)], { stdio: 'ignore' });
}

/** A built entry point (`dist/...`) as its own process, logging to a file as it would in production. */
export async function startNode(entry: string, env: Record<string, string>, logFile: string, extraArgs: string[] = []): Promise<NodeProcess> {
  const port = await freePort();
  const log = openSync(logFile, 'a');
  const child: ChildProcess = spawn(process.execPath, ['--disable-warning=DEP0111', ...extraArgs, entry], {
    env: { PATH: process.env.PATH ?? '', PORT: String(port), ...env },
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${entry} exited during start-up; see ${logFile}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${entry} did not start; see ${logFile}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const pid = child.pid!;
  return {
    url,
    pid,
    rssMb: () => statusField(pid, 'VmRSS'),
    peakRssMb: () => statusField(pid, 'VmHWM'),
    cpuMs: cpuReader(pid),
    mainThreadCpuMs: mainThreadCpuReader(pid),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
