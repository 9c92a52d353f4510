import { RunFigures } from './stats';
import { StorageFloor } from './storageFloor';
import { totalDuring, TurnCost } from './turnCosts';

export interface ScenarioResult {
  key: string;
  label: string;
  /** Median figures over the repetitions, by concurrency (1 and 20). */
  byConcurrency: Record<string, RunFigures>;
  /** Each repetition's figures, by concurrency: how far they spread within the run. */
  repetitions: Record<string, RunFigures[]>;
  peakRssMb: number;
  /** One storage call on its own before and after the scenario (see storageFloor.ts). */
  storage?: { before: StorageFloor; after: StorageFloor };
  /** p50 and p99 at 20 concurrent, against the echo baseline's. */
  ratioToBaseline?: { p50: number; p99: number };
}

export interface BudgetLine {
  /** A stable name for the line, for bench/results/latest.json readers. */
  name: string;
  what: string;
  limit: string;
  measured: string;
  /** The measured figure and the limit it is held to, as numbers (ms, MB, ratio or calls). */
  value?: number;
  max?: number;
  pass: boolean | undefined;
}

const ms = (n: number) => (Number.isFinite(n) ? (n >= 100 ? n.toFixed(0) : n.toFixed(1)) : '–');

export function resultsTable(results: readonly ScenarioResult[]): string {
  const header = ['scenario', 'conc', 'requests', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'errors', 'CPU ms/req', 'peak RSS MB', '×echo p50/p99 @20'];
  const rows: string[][] = [];
  for (const r of results) {
    for (const [concurrency, f] of Object.entries(r.byConcurrency)) {
      rows.push([
        r.label,
        concurrency,
        String(Math.round(f.requests)),
        f.rps.toFixed(1),
        ms(f.p50),
        ms(f.p95),
        ms(f.p99),
        String(f.errors),
        Number.isFinite(f.cpuMsPerRequest) ? f.cpuMsPerRequest.toFixed(2) : '–',
        concurrency === Object.keys(r.byConcurrency)[0] ? r.peakRssMb.toFixed(0) : '',
        concurrency === '20' && r.ratioToBaseline ? `${r.ratioToBaseline.p50.toFixed(2)} / ${r.ratioToBaseline.p99.toFixed(2)}` : '',
      ]);
    }
  }
  return table(header, rows);
}

/** The CPU a request of the bot, the storage emulator and the driver together. */
const allPartsCpu = (f: RunFigures) => f.cpuMsPerRequest + f.storageCpuMsPerRequest + f.driverCpuMsPerRequest;

/**
 * The machine's CPU a request at 20 concurrent, by part: the bot, the storage emulator and this
 * driver (with its loopback Teams connector), each row also against the first row's. On two shared
 * cores a request's time at 20 concurrent follows all three together.
 */
export function cpuByPartTable(rows: ReadonlyArray<{ label: string; f: RunFigures }>): string {
  const first = rows[0]?.f;
  const cpu = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : '–');
  const times = (a: number, b: number) => (Number.isFinite(a / b) ? `${(a / b).toFixed(2)}×` : '–');
  return table(
    ['CPU ms a request at 20 concurrent', 'the bot', 'storage emulator', 'driver and Teams stub', 'all three', `× ${rows[0]?.label ?? ''} (bot / all)`],
    rows.map(({ label, f }, i) => [label, cpu(f.cpuMsPerRequest), cpu(f.storageCpuMsPerRequest), cpu(f.driverCpuMsPerRequest), cpu(allPartsCpu(f)), i === 0 || !first ? '' : `${times(f.cpuMsPerRequest, first.cpuMsPerRequest)} / ${times(allPartsCpu(f), allPartsCpu(first))}`]),
  );
}

/**
 * What the CPU a request allows at a fixed concurrency, by Little's law: with `concurrency`
 * requests always in flight, the mean time a request takes is `concurrency` ÷ requests a second.
 * The bot's main thread (its one event loop) serves at most 1 ÷ its CPU a request, and the machine's
 * cores at most `cores` ÷ what all three parts spend on one; so the mean is at least `concurrency`
 * × the larger of the two, whichever is full. Each row's larger floor is also set against the first
 * row's: that is the ratio the CPU alone would give the two, with nothing else in the way.
 */
export function latencyFloorTable(rows: ReadonlyArray<{ label: string; f: RunFigures }>, o: { concurrency: number; cores: number }): string {
  const floors = rows.map(({ f }) => {
    const thread = o.concurrency * f.botThreadCpuMsPerRequest;
    const cores = (o.concurrency * allPartsCpu(f)) / o.cores;
    return { thread, cores, larger: Math.max(thread, cores) };
  });
  const n = (x: number, digits: number) => (Number.isFinite(x) ? x.toFixed(digits) : '–');
  return table(
    [`At ${o.concurrency} concurrent`, "bot's main thread, CPU ms a request", 'all three, CPU ms a request', `${o.concurrency} × main thread (ms)`, `${o.concurrency} × all three ÷ ${o.cores} cores (ms)`, 'p50 measured (ms)', `larger floor × ${rows[0]?.label ?? ''}`],
    rows.map(({ label, f }, i) => {
      const { thread, cores, larger } = floors[i]!;
      const ratio = larger / floors[0]!.larger;
      return [label, n(f.botThreadCpuMsPerRequest, 2), n(allPartsCpu(f), 2), n(thread, 1), n(cores, 1), n(f.p50, 1), i === 0 ? '' : Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : '–'];
    }),
  );
}

/** Each kind of turn's CPU, one conversation at a time (bench/turnCosts.ts), against the first row's. */
export function turnCostTable(rows: readonly TurnCost[]): string {
  const first = rows[0];
  const cpu = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : '–');
  return table(
    ['CPU ms a turn, one at a time', 'turns', 'the bot', 'storage emulator', 'driver and Teams stub', 'all three', `× ${first?.kind ?? ''} (all)`, 'after answering: bot / emulator (quiet after)'],
    rows.map((c, i) => [c.kind, String(c.turns), cpu(c.during.bot), cpu(c.during.storage), cpu(c.during.driver), cpu(totalDuring(c)), i === 0 || !first ? '' : `${(totalDuring(c) / totalDuring(first)).toFixed(2)}×`, `${cpu(c.after.bot)} / ${cpu(c.after.storage)} (${c.quietAfterMs.toFixed(0)} ms)`]),
  );
}

/** The storage floor under each scenario: rows in the cases table, and one point read and one range query on their own. */
export function storageTable(results: readonly ScenarioResult[]): string {
  const f = (x: StorageFloor) => `${x.rows.toLocaleString('en-GB')} rows: ${x.pointReadMs.toFixed(1)} / ${x.rangeQueryMs.toFixed(1)} ms`;
  return table(
    ['scenario', 'before (point read / range query)', 'after'],
    results.filter((r) => r.storage).map((r) => [r.label, f(r.storage!.before), f(r.storage!.after)]),
  );
}

/** Storage round-trips per operation, with where they go. */
export function storageCallsTable(rows: ReadonlyArray<{ operation: string; calls: number; by: Record<string, number> }>): string {
  return table(
    ['operation', 'storage calls', 'where'],
    rows.map((r) => [r.operation, String(r.calls), Object.entries(r.by).map(([k, n]) => `${k} ×${n}`).join(', ') || '–']),
  );
}

/** The trust scenario, by kind of request. */
export function trustTable(byKind: Record<string, RunFigures & { shed: number }>): string {
  return table(
    ['kind', 'answered', 'shed (503 or busy)', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms'],
    Object.entries(byKind).map(([k, f]) => [k, String(f.requests), String(f.shed), f.rps.toFixed(1), ms(f.p50), ms(f.p95), ms(f.p99)]),
  );
}

/** The answers over a second, by kind, and when in the minute they were sent (seconds from its start). */
export function lateAnswers(lateAt: Record<string, readonly number[]>, overMs: number): string {
  const when = (at: readonly number[]) => {
    const sorted = [...at].sort((a, b) => a - b).map((s) => s.toFixed(1));
    return sorted.length > 12 ? `${sorted.slice(0, 10).join(', ')} … ${sorted.at(-1)}` : sorted.join(', ');
  };
  const kinds = Object.entries(lateAt).map(([k, at]) => `${k} ${at.length}${at.length ? ` (sent at ${when(at)} s)` : ''}`);
  return `Answered after ${overMs / 1000} s: ${kinds.join('; ')}.`;
}

/** The bench's own stalls: answers in flight during one are measured late by it, whatever the bot did. */
export function benchStalls(stalls: ReadonlyArray<{ at: number; ms: number }>): string {
  if (stalls.length === 0) return "The bench's own thread was never held over a quarter of a second.";
  const listed = stalls.slice(0, 12).map((s) => `${(s.ms / 1000).toFixed(2)} s at ${s.at.toFixed(1)} s`);
  return `The bench's own thread was held ${stalls.length} time(s): ${listed.join(', ')}${stalls.length > 12 ? ' …' : ''}.`;
}

export function budgetTable(lines: readonly BudgetLine[]): string {
  return table(
    ['budget', 'limit', 'measured', 'result'],
    lines.map((l) => [l.what, l.limit, l.measured, l.pass === undefined ? 'NOT RUN' : l.pass ? 'PASS' : 'FAIL']),
  );
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  return [line(header), `|${widths.map((w, i) => (i === 0 ? ` ${'-'.repeat(w)} ` : ` ${'-'.repeat(w - 1)}: `)).join('|')}|`, ...rows.map(line)].join('\n');
}
