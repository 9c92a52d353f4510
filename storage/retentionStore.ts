import { odata, TableClient } from '@azure/data-tables';
import { CaseRecord } from '../policy/caseRecord';
import { caseRecordSchema } from '../policy/caseSchemas';
import { isAuditRowKey } from './auditChain';
import { unpackJson } from './jsonEntity';
import { statusOf } from './tableStore';

/** The rows that hold one child's (or one concern's) records, found for deletion at the end of retention. */
export interface RecordRows {
  /** Rows deleted outright. */
  remove: string[];
  /** Audit rows: their content is removed but their place in the hash chain is kept (a tombstone). */
  redact: string[];
}

/**
 * Storage side of the retention job: finding every row of a concern or a child, and removing
 * them. Deletes are one at a time and a missing row is not an error, so a run that stops part way
 * is finished by running it again.
 */
export class RetentionStore {
  constructor(
    private readonly cases: TableClient,
    private readonly pupils: TableClient,
  ) {}

  /** Every concern of a school (a batch job may read them all; nothing interactive does). */
  async allCases(schoolId: string): Promise<CaseRecord[]> {
    const out: CaseRecord[] = [];
    for await (const row of this.range(schoolId, 'case|')) out.push(caseRecordSchema.parse(unpackJson(row)));
    return out;
  }

  async rowsOfCase(schoolId: string, record: CaseRecord): Promise<RecordRows> {
    const id = record.id;
    const remove = [`case|${id}`, `ref|${record.ref}`, `draft|${record.draftId}`, `approval|${id}`];
    if (record.subject.kind === 'onRegister') remove.push(`pupil|${record.subject.pupilId}|${id}`);
    if (record.answers.caseType === 'suspension' && record.answers.stage === 'decided' && record.answers.decision) remove.push(`susp|${record.answers.decision.startDate}|${id}`);
    for (const prefix of [`outbox|${id}.`, `pending|${id}.`, `approvalcard|${id}|`, `action|${id}|`]) remove.push(...(await this.keys(schoolId, prefix)));
    remove.push(...(await this.keys(schoolId, 'open|')).filter((k) => k.split('|')[2] === id));
    return { remove, redact: await this.keys(schoolId, `audit|${id}|`) };
  }

  async rowsOfPupil(schoolId: string, pupilId: string): Promise<RecordRows> {
    const remove = [`pepstatus|${pupilId}`, ...(await this.keys(schoolId, `pep|${pupilId}|`))];
    remove.push(...(await this.keys(schoolId, 'pepreminder|')).filter((k) => k.split('|')[2] === pupilId));
    return { remove, redact: await this.keys(schoolId, `access|${pupilId}|`) };
  }

  async removeRows(schoolId: string, rowKeys: readonly string[]): Promise<void> {
    for (const rowKey of rowKeys) {
      if (isAuditRowKey(rowKey)) throw new Error(`audit rows are redacted, never deleted (${rowKey})`);
      await this.ignoringMissing(() => this.cases.deleteEntity(schoolId, rowKey));
    }
  }

  /** Replaces an audit row by its tombstone: the chain fields stay, the content goes. */
  async redact(schoolId: string, rowKeys: readonly string[], removedBy: string): Promise<void> {
    for (const rowKey of rowKeys) {
      await this.ignoringMissing(async () => {
        const row = await this.cases.getEntity<Record<string, unknown>>(schoolId, rowKey);
        if (row.tombstone === true) return;
        await this.cases.updateEntity(
          { partitionKey: schoolId, rowKey, chainSeq: row.chainSeq, prevHash: row.prevHash, hash: row.hash, tombstone: true, removedBy },
          'Replace',
          { etag: row.etag },
        );
      });
    }
  }

  async removePupil(schoolId: string, pupilId: string): Promise<void> {
    await this.ignoringMissing(() => this.pupils.deleteEntity(schoolId, pupilId));
  }

  private async keys(schoolId: string, prefix: string): Promise<string[]> {
    const out: string[] = [];
    for await (const row of this.range(schoolId, prefix, ['RowKey', 'PartitionKey'])) out.push(String(row.rowKey));
    return out;
  }

  private async *range(schoolId: string, prefix: string, select?: string[]): AsyncGenerator<Record<string, unknown>> {
    const upper = `${prefix}\uffff`;
    const rows = this.cases.listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`PartitionKey eq ${schoolId} and RowKey ge ${prefix} and RowKey lt ${upper}`, ...(select ? { select } : {}) } });
    for await (const row of rows) {
      // Bounds checked again in code (see CaseRepository.between).
      if (row.partitionKey === schoolId && typeof row.rowKey === 'string' && row.rowKey >= prefix && row.rowKey < upper) yield row;
    }
  }

  private async ignoringMissing(work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
    } catch (err) {
      if (statusOf(err) !== 404) throw err;
    }
  }
}
