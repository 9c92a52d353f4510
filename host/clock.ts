/**
 * A clock that reads `start` now and runs on in real time from there (CLOCK_START, local mode
 * only): timers and timeouts keep real time, only the dates the bot reasons about move.
 */
export function clockFrom(start: Date, now: () => number = Date.now): () => Date {
  const offset = start.getTime() - now();
  return () => new Date(now() + offset);
}
