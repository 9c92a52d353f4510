import { randomUUID } from 'node:crypto';
import { registerPickupCard } from '../cards/registerPickupCard';
import { formatLondonDateTime } from '../policy/dates';
import { RegisterSource, SchoolProfile } from '../policy/schoolProfile';
import { CaseRepository } from '../storage/caseRepository';
import { ConversationRefRepository } from '../storage/conversationRefRepository';
import { ProactiveSender } from '../delivery/proactive';
import { PickupOutcome, RegisterDropSource, RegisterPickup } from '../services/registerPickup';
import { errorSummary } from '../telemetry/errors';
import { JobDeps } from './jobDeps';
import { toDsls } from './toStaff';

/** The row in each school's partition of the cases table that one instance holds while it picks up a file. */
export const REGISTER_PICKUP_LEASE_ROW = 'job|registerPickup|lease';

/** How long the lease is held: far longer than a load takes (seconds for 5,000 pupils), and the least time between two pickups for a school. */
export const REGISTER_PICKUP_LEASE_MS = 5 * 60_000;

/** A load is not begun in the lease's last minute, so one never runs on after another instance may take over. */
const LEASE_MARGIN_MS = 60_000;

export type RegisterPickupJobDeps = JobDeps & {
  cases: CaseRepository;
  conversationRefs: ConversationRefRepository;
  sender: ProactiveSender;
  pickup: RegisterPickup;
  /** The source a profile names (host/: decides the credential and where folders may be); throws RegisterSourceError if it is not usable. */
  sourceFor: (source: RegisterSource) => RegisterDropSource;
  /** The dashboard tab, linked from the card. */
  tabUrl?: string;
  instanceId?: string;
  leaseMs?: number;
};

export interface RegisterPickupPass {
  school: string;
  outcome: PickupOutcome;
  told: number;
}

/** One or more schools' register sources could not be read, or a load failed: the pass fails, so the operator's alert counts it. */
export class RegisterPickupError extends Error {
  constructor(readonly schools: string[]) {
    super(`the scheduled register pickup failed for ${schools.length === 1 ? 'one school' : `${schools.length} schools`}: ${schools.join(', ')}`);
    this.name = 'RegisterPickupError';
  }
}

/**
 * The register on a schedule: every pass (each minute), for each school whose profile names a
 * `registerSource`, looks for a file the MIS exported and, if one is ready, loads it
 * (services/registerPickup.ts), telling the DSL and deputies only when something needs attention.
 *
 * Once across instances: the source is listed first (cheap, no lease), and only a school with a
 * file ready takes the lease, one row per school (`job|registerPickup|lease`) taken with
 * `CaseRepository.claimRun` and never finished: a claim younger than the lease is refused to every
 * other instance, an older one is taken over with its ETag (one winner). So at most one instance
 * picks up a school's file at a time, and a school's pickups are at least the lease apart. One row
 * per school rather than per hour: nothing piles up in the partition, and a pass running on over an
 * hour's boundary cannot meet the next hour's row taken by another instance.
 */
export class RegisterPickupJob {
  private readonly owner: string;
  private readonly leaseMs: number;

  constructor(private readonly deps: RegisterPickupJobDeps) {
    this.owner = deps.instanceId ?? randomUUID();
    this.leaseMs = deps.leaseMs ?? REGISTER_PICKUP_LEASE_MS;
  }

  async runOnce(): Promise<RegisterPickupPass[]> {
    const done: RegisterPickupPass[] = [];
    const failed: string[] = [];
    for (const school of await this.deps.schools()) {
      if (!school.registerSource) continue;
      try {
        const pass = await this.forSchool(school, school.registerSource);
        if (pass) done.push(pass);
      } catch (err) {
        failed.push(school.id);
        this.deps.logger.error({ event: 'registerPickupPassFailed', school: school.id, source: school.registerSource.kind, err: errorSummary(err) }, 'the scheduled register pickup failed for a school');
      }
    }
    if (failed.length > 0) throw new RegisterPickupError(failed);
    return done;
  }

  private async forSchool(school: SchoolProfile, registerSource: RegisterSource): Promise<RegisterPickupPass | undefined> {
    const source = this.deps.sourceFor(registerSource);
    if (!(await this.deps.pickup.waiting(source))) return undefined;
    const now = this.deps.clock();
    const claim = await this.deps.cases.claimRun(school.id, REGISTER_PICKUP_LEASE_ROW, this.owner, now, this.leaseMs);
    if (!claim.claimed) return undefined;
    const result = await this.deps.pickup.pickUp(school, source, {
      mustFinishBy: new Date(now.getTime() + Math.max(0, this.leaseMs - LEASE_MARGIN_MS)),
      notify: (notice, file) =>
        toDsls(this.deps, school, registerPickupCard({ school: school.name, file: file.name, receivedAt: formatLondonDateTime(file.lastModified), notice, ...(this.deps.tabUrl ? { tabUrl: this.deps.tabUrl } : {}) }), 'registerPickupNoticeFailed'),
    });
    // A load that threw is counted as a failed pass (after the DSLs were told, if it was given up).
    if (result.error !== undefined) throw result.error;
    return { school: school.id, outcome: result.outcome, told: result.told };
  }
}
