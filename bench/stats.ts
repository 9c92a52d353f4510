/** Latency figures of one measured run. Times in milliseconds. */
export interface RunFigures {
  requests: number;
  errors: number;
  seconds: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  /** The bot's CPU time (user and system) over the run, per request answered, in ms; NaN where not measured. */
  cpuMsPerRequest: number;
  /**
   * The rest of this machine's CPU a request, in ms (NaN where not measured): the storage emulator
   * (Azure Table Storage does this work on its own machines) and this driver with its loopback
   * Teams connector (Teams' side). The two cores are shared, so at 20 concurrent a request's time
   * follows all three together, not the bot's alone.
   */
  storageCpuMsPerRequest: number;
  driverCpuMsPerRequest: number;
  /**
   * The bot's main thread alone, a request, in ms (NaN where not measured): its event loop, which
   * takes one request at a time, so the mean at 20 concurrent is at least 20 × this, however much
   * the cores have left (see latencyFloorTable).
   */
  botThreadCpuMsPerRequest: number;
}

/** Nearest-rank percentile of an ascending list (the value a request at that rank actually took). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function figuresOf(latenciesMs: readonly number[], seconds: number, errors: number): RunFigures {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  return {
    requests: sorted.length,
    errors,
    seconds,
    rps: seconds > 0 ? sorted.length / seconds : 0,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    cpuMsPerRequest: Number.NaN,
    storageCpuMsPerRequest: Number.NaN,
    driverCpuMsPerRequest: Number.NaN,
    botThreadCpuMsPerRequest: Number.NaN,
  };
}

/** The median of each figure over the repetitions, so one noisy repetition does not decide the result. */
export function medianFigures(reps: readonly RunFigures[]): RunFigures {
  const m = (k: keyof RunFigures) => median(reps.map((r) => r[k]));
  return { requests: m('requests'), errors: m('errors'), seconds: m('seconds'), rps: m('rps'), p50: m('p50'), p95: m('p95'), p99: m('p99'), cpuMsPerRequest: m('cpuMsPerRequest'), storageCpuMsPerRequest: m('storageCpuMsPerRequest'), driverCpuMsPerRequest: m('driverCpuMsPerRequest'), botThreadCpuMsPerRequest: m('botThreadCpuMsPerRequest') };
}
