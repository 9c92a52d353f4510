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
  /** This instance's memory of schools whose run tonight is finished, so it stops asking storage. */
  private readonly finished = new Map<string, IsoDate>();

  constructor(
    protected readonly deps: D,
    private readonly job: string,
  ) {
    this.owner = deps.instanceId ?? randomUUID();
  }

  protected async forEachSchool<T extends Record<string, string | number>>(run: (school: SchoolProfile, today: IsoDate) => Promise<T>): Promise<Array<{ school: string; outcome: T }>> {
    const now = this.deps.clock();
    if (londonMinutesOfDay(now) < NIGHTLY_FROM_MINUTES) return [];
    const today = londonDate(now);
    const done: Array<{ school: string; outcome: T }> = [];
    for (const school of await this.deps.schools()) {
      if (this.finished.get(school.id) === today) continue;
      const rowKey = `job|${this.job}|${today}`;
      const claim = await this.deps.cases.claimRun(school.id, rowKey, this.owner, now, 30 * 60_000);
      if (claim.finished) this.finished.set(school.id, today);
      if (!claim.claimed || !claim.etag) continue;
      const outcome = await run(school, today);
      await this.deps.cases.finishRun(school.id, rowKey, claim.etag, this.deps.clock(), outcome);
      this.finished.set(school.id, today);
      done.push({ school: school.id, outcome });
    }
    return done;
  }
}
