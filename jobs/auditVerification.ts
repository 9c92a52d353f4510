import { auditBrokenCard } from '../cards/housekeepingCards';
import { formatDate } from '../policy/dates';
import { AuditChain } from '../storage/auditChain';
import { NightlyDeps, NightlyJob } from './nightly';
import { toDsls } from './toStaff';

/** Thrown after the DSLs are told, so the scheduled pass counts as failed and the operator's alert fires. */
export class AuditChainBrokenError extends Error {
  constructor(schools: string[]) {
    super(`the audit trail of ${schools.join(', ')} does not verify`);
    this.name = 'AuditChainBrokenError';
  }
}

/**
 * Every night, each school's audit hash chain is checked end to end (what `npm run audit:verify`
 * does by hand). Intact: logged, nothing sent. Broken: each DSL is sent what the check found, and
 * the pass fails, which the operator's alert on swbot.job.runs (job auditVerify, outcome failed)
 * reports. Once a night per school, so a broken chain is reported daily until it is dealt with.
 */
export class AuditVerification extends NightlyJob<NightlyDeps & { chain: AuditChain }> {
  constructor(deps: NightlyDeps & { chain: AuditChain }) {
    super(deps, 'auditVerify');
  }

  async runOnce(): Promise<Array<{ school: string; ok: boolean; entries: number }>> {
    const broken: string[] = [];
    const results = await this.forEachSchool(async (school, today) => {
      const report = await this.deps.chain.verify(school.id);
      if (report.ok) {
        this.deps.logger.info({ event: 'auditVerified', school: school.id, entries: report.entries }, 'nightly audit trail check: intact');
        return { ok: 'yes', entries: report.entries, dslsTold: 0 };
      }
      const at = report.firstBroken!;
      this.deps.logger.error({ event: 'auditBroken', school: school.id, entries: report.entries, chainSeq: at.chainSeq, problem: at.problem }, 'nightly audit trail check: BROKEN');
      broken.push(school.id);
      const card = auditBrokenCard({
        school: school.name,
        entriesChecked: report.entries,
        brokenAt: at.chainSeq !== undefined ? `entry ${at.chainSeq} of the chain` : 'an entry outside the chain',
        problem: at.problem,
        checkedOn: formatDate(today),
      });
      const told = await toDsls(this.deps, school, card, 'auditBrokenNotSent');
      return { ok: 'no', entries: report.entries, dslsTold: told };
    });
    if (broken.length > 0) throw new AuditChainBrokenError(broken);
    return results.map((r) => ({ school: r.school, ok: r.outcome.ok === 'yes', entries: Number(r.outcome.entries) }));
  }
}
