import v8 from 'node:v8';

/**
 * How far V8 lets the heap grow past what is live before its next full collection: 1.3×.
 *
 * The bot's live heap is about 90 MB (110 to 125 MB with a trust of 50 schools' registers cached),
 * but under a burst the short-lived objects of each storage call outlive a young collection or two
 * and are promoted, and V8's default growth (up to 4× the live size when collections are cheap) let
 * the heap reach ~370 MB of mostly garbage, which the process kept as RSS. 1.5× held twenty
 * teachers at once in ~250 MB; the trust scenario of `npm run bench` (500 conversations) peaked at
 * 310 to 320 MB with it, and at 282 MB with 1.3×, for the same throughput within the runs' spread
 * (issue 20 note). A full collection then comes every second or so under that load, 6 to 14 ms each.
 */
export const HEAP_GROWING_PERCENT = 30;

/** Applies the setting unless the process was started with its own (`node --heap-growing-percent=N`). */
export function keepHeapCompact(execArgv: readonly string[] = process.execArgv): void {
  if (execArgv.some((arg) => arg.startsWith('--heap-growing-percent'))) return;
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
