import { Actor } from '../policy/caseRecord';
import { createHash, randomUUID } from 'node:crypto';
import { formatLondonDateTime, londonDate } from '../policy/dates';
import { CohortStatus, Pupil, pupilSchema } from '../policy/pupil';
import { parseRegisterCsv, RegisterIssue } from '../policy/registerCsv';
import { mergeImportedPupil, removedStatusKinds, samePupil } from '../policy/registerMerge';
import { SchoolProfile } from '../policy/schoolProfile';
import { PupilRepository } from '../storage/pupilRepository';
import { RecordAuditRepository } from '../storage/recordAuditRepository';
import { PupilDirectory } from './pupilDirectory';

/** The entity-group transaction limit, and so how far the progress moves with each write. */
const BATCH = 100;

const STATUS_WORDS: Record<CohortStatus['kind'], { column: string; words: string }> = {
  CLA: { column: 'cla', words: 'looked after' },
  CPLA: { column: 'cpla', words: 'previously looked after' },
  CWSW: { column: 'cin_cp', words: 'on a CIN or CP plan' },
  KINSHIP: { column: 'kinship', words: 'in kinship care' },
};

export interface RegisterImportOptions {
  /** Check the file and count what would change, but write nothing (and audit nothing). */
  dryRun?: boolean;
  /**
   * Called with (rows done, rows in the file): 0 once the file is read, then the unchanged rows
   * at once, then after each write of up to 100 rows, ending at (total, total); a refused file stops at 0.
   */
  onProgress?: (done: number, total: number) => void;
}

export interface RegisterImportReport {
  schoolId: string;
  /**
   * `imported`: the register now matches the file (rows written only where something changed);
   * `refused`: the file has errors and nothing was written; `dryRun`: nothing was written by request.
   */
  outcome: 'imported' | 'refused' | 'dryRun';
  /** Pupils in the file, with or without errors. */
  total: number;
  /** Counts are those that were (or, for a dry run, would be) made; all 0 when refused. */
  created: number;
  updated: number;
  unchanged: number;
  /** Pupils on the register but not in the file: never deleted, only counted (0 when refused). */
  notInFile: number;
  /**
   * Every problem, by line (see formatIssue in policy/registerCsv), for the person loading the file.
   * They quote cell values (a date, a code) and may name a status, never a name or UPN; even so,
   * show them, do not log them.
   */
  errors: RegisterIssue[];
  /** Nothing wrong with the data, but worth reading: unused columns, an unknown placing authority, a status removed. */
  warnings: RegisterIssue[];
}

export class UnknownSchoolError extends Error {
  constructor(readonly schoolId: string) {
    super(`No school with the id "${schoolId}".`);
    this.name = 'UnknownSchoolError';
  }
}

export interface RegisterImporterDeps {
  pupils: PupilRepository;
  audit: RecordAuditRepository;
  /** Every school the import may write to has a profile; its Virtual School directory checks placing authorities. */
  schools: { get(schoolId: string): Promise<SchoolProfile | undefined> };
  /** This instance's cache of the register, dropped after an import so search sees the new register at once. */
  directory?: PupilDirectory;
  clock: () => Date;
}

/**
 * Loads a school's register from its MIS export (see "Loading the register" in the README).
 * All or nothing: a file with any error writes nothing, because a register half-loaded is worse
 * than the one already there; the report lists every error by line so the file can be fixed and
 * loaded again. Idempotent: pupils are keyed by school and UPN, merged with what the register
 * holds, and only new or changed rows are written, so loading the same file twice writes nothing.
 * Pupils missing from the file are left as they are (counted, never deleted).
 */
export class RegisterImporter {
  constructor(private readonly deps: RegisterImporterDeps) {}

  async import(schoolId: string, csvText: string, actor: Actor, options: RegisterImportOptions = {}): Promise<RegisterImportReport> {
    const school = await this.deps.schools.get(schoolId);
    if (!school) throw new UnknownSchoolError(schoolId);
    const now = this.deps.clock();
    const dryRun = options.dryRun === true;
    const progress = options.onProgress ?? (() => undefined);
    const parsed = parseRegisterCsv(csvText, school.id, londonDate(now), { virtualSchoolAuthorities: school.virtualSchools.map((v) => v.localAuthority) });
    const total = parsed.total;
    progress(0, total);
    const report = { schoolId: school.id, total, errors: parsed.errors, warnings: parsed.warnings };

    if (parsed.errors.length > 0) {
      if (!dryRun) await this.audit(school.id, now, actor, 'registerImportRefused', { total, errors: parsed.errors.length });
      return { ...report, outcome: 'refused', created: 0, updated: 0, unchanged: 0, notInFile: 0 };
    }

    const existing = new Map((await this.deps.pupils.listBySchool(school.id)).map((p) => [p.id, p]));
    const toWrite: Pupil[] = [];
    const warnings = [...parsed.warnings];
    let created = 0;
    let updated = 0;
    for (const { line, pupil } of parsed.rows) {
      const current = existing.get(pupil.id);
      // Checked before anything is written, so a merge that broke the register's rules stops the import whole.
      const merged = pupilSchema.parse(mergeImportedPupil(current, pupil, parsed.carries));
      if (current && samePupil(current, merged)) continue;
      if (current) {
        updated++;
        for (const kind of removedStatusKinds(current, merged)) {
          const { column, words } = STATUS_WORDS[kind];
          warnings.push({ line, column, message: `the register had this pupil as ${words} and this line leaves ${column} blank, so that status ${dryRun ? 'would be' : 'was'} removed; if that is wrong, correct the MIS and load the file again` });
        }
      } else created++;
      toWrite.push(merged);
    }
    const inFile = new Set(parsed.rows.map((r) => r.pupil.id));
    const notInFile = [...existing.keys()].filter((id) => !inFile.has(id)).length;
    const unchanged = parsed.rows.length - toWrite.length;
    const counts = { total, created, updated, unchanged, notInFile };
    let done = unchanged;
    progress(done, total);

    if (dryRun) {
      progress(total, total);
      return { ...report, warnings, outcome: 'dryRun', ...counts };
    }
    // A load that stopped part way (the process killed) left its rows and no record of them: they
    // read as "unchanged" now. Each one is reconciled on record before this load writes anything.
    const file = createHash('sha256').update(csvText).digest('hex').slice(0, 16);
    for (const interrupted of await this.interrupted(school.id)) {
      const sameFile = interrupted.file === file;
      const written = sameFile ? Math.max(0, interrupted.toWrite - toWrite.length) : -1;
      await this.audit(school.id, now, actor, 'registerImportReconciled', { importId: interrupted.importId, planned: interrupted.toWrite, writtenBeforeInterruption: written });
      warnings.push({
        line: 0,
        message: sameFile
          ? `An earlier load of this file (started ${interrupted.at}) was interrupted after writing ${written} pupils; this load finishes it, and the register's history now records both`
          : `An earlier load of another file (started ${interrupted.at}) was interrupted part way; this load sets every pupil in this file as it says, and the register's history records the interruption`,
      });
    }
    // On record before the first row is written: if this load is killed, the next one knows.
    const importId = randomUUID();
    if (toWrite.length > 0) await this.audit(school.id, now, actor, 'registerImportStarted', { importId, file, toWrite: toWrite.length });
    try {
      for (let i = 0; i < toWrite.length; i += BATCH) {
        const batch = toWrite.slice(i, i + BATCH);
        await this.deps.pupils.saveAll(school.id, batch);
        done += batch.length;
        progress(done, total);
      }
    } catch (err) {
      // Rows already written are correct; loading the file again finishes the job.
      this.deps.directory?.invalidate(school.id);
      await this.audit(school.id, now, actor, 'registerImportFailed', { importId, ...counts, written: done - unchanged }).catch(() => undefined);
      throw err;
    }
    this.deps.directory?.invalidate(school.id);
    await this.audit(school.id, now, actor, 'importedRegister', { importId, ...counts, warnings: warnings.length });
    return { ...report, warnings, outcome: 'imported', ...counts };
  }

  /** Loads started and never finished, failed or reconciled: killed part way. */
  private async interrupted(schoolId: string): Promise<Array<{ importId: string; file: string; toWrite: number; at: string }>> {
    const log = await this.deps.audit.registerLog(schoolId);
    const closed = new Set(log.filter((e) => ['importedRegister', 'registerImportFailed', 'registerImportReconciled'].includes(e.action)).map((e) => String(e.detail.importId ?? '')));
    return log
      .filter((e) => e.action === 'registerImportStarted' && !closed.has(String(e.detail.importId)))
      .map((e) => ({ importId: String(e.detail.importId), file: String(e.detail.file), toWrite: Number(e.detail.toWrite), at: formatLondonDateTime(new Date(e.at)) }));
  }

  /** Ids, a file hash and counts only: the register's history must never hold a child's name or status. */
  private async audit(schoolId: string, _started: Date, actor: Actor, action: string, detail: Record<string, number | string>): Promise<void> {
    // Stamped when written, not when the load began: the history's order is the order things happened.
    await this.deps.audit.recordRegisterChange(schoolId, { at: this.deps.clock().toISOString(), actor: { aadObjectId: actor.aadObjectId, name: actor.name }, action, detail });
  }
}
