import { createHash } from 'node:crypto';
import { odata, TableClient, TableEntity, TransactionAction } from '@azure/data-tables';
import { z } from 'zod';
import { AuditChain, CHAIN_HEAD_KEY, isAuditRowKey, verifyRows } from './auditChain';
import { TABLES, TableStore } from './tableStore';

/**
 * One school's tables as a file: its profile, its register, and its cases partition (cases,
 * notifications, actions, PEPs, the audit trail and its chain head), with the conversation
 * references of its tenant so the bot can still reach staff after a restore. Conversation state
 * (a half-finished dialog) is not kept: it is minutes old and a restored bot starts afresh.
 *
 * The file carries a SHA-256 of its rows, so a file damaged or edited is refused; and the audit
 * trail is checked against its chain before anything is written, and again from the store after.
 */

export const BACKUP_FORMAT = 'sw-cohort-teams-bot/school-backup';

/** A stored row as exported: the system fields (ETag, timestamp) are the store's, and left behind. */
const row = z.object({ partitionKey: z.string().min(1), rowKey: z.string().min(1) }).catchall(z.union([z.string(), z.number(), z.boolean(), z.null()]));
type Row = z.infer<typeof row>;

const backupSchema = z.object({
  format: z.literal(BACKUP_FORMAT),
  version: z.literal(1),
  schoolId: z.string().min(1),
  exportedAt: z.string(),
  /** The audit chain's head when exported: compare it with the one the export printed. */
  chainHead: z.object({ seq: z.number().int().min(0), hash: z.string() }),
  rows: z.object({ schools: z.array(row), pupils: z.array(row), cases: z.array(row), convrefs: z.array(row) }),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type SchoolBackup = z.infer<typeof backupSchema>;
type BackupTable = keyof SchoolBackup['rows'];

export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

function digestOf(body: Omit<SchoolBackup, 'sha256'>): string {
  return createHash('sha256').update(JSON.stringify(body)).digest('hex');
}

function plain(entity: Record<string, unknown>): Row {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(entity)) {
    if (k === 'etag' || k === 'timestamp' || k.startsWith('odata')) continue;
    out[k] = v;
  }
  return row.parse(out);
}

async function partition(table: TableClient, partitionKey: string): Promise<Row[]> {
  const out: Row[] = [];
  for await (const entity of table.listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`PartitionKey eq ${partitionKey}` } })) {
    if (entity.partitionKey === partitionKey) out.push(plain(entity));
  }
  return out.sort((a, b) => (a.rowKey < b.rowKey ? -1 : a.rowKey > b.rowKey ? 1 : 0));
}

/** Reads a school's rows into a backup. The caller records the export in the audit trail first. */
export async function exportSchool(store: TableStore, schoolId: string, now: Date): Promise<SchoolBackup> {
  const schoolsTable = store.client(TABLES.schools);
  const schoolRows = (await partition(schoolsTable, 'school')).filter((r) => r.rowKey === schoolId);
  if (schoolRows.length === 0) throw new BackupError(`No school with the id "${schoolId}".`);
  const tenantId = String(schoolRows[0]!.tenantId ?? '');
  const cases = await partition(store.client(TABLES.cases), schoolId);
  const head = cases.find((r) => r.rowKey === CHAIN_HEAD_KEY);
  const body: Omit<SchoolBackup, 'sha256'> = {
    format: BACKUP_FORMAT,
    version: 1,
    schoolId,
    exportedAt: now.toISOString(),
    chainHead: head ? { seq: Number(head.seq), hash: String(head.hash) } : { seq: 0, hash: '' },
    rows: {
      schools: schoolRows,
      pupils: await partition(store.client(TABLES.pupils), schoolId),
      cases,
      convrefs: tenantId ? await partition(store.client(TABLES.conversationRefs), tenantId) : [],
    },
  };
  return { ...body, sha256: digestOf(body) };
}

/** Reads and checks a backup file's text: its shape, its digest and its audit chain. Throws BackupError. */
export function checkedBackup(text: string): SchoolBackup {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new BackupError('This is not a school backup: it is not JSON.');
  }
  const parsed = backupSchema.safeParse(json);
  if (!parsed.success) throw new BackupError(`This is not a school backup this version can read (${parsed.error.issues[0]?.path.join('.') || 'format'}).`);
  const { sha256, ...body } = parsed.data;
  if (digestOf(body) !== sha256) throw new BackupError('The backup has been changed or damaged since it was made (its SHA-256 does not match): nothing was restored.');
  const b = parsed.data;
  const wrongPartition = b.rows.cases.find((r) => r.partitionKey !== b.schoolId) ?? b.rows.pupils.find((r) => r.partitionKey !== b.schoolId);
  if (wrongPartition) throw new BackupError(`The backup holds a row of another school (${wrongPartition.partitionKey}): nothing was restored.`);
  const report = verifyRows(
    b.schoolId,
    b.rows.cases.filter((r) => isAuditRowKey(r.rowKey)),
    b.chainHead.hash ? b.chainHead : undefined,
  );
  if (!report.ok) {
    const at = report.firstBroken!;
    throw new BackupError(`The backup's audit trail does not verify at ${at.chainSeq !== undefined ? `entry ${at.chainSeq}` : at.rowKey}: ${at.problem}. Nothing was restored.`);
  }
  return b;
}

const TABLE_OF: Record<BackupTable, (typeof TABLES)[keyof typeof TABLES]> = {
  schools: TABLES.schools,
  pupils: TABLES.pupils,
  cases: TABLES.cases,
  convrefs: TABLES.conversationRefs,
};

/**
 * Loads a checked backup into a store that holds nothing of that school, then verifies the audit
 * chain as stored. Conversation references another school of the tenant already has are kept as
 * they are (theirs are as new or newer).
 */
export async function restoreSchool(store: TableStore, backup: SchoolBackup): Promise<{ rows: number; auditEntries: number }> {
  await store.ensureTables();
  const anyIn = async (table: BackupTable, partitionKey: string) => {
    const listed = store.client(TABLE_OF[table]).listEntities({ queryOptions: { filter: odata`PartitionKey eq ${partitionKey}`, select: ['RowKey'] } });
    for await (const page of listed.byPage({ maxPageSize: 1 })) return page.length > 0;
    return false;
  };
  const schoolRow = async () => {
    const listed = store.client(TABLES.schools).listEntities({ queryOptions: { filter: odata`PartitionKey eq ${'school'} and RowKey eq ${backup.schoolId}`, select: ['RowKey'] } });
    for await (const page of listed.byPage({ maxPageSize: 1 })) return page.length > 0;
    return false;
  };
  if ((await schoolRow()) || (await anyIn('pupils', backup.schoolId)) || (await anyIn('cases', backup.schoolId))) {
    throw new BackupError(`The store already holds data of ${backup.schoolId}: restore only into a store without it (nothing was changed).`);
  }
  let written = 0;
  for (const table of Object.keys(TABLE_OF) as BackupTable[]) {
    const client = store.client(TABLE_OF[table]);
    const byPartition = new Map<string, Row[]>();
    for (const r of backup.rows[table]) byPartition.set(r.partitionKey, [...(byPartition.get(r.partitionKey) ?? []), r]);
    for (const rows of byPartition.values()) {
      if (table === 'convrefs') {
        // Shared by the tenant's schools: add what is missing, never overwrite.
        for (const r of rows) {
          await client.createEntity(r as TableEntity).then(
            () => written++,
            (err: unknown) => {
              if ((err as { statusCode?: number }).statusCode !== 409) throw err;
            },
          );
        }
        continue;
      }
      for (let i = 0; i < rows.length; i += 100) {
        const batch = rows.slice(i, i + 100).map((r): TransactionAction => ['create', r as TableEntity]);
        await client.submitTransaction(batch);
        written += batch.length;
      }
    }
  }
  const report = await new AuditChain(store.client(TABLES.cases)).verify(backup.schoolId);
  if (!report.ok) throw new BackupError(`The restored audit trail does not verify (${report.firstBroken?.problem ?? 'unknown'}): check the store before using it.`);
  return { rows: written, auditEntries: report.entries };
}
