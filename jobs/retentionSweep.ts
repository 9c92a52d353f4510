import { retentionDoneCard } from '../cards/housekeepingCards';
import { formatDate } from '../policy/dates';
import { RetentionJob } from '../services/retention';
import { NightlyDeps, NightlyJob } from './nightly';
import { toDsls } from './toStaff';

/**
 * Every night, each school's records past its retention period are deleted, as `npm run retention`
 * does by hand (and the audit trail records it the same way). The DSLs are sent the register ids
 * and concern references that went; the operator's log gets the counts. Nothing due: nothing sent.
 */
export class RetentionSweep extends NightlyJob<NightlyDeps & { retention: RetentionJob }> {
  constructor(deps: NightlyDeps & { retention: RetentionJob }) {
    super(deps, 'retention');
  }

  async runOnce(): Promise<Array<{ school: string; deleted: number }>> {
    const results = await this.forEachSchool(async (school, today) => {
      const report = await this.deps.retention.run(school, today, { dryRun: false, actor: { aadObjectId: 'scheduled', name: 'nightly retention' } });
      const children = report.items.filter((i) => i.kind === 'child').map((i) => i.id);
      const concerns = report.items.filter((i) => i.kind === 'concern').map((i) => i.id);
      this.deps.logger.info({ event: 'retentionRun', school: school.id, children: children.length, concerns: concerns.length }, 'nightly retention');
      if (report.items.length === 0 || !report.auditEntry) return { deleted: 0, dslsTold: 0 };
      const card = retentionDoneCard({ school: school.name, yearsAfterBirth: school.retention.yearsAfterBirth, children, concerns, doneOn: formatDate(today), auditEntry: report.auditEntry });
      const told = await toDsls(this.deps, school, card, 'retentionReportNotSent');
      return { deleted: report.items.length, dslsTold: told };
    });
    return results.map((r) => ({ school: r.school, deleted: Number(r.outcome.deleted) }));
  }
}
