import { odata } from '@azure/data-tables';
import { unpackJson } from '../../storage/jsonEntity';
import { TABLES, TableStore } from '../../storage/tableStore';

export type Row = Record<string, unknown> & { rowKey: string };

/** The rows of one school's partition of the cases table (all, or those whose key starts with `keyPrefix`). */
export async function schoolRows(store: TableStore, schoolId = 'oakfield-demo', keyPrefix = ''): Promise<Row[]> {
  const out: Row[] = [];
  const upper = `${keyPrefix}\uffff`;
  const rows = store.client(TABLES.cases).listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`PartitionKey eq ${schoolId} and RowKey ge ${keyPrefix} and RowKey lt ${upper}` } });
  for await (const row of rows) {
    // Bounds checked here too: Azurite has returned whole partitions for range queries under load.
    if (row.partitionKey === schoolId && String(row.rowKey).startsWith(keyPrefix)) out.push({ ...row, rowKey: String(row.rowKey) });
  }
  return out;
}

/** The case a row belongs to, from its caseId column or its key; undefined for rows that belong to no case. */
function caseIdOf(row: Row): string | undefined {
  if (typeof row.caseId === 'string') return row.caseId;
  const audit = /^audit\|([^|]+)\|/.exec(row.rowKey);
  if (audit) return audit[1];
  const outbox = /^(?:outbox|pending)\|([^.]+)\./.exec(row.rowKey);
  return outbox?.[1];
}

export interface CaseIntegrity {
  /** Case ids saved for each draft id (more than one is a duplicate). */
  casesByDraft: Map<string, string[]>;
  /** Case ids for each reference number. */
  casesByRef: Map<string, string[]>;
  /** Rows that name a case with no case row: what a half-saved case would leave. */
  orphans: string[];
  /** Cases missing their ref or draft row, or whose rows disagree. */
  incomplete: string[];
}

/**
 * What the rows say about saved cases: each case once per draft, with its ref and draft rows, and no
 * row (audit, notification, action, index) left behind by a case that was not saved.
 */
export function checkCases(rows: readonly Row[]): CaseIntegrity {
  const byKey = new Map(rows.map((r) => [r.rowKey, r]));
  const casesByDraft = new Map<string, string[]>();
  const casesByRef = new Map<string, string[]>();
  const incomplete: string[] = [];
  const caseIds = new Set<string>();
  for (const row of rows) {
    if (!row.rowKey.startsWith('case|')) continue;
    const caseId = row.rowKey.slice('case|'.length);
    caseIds.add(caseId);
    const record = unpackJson(row) as { draftId?: string; ref?: string } | undefined;
    const draftId = record?.draftId ?? '(none)';
    const ref = record?.ref ?? '(none)';
    casesByDraft.set(draftId, [...(casesByDraft.get(draftId) ?? []), caseId]);
    casesByRef.set(ref, [...(casesByRef.get(ref) ?? []), caseId]);
    if (byKey.get(`draft|${draftId}`)?.caseId !== caseId || byKey.get(`ref|${ref}`)?.caseId !== caseId) incomplete.push(caseId);
  }
  const orphans = rows.filter((r) => {
    const id = caseIdOf(r);
    return id !== undefined && !caseIds.has(id);
  });
  return { casesByDraft, casesByRef, orphans: orphans.map((r) => r.rowKey), incomplete };
}
