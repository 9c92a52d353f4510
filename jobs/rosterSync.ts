import { StaffRoster } from '../services/staffRoster';
import { errorSummary } from '../telemetry/errors';
import { NightlyDeps, NightlyJob } from './nightly';

/**
 * Reads every school's staff team (and staff group) in full once an hour, whichever instance gets
 * there first, so the staff list catches up with a join or leave Teams did not tell the bot about.
 */
export class RosterSync extends NightlyJob<NightlyDeps & { roster: StaffRoster }> {
  constructor(deps: NightlyDeps & { roster: StaffRoster }) {
    super(deps, 'rosterSync', 'hour');
  }

  async runOnce(): Promise<Array<{ school: string; joined: number; left: number }>> {
    const results = await this.forEachSchool(
      async (school) => {
        try {
          const synced = await this.deps.roster.sync(school);
          return { joined: synced.reduce((n, r) => n + r.joined, 0), left: synced.reduce((n, r) => n + r.left, 0), failed: 0 };
        } catch (err) {
          // One school's team being unreachable must not stop the others; the next hour tries again.
          this.deps.logger.warn({ event: 'rosterSyncFailed', school: school.id, err: errorSummary(err) }, 'could not read the staff team');
          return { joined: 0, left: 0, failed: 1 };
        }
      },
      (school) => Boolean(school.staffSource?.teamId || school.staffSource?.groupId),
    );
    return results.map((r) => ({ school: r.school, joined: Number(r.outcome.joined), left: Number(r.outcome.left) }));
  }
}
