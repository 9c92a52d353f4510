import { IsoDate } from '../policy/dates';
import { keepUntil, pastRetention } from '../policy/retention';
import { SchoolProfile } from '../policy/schoolProfile';
import { PupilRepository } from '../storage/pupilRepository';
import { RecordAuditRepository } from '../storage/recordAuditRepository';
import { RecordRows, RetentionStore } from '../storage/retentionStore';

export interface RetentionItem {
  kind: 'child' | 'concern';
  /** A pupil id or a concern's reference: never a name. */
  id: string;
  keptUntil: IsoDate;
  rowsRemoved: number;
  auditEntriesRedacted: number;
}

export interface RetentionReport {
  schoolId: string;
  dryRun: boolean;
  items: RetentionItem[];
  /** The audit entry that records (and authorises) the deletion; absent for a dry run or when nothing was due. */
  auditEntry?: string;
}

/**
 * Deletes what the school's retention period says must go: each child whose records are past
 * their date of birth plus the period (their register row, PEP rows, concerns and everything
 * written with them), and concerns about children not on the register past the period from the
 * day they were raised. Audit entries keep their place in the hash chain as tombstones named by
 * this run's own audit entry, so the chain still verifies and shows that, and when, they went.
 * A dry run lists what would go and changes nothing.
 */
export class RetentionJob {
  constructor(
    private readonly deps: {
      store: RetentionStore;
      pupils: PupilRepository;
      audit: RecordAuditRepository;
      clock: () => Date;
    },
  ) {}

  async run(school: SchoolProfile, today: IsoDate, options: { dryRun: boolean; actor: { aadObjectId: string; name: string } }): Promise<RetentionReport> {
    const years = school.retention.yearsAfterBirth;
    const pupils = await this.deps.pupils.listBySchool(school.id);
    const cases = await this.deps.store.allCases(school.id);
    const dueChildren = pupils.filter((p) => pastRetention(keepUntil(p.dateOfBirth, undefined, years), today));
    const dueChildIds = new Set(dueChildren.map((p) => p.id));
    const born = new Map(pupils.map((p) => [p.id, p.dateOfBirth]));

    const work: Array<{ item: RetentionItem; rows: RecordRows; pupilId?: string }> = [];
    for (const record of cases) {
      const pupilId = record.subject.kind === 'onRegister' ? record.subject.pupilId : undefined;
      // A concern about a child still on the register goes with the child; otherwise by its own date.
      const until = keepUntil(pupilId ? born.get(pupilId) : undefined, record.raisedOn, years);
      if (pupilId && born.has(pupilId) ? !dueChildIds.has(pupilId) : !pastRetention(until, today)) continue;
      const rows = await this.deps.store.rowsOfCase(school.id, record);
      work.push({ item: { kind: 'concern', id: record.ref, keptUntil: until!, rowsRemoved: rows.remove.length, auditEntriesRedacted: rows.redact.length }, rows });
    }
    for (const child of dueChildren) {
      const rows = await this.deps.store.rowsOfPupil(school.id, child.id);
      const until = keepUntil(child.dateOfBirth, undefined, years)!;
      work.push({ item: { kind: 'child', id: child.id, keptUntil: until, rowsRemoved: rows.remove.length + 1, auditEntriesRedacted: rows.redact.length }, rows, pupilId: child.id });
    }
    const items = work.map((w) => w.item);
    if (options.dryRun || work.length === 0) return { schoolId: school.id, dryRun: options.dryRun, items };

    // The authorising entry first: a run that stops part way is visible, and running again finishes it.
    const auditEntry = await this.deps.audit.recordRegisterChange(school.id, {
      at: this.deps.clock().toISOString(),
      actor: options.actor,
      action: 'retention',
      detail: {
        yearsAfterBirth: years,
        children: items.filter((i) => i.kind === 'child').length,
        concerns: items.filter((i) => i.kind === 'concern').length,
        rowsRemoved: items.reduce((n, i) => n + i.rowsRemoved, 0),
        auditEntriesRedacted: items.reduce((n, i) => n + i.auditEntriesRedacted, 0),
      },
    });
    for (const w of work) {
      await this.deps.store.redact(school.id, w.rows.redact, auditEntry);
      await this.deps.store.removeRows(school.id, w.rows.remove);
      if (w.pupilId) await this.deps.store.removePupil(school.id, w.pupilId);
    }
    return { schoolId: school.id, dryRun: false, items, auditEntry };
  }
}
