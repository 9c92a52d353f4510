/**
 * Notices when this process's one thread was held: a timer that should fire every `tickMs` fires
 * late by the time the thread was busy elsewhere (a long synchronous step, a garbage collection).
 * Every request in flight waits out such a stall, so it shows in every answer's time at once; the
 * watch tells a stall in this process from a wait on storage or the network.
 */
export interface Stall {
  /** When the stall ended, from `performance.now()`. */
  endedAt: number;
  /** How long the thread was held beyond the tick, in ms. */
  ms: number;
}

export interface StallWatch {
  stop(): void;
}

export function watchEventLoopStalls(onStall: (stall: Stall) => void, o: { tickMs?: number; overMs?: number } = {}): StallWatch {
  const tickMs = o.tickMs ?? 50;
  const overMs = o.overMs ?? 250;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    const late = now - last - tickMs;
    last = now;
    if (late > overMs) onStall({ endedAt: now, ms: late });
  }, tickMs);
  // Never what keeps the process alive.
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
