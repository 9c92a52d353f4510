import { randomBytes } from 'node:crypto';
import { odata, TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { AuditChain } from './auditChain';

/**
 * Who looked at or changed a child's record outside a case, in each school's partition of the
 * cases table (KCSIE: records of who accessed what are kept):
 *   access|{pupilId}|{at}|{nonce}   a member of staff opened (or was refused) a child's record
 *   register|{at}|{nonce}           the register was changed (import, or an edit in the tab)
 *   settings|{at}|{nonce}           the school's settings were changed (a profile applied, a role
 *                                   given or taken, the digest channel or staff team chosen)
 * Keys sort by time, so a child's access list and the register's history are each one range.
 */
export const recordAuditEntrySchema = z.object({
  at: z.string(),
  actor: z.object({ aadObjectId: z.string(), name: z.string() }),
  /** What happened: "viewedChronology", "refused", "importedRegister", "editedPupil", ... */
  action: z.string().min(1).max(40),
  /** Ids and counts only: never a child's name or status. */
  detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
});
export type RecordAuditEntry = z.infer<typeof recordAuditEntrySchema>;

const nonce = () => randomBytes(4).toString('hex');

export class RecordAuditRepository {
  /** @param chain the process's chain for this table (the case repository's), so appends queue together. */
  constructor(
    private readonly table: TableClient,
    private readonly chain: AuditChain = new AuditChain(table),
  ) {}

  async recordAccess(schoolId: string, pupilId: string, entry: RecordAuditEntry): Promise<void> {
    await this.create(schoolId, `access|${pupilId}|${entry.at}|${nonce()}`, { ...entry, detail: { ...entry.detail, pupilId } });
  }

  /** Returns the entry's row key, by which the retention job's tombstones name it. */
  async recordRegisterChange(schoolId: string, entry: RecordAuditEntry): Promise<string> {
    const rowKey = `register|${entry.at}|${nonce()}`;
    await this.create(schoolId, rowKey, entry);
    return rowKey;
  }

  /** A change to the school's settings, with who made it and what changed (names of staff and counts; never a child). */
  async recordSettingsChange(schoolId: string, entry: RecordAuditEntry): Promise<string> {
    const rowKey = `settings|${entry.at}|${nonce()}`;
    await this.create(schoolId, rowKey, entry);
    return rowKey;
  }

  /** The settings' change history, oldest first. */
  async settingsLog(schoolId: string): Promise<RecordAuditEntry[]> {
    return this.list(schoolId, 'settings|');
  }

  /** Everyone who opened (or tried to open) this child's record, oldest first. */
  async accessLog(schoolId: string, pupilId: string): Promise<RecordAuditEntry[]> {
    return this.list(schoolId, `access|${pupilId}|`);
  }

  /** The register's change history, oldest first. */
  async registerLog(schoolId: string): Promise<RecordAuditEntry[]> {
    return this.list(schoolId, 'register|');
  }

  private async create(schoolId: string, rowKey: string, entry: RecordAuditEntry): Promise<void> {
    const parsed = recordAuditEntrySchema.parse(entry);
    // Append-only (a create never replaces a row), and a link in the school's audit hash chain.
    await this.chain.submit(schoolId, [['create', { partitionKey: schoolId, rowKey, at: parsed.at, action: parsed.action, entry: JSON.stringify(parsed) }]]);
  }

  private async list(schoolId: string, prefix: string): Promise<RecordAuditEntry[]> {
    const upper = `${prefix}\uffff`;
    const out: RecordAuditEntry[] = [];
    const rows = this.table.listEntities<Record<string, unknown>>({
      queryOptions: { filter: odata`PartitionKey eq ${schoolId} and RowKey ge ${prefix} and RowKey lt ${upper}` },
    });
    for await (const row of rows) {
      // Bounds checked again in code (see CaseRepository.between).
      if (row.partitionKey !== schoolId || typeof row.rowKey !== 'string' || row.rowKey < prefix || row.rowKey >= upper) continue;
      if (typeof row.entry !== 'string') continue;
      const parsed = recordAuditEntrySchema.safeParse(JSON.parse(row.entry));
      if (parsed.success) out.push(parsed.data);
    }
    return out;
  }
}
