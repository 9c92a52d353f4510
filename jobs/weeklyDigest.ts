import { randomUUID } from 'node:crypto';
import { londonDate } from '../policy/dates';
import { CaseRepository } from '../storage/caseRepository';
import { DigestService, lastScheduled } from '../services/digestService';
import { errorSummary } from '../telemetry/errors';
import { AppMetrics } from '../telemetry/metrics';
import { JobDeps } from './jobDeps';

/**
 * Posts each school's digest at its scheduled time (Monday 08:00 London by default). The week's
 * lease row makes exactly one instance post it; a run missed while every instance was down is
 * posted when one comes back, once; a claim left by an instance that died is taken over after a
 * few minutes.
 */
export class WeeklyDigest {
  constructor(
    private readonly deps: JobDeps & { cases: CaseRepository; digests: DigestService; instanceId?: string; metrics?: AppMetrics },
    private readonly instanceId = deps.instanceId ?? randomUUID(),
  ) {}

  async runOnce(): Promise<string[]> {
    const posted: string[] = [];
    for (const school of await this.deps.schools()) {
      if (!school.digest.channelConversationId) continue;
      const now = this.deps.clock();
      const due = lastScheduled(now, school.digest.weekday, school.digest.time);
      if (due < (await this.deps.cases.digestScheduleSince(school.id, now))) continue;
      const weekOf = londonDate(due);
      const claim = await this.deps.cases.claimDigest(school.id, weekOf, this.instanceId, now);
      if (!claim.claimed || !claim.etag) continue;
      try {
        if ((await this.deps.digests.post(school, now)).posted) {
          await this.deps.cases.markDigestPosted(school.id, weekOf, claim.etag, this.deps.clock());
          posted.push(school.id);
          this.deps.metrics?.digestRun('posted');
        } else {
          // The app is not in the chosen leadership channel (yet): nowhere to post.
          this.deps.metrics?.digestRun('not_posted');
        }
      } catch (err) {
        this.deps.metrics?.digestRun('failed');
        // The claim stays; once it is stale this (or another) instance tries again.
        this.deps.logger.error({ event: 'digestFailed', school: school.id, err: errorSummary(err) }, 'weekly digest could not be posted');
      }
    }
    return posted;
  }
}
