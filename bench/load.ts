import { performance } from 'node:perf_hooks';
import { figuresOf, RunFigures } from './stats';

export interface LoadOptions {
  /** Concurrent conversations, each a worker sending one request at a time. */
  concurrency: number;
  /** Requests in all, shared between the workers. */
  requests: number;
  /** One timed request by a worker; `i` counts that worker's own requests from 0. */
  one: (worker: number, i: number) => Promise<void>;
}

/** Closed-loop load: each worker sends its next request when the last one is answered. */
export async function runLoad(options: LoadOptions): Promise<RunFigures> {
  const latencies: number[] = [];
  let errors = 0;
  let issued = 0;
  let firstError: unknown;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: options.concurrency }, async (_, worker) => {
      for (let i = 0; issued < options.requests; i++) {
        issued++;
        const t0 = performance.now();
        try {
          await options.one(worker, i);
          latencies.push(performance.now() - t0);
        } catch (err) {
          errors++;
          firstError ??= err;
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  if (errors > 0) process.stderr.write(`  ${errors} request(s) failed; the first: ${firstError instanceof Error ? firstError.message : String(firstError)}\n`);
  return figuresOf(latencies, seconds, errors);
}
