import { Logger } from '../telemetry/logger';
import { errorSummary } from '../telemetry/errors';
import { SchoolProfile } from '../policy/schoolProfile';

/** What the first request to a school would otherwise read: its profile, staff roster and register. */
export interface WarmUpSources {
  schools(): Promise<SchoolProfile[]>;
  roster(schoolId: string): Promise<void>;
  register(schoolId: string): Promise<unknown>;
}

export interface WarmUpLimits {
  /** Schools read at once. */
  concurrency: number;
  /** No school is started after this long: what is left is read on first use, as before. */
  budgetMs: number;
}

/**
 * Four schools at once, for at most 15 s. A new instance (a restart, a deployment, a scale-out in
 * the morning rush) otherwise meets its first requests cold: in the bench's trust of 50 schools,
 * every search answered after a second in one run was sent in the first tenth of a second, waiting
 * on the school's first register read while 500 conversations began. Nothing reaches an instance
 * before it listens (requests go to the instances already running, or wait for the platform to
 * find this one up), so reading first makes no request wait for it.
 */
export const DEFAULT_WARM_UP: WarmUpLimits = { concurrency: 4, budgetMs: 15_000 };

export interface WarmUpResult {
  schools: number;
  warmed: number;
  /** Schools whose reads failed (they are read again on first use). */
  failed: number;
  ms: number;
  /** False when the budget ran out before every school was started. */
  complete: boolean;
}

/**
 * Reads every school's profile, staff roster and register into this instance's caches before it
 * takes requests. Nothing here is required: a failure is logged and the school is read on first
 * use, as it would have been, so a storage fault at start never stops the bot from starting.
 */
export async function warmUp(sources: WarmUpSources, logger: Logger, limits: WarmUpLimits = DEFAULT_WARM_UP, now: () => number = performance.now.bind(performance)): Promise<WarmUpResult> {
  const started = now();
  let schools: SchoolProfile[];
  try {
    schools = await sources.schools();
  } catch (err) {
    logger.warn({ event: 'warmUpFailed', err: errorSummary(err) }, 'could not read the schools before listening: each is read on first use');
    return { schools: 0, warmed: 0, failed: 0, ms: Math.round(now() - started), complete: false };
  }
  const queue = [...schools];
  let warmed = 0;
  let failed = 0;
  const worker = async () => {
    for (let school = queue.shift(); school; school = queue.shift()) {
      if (now() - started > limits.budgetMs) {
        queue.length = 0;
        return;
      }
      try {
        await Promise.all([sources.roster(school.id), sources.register(school.id)]);
        warmed++;
      } catch (err) {
        failed++;
        logger.warn({ event: 'warmUpFailed', school: school.id, err: errorSummary(err) }, 'could not read a school before listening: it is read on first use');
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, limits.concurrency) }, worker));
  const result = { schools: schools.length, warmed, failed, ms: Math.round(now() - started), complete: warmed + failed === schools.length };
  logger.info({ event: 'warmedUp', ...result }, 'schools read before listening');
  return result;
}
