import { randomUUID } from 'node:crypto';
import { IsoDate, londonDate, londonMinutesOfDay } from '../policy/dates';
import { SchoolProfile } from '../policy/schoolProfile';
import { CaseRepository } from '../storage/caseRepository';
import { ConversationRefRepository } from '../storage/conversationRefRepository';
import { ProactiveSender } from '../delivery/proactive';
import { JobDeps } from './jobDeps';

/** Nightly housekeeping runs from 01:00 London, when no one is at school. */
export const NIGHTLY_FROM_MINUTES = 60;

/** What every nightly job needs: the schools, the lease rows, and a way to tell the DSLs. */
export type NightlyDeps = JobDeps & { cases: CaseRepository; conversationRefs: ConversationRefRepository; sender: ProactiveSender; instanceId?: string };

/**
 * Once a night per school, whichever instance gets there first: the same lease row the weekly
 * digest takes (`job|<name>|<date>` in the school's partition), finished with what the run found.
 * A run that throws leaves its claim, which another pass takes over once it is stale.
 */
export abstract class NightlyJob<D extends NightlyDeps> {
  private readonly owner: string;
  /** This instance's memory of schools whose run this period is finished, so it stops asking storage. */
  private readonly finished = new Map<string, string>();

  /** @param every `night`: once a night from 01:00 London; `hour`: once an hour. */
  constructor(
    protected readonly deps: D,
    private readonly job: string,
    private readonly every: 'night' | 'hour' = 'night',
  ) {
    this.owner = deps.instanceId ?? randomUUID();
  }

  /** The period a run belongs to, or undefined when it is not time yet. */
  private period(now: Date): string | undefined {
    const minutes = londonMinutesOfDay(now);
    if (this.every === 'hour') return `${londonDate(now)}T${String(Math.floor(minutes / 60)).padStart(2, '0')}`;
    return minutes < NIGHTLY_FROM_MINUTES ? undefined : londonDate(now);
  }

  protected async forEachSchool<T extends Record<string, string | number>>(run: (school: SchoolProfile, today: IsoDate) => Promise<T>, only: (school: SchoolProfile) => boolean = () => true): Promise<Array<{ school: string; outcome: T }>> {
    const now = this.deps.clock();
    const period = this.period(now);
    if (!period) return [];
    const today = londonDate(now);
    const done: Array<{ school: string; outcome: T }> = [];
    for (const school of (await this.deps.schools()).filter(only)) {
      if (this.finished.get(school.id) === period) continue;
      const rowKey = `job|${this.job}|${period}`;
      const claim = await this.deps.cases.claimRun(school.id, rowKey, this.owner, now, 30 * 60_000);
      if (claim.finished) this.finished.set(school.id, period);
      if (!claim.claimed || !claim.etag) continue;
      const outcome = await run(school, today);
      await this.deps.cases.finishRun(school.id, rowKey, claim.etag, this.deps.clock(), outcome);
      this.finished.set(school.id, period);
      done.push({ school: school.id, outcome });
    }
    return done;
  }
}
