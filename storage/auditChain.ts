import { createHash } from 'node:crypto';
import { odata, TableClient, TableTransactionResponse, TransactionAction } from '@azure/data-tables';
import { statusOf } from './tableStore';

/**
 * The audit trail of each school (case chronologies, record openings, register loads) is one hash
 * chain across the school's partition: every audit row carries its place in the chain, the hash of
 * the row before it and its own hash over its content; a head row holds the latest. Editing,
 * deleting or inserting a row breaks the chain where it happened, and `verifyChain` names it.
 *
 * Audit rows are created, never updated or deleted, and each is written in the same transaction
 * as the head moves (with the head's ETag), so the chain has one order even with many instances.
 */
export const AUDIT_ROW_PREFIXES = ['audit|', 'access|', 'register|', 'settings|'] as const;
export const CHAIN_HEAD_KEY = 'auditchain';

const CHAIN_FIELDS = new Set(['chainSeq', 'prevHash', 'hash']);
const SYSTEM_FIELDS = new Set(['partitionKey', 'rowKey', 'etag', 'timestamp']);

export function isAuditRowKey(rowKey: string): boolean {
  return AUDIT_ROW_PREFIXES.some((p) => rowKey.startsWith(p));
}

export function genesisHash(schoolId: string): string {
  return sha256(`audit chain genesis|${schoolId}`);
}

/** The hash of a row: the previous hash, its key and its content (every stored field but the chain's own). */
export function rowHash(prevHash: string, rowKey: string, entity: Record<string, unknown>): string {
  const content = Object.keys(entity)
    // Undefined fields are not stored, so they must not count either.
    .filter((k) => !CHAIN_FIELDS.has(k) && !SYSTEM_FIELDS.has(k) && !k.startsWith('odata') && entity[k] !== undefined)
    .sort()
    .map((k) => [k, entity[k]]);
  return sha256(`${prevHash}\n${rowKey}\n${JSON.stringify(content)}`);
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

interface Head {
  seq: number;
  hash: string;
  etag?: string;
}

interface Pending {
  actions: readonly TransactionAction[];
  done: (etags: Etags) => void;
  failed: (err: unknown) => void;
}

/** The new ETag of each of a caller's operations, in order; undefined where the answer carried none. */
export type Etags = Array<string | undefined>;

function etagsOf(result: TableTransactionResponse, operations: number): Etags {
  // Answers come in the order of the operations; a count that does not match says nothing reliable.
  const answers = result.subResponses.length === operations ? result.subResponses : [];
  return Array.from({ length: operations }, (_, i) => answers[i]?.etag);
}

/** Azure Tables takes at most 100 operations in one transaction; one is the head's. */
const MAX_OPERATIONS = 100;

export class AuditChain {
  /** Appends waiting, per school, while one is being written. */
  private readonly waiting = new Map<string, Pending[]>();
  /** The head as this process last wrote or read it; a stale one costs a failed try, never a wrong chain. */
  private readonly known = new Map<string, Head>();

  constructor(
    private readonly table: TableClient,
    private readonly maxAttempts = 12,
  ) {}

  /**
   * Submits a transaction, chaining every audit row it creates. Every append moves the school's
   * one head row, so appends at the same time cannot all succeed: in this process they wait while
   * one is written, and the ones that waited are then written together in one transaction (group
   * commit: twenty approvals at once cost a few writes, not twenty in a row). If a combined write
   * fails, each is written on its own, so a caller only ever sees its own failure. If another
   * instance moved the head first, the transaction is rebuilt on the new head and tried again; any
   * other failure (a stale ETag of the caller's own, a row that exists) is the caller's to handle.
   */
  async submit(schoolId: string, actions: readonly TransactionAction[]): Promise<Etags> {
    const audited = actions.some(([kind, entity]) => kind === 'create' && isAuditRowKey(String(entity.rowKey)));
    if (!audited) return etagsOf(await this.table.submitTransaction([...actions]), actions.length);
    return new Promise<Etags>((done, failed) => {
      const queue = this.waiting.get(schoolId);
      if (queue) {
        queue.push({ actions, done, failed });
        return;
      }
      this.waiting.set(schoolId, [{ actions, done, failed }]);
      void this.drain(schoolId);
    });
  }

  /** Writes what waits for a school, a group at a time, until nothing does. */
  private async drain(schoolId: string): Promise<void> {
    const queue = this.waiting.get(schoolId)!;
    while (queue.length > 0) {
      const group = takeGroup(queue);
      if (group.length > 1) {
        try {
          const etags = await this.append(schoolId, group.flatMap((p) => p.actions), false);
          let from = 0;
          for (const p of group) {
            p.done(etags.slice(from, from + p.actions.length));
            from += p.actions.length;
          }
          continue;
        } catch {
          // One of them failed (its own ETag, a row that exists, a conflict between them): each on its own.
        }
      }
      for (const p of group) {
        try {
          p.done(await this.append(schoolId, p.actions, true));
        } catch (err) {
          p.failed(err);
        }
      }
    }
    this.waiting.delete(schoolId);
  }

  /** One transaction on the current head; with `retry`, tried again on the new head if another instance moved it. Returns the ETags of `actions`. */
  private async append(schoolId: string, actions: readonly TransactionAction[], retry: boolean): Promise<Etags> {
    for (let attempt = 1; ; attempt++) {
      const head = this.known.get(schoolId) ?? (await this.head(schoolId));
      let { seq, hash } = head;
      const chained = actions.map((action): TransactionAction => {
        const [kind, entity] = action;
        if (kind !== 'create' || !isAuditRowKey(String(entity.rowKey))) return action;
        seq += 1;
        const prevHash = hash;
        hash = rowHash(prevHash, String(entity.rowKey), entity);
        return ['create', { ...entity, chainSeq: seq, prevHash, hash }];
      });
      const headRow = { partitionKey: schoolId, rowKey: CHAIN_HEAD_KEY, seq, hash };
      const moveHead: TransactionAction = head.etag ? ['update', headRow, 'Replace', { etag: head.etag }] : ['create', headRow];
      try {
        const all = [...chained, moveHead];
        const result = await this.table.submitTransaction(all);
        // Answers come in the order of the operations; an update's carries no row key (Azurite's at least).
        const etag = result.subResponses.length === all.length ? result.subResponses.at(-1)?.etag : undefined;
        if (etag) this.known.set(schoolId, { seq, hash, etag });
        else this.known.delete(schoolId);
        return etagsOf(result, all.length).slice(0, actions.length);
      } catch (err) {
        this.known.delete(schoolId);
        const status = statusOf(err);
        if (!retry || (status !== 412 && status !== 409) || attempt >= this.maxAttempts) throw err;
        // Only a moved head is ours to retry; anything else goes back to the caller unchanged.
        const now = await this.head(schoolId);
        if (now.etag === head.etag) throw err;
        this.known.set(schoolId, now);
        await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 10 * attempt)));
      }
    }
  }

  async head(schoolId: string): Promise<Head> {
    try {
      const row = await this.table.getEntity<{ seq: number; hash: string }>(schoolId, CHAIN_HEAD_KEY);
      return { seq: Number(row.seq), hash: String(row.hash), etag: row.etag };
    } catch (err) {
      if (statusOf(err) === 404) return { seq: 0, hash: genesisHash(schoolId) };
      throw err;
    }
  }

  /**
   * Checks the whole chain of a school; reports the first entry that does not fit, if any.
   *
   * The app keeps writing while this reads (a delivery, a record opened), so the rows and the head
   * must be one snapshot: the head is read before and after the rows, and the check runs only when
   * it did not move. On a school that never goes quiet, the rows up to the first head read are
   * checked: they were all written before it (rows and head move in one transaction).
   */
  async verify(schoolId: string, maxAttempts = 5): Promise<ChainReport> {
    for (let attempt = 1; ; attempt++) {
      const before = await this.head(schoolId);
      const rows = await this.auditRows(schoolId);
      const after = await this.head(schoolId);
      const headOf = (h: Head) => (h.etag ? { seq: h.seq, hash: h.hash } : undefined);
      if (before.etag === after.etag) return verifyRows(schoolId, rows, headOf(before));
      if (attempt >= maxAttempts) {
        const upToBefore = rows.filter((r) => typeof r.chainSeq !== 'number' || r.chainSeq <= before.seq);
        return verifyRows(schoolId, upToBefore, headOf(before));
      }
    }
  }

  private async auditRows(schoolId: string): Promise<Array<Record<string, unknown> & { rowKey: string }>> {
    const rows: Array<Record<string, unknown> & { rowKey: string }> = [];
    for (const prefix of AUDIT_ROW_PREFIXES) {
      const upper = `${prefix}\uffff`;
      const listed = this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`PartitionKey eq ${schoolId} and RowKey ge ${prefix} and RowKey lt ${upper}` } });
      for await (const row of listed) {
        if (row.partitionKey === schoolId && typeof row.rowKey === 'string' && row.rowKey >= prefix && row.rowKey < upper) rows.push({ ...row, rowKey: row.rowKey });
      }
    }
    return rows;
  }
}

/**
 * The next appends that can go in one transaction: in order, within the operation limit, and
 * touching different rows (a transaction may not name a row twice). Always at least one.
 */
function takeGroup(queue: Pending[]): Pending[] {
  const group: Pending[] = [];
  const rows = new Set<string>();
  let operations = 1;
  while (queue.length > 0) {
    const next = queue[0]!;
    const keys = next.actions.map(([, entity]) => String(entity.rowKey));
    if (group.length > 0 && (operations + keys.length > MAX_OPERATIONS || keys.some((k) => rows.has(k)))) break;
    queue.shift();
    group.push(next);
    operations += keys.length;
    keys.forEach((k) => rows.add(k));
  }
  return group;
}

export interface ChainReport {
  ok: boolean;
  entries: number;
  /** The first entry that does not fit, and why. */
  firstBroken?: { rowKey: string; chainSeq?: number; problem: string };
}

/** The check itself, on rows already read (pure, so it is tested on its own too). */
export function verifyRows(schoolId: string, rows: ReadonlyArray<Record<string, unknown> & { rowKey: string }>, head: { seq: number; hash: string } | undefined): ChainReport {
  const unchained = rows.find((r) => typeof r.chainSeq !== 'number' || typeof r.hash !== 'string' || typeof r.prevHash !== 'string');
  if (unchained) return { ok: false, entries: rows.length, firstBroken: { rowKey: unchained.rowKey, problem: 'has no place in the chain (added outside the app, or its chain fields removed)' } };
  const ordered = [...rows].sort((a, b) => Number(a.chainSeq) - Number(b.chainSeq));
  let prev = genesisHash(schoolId);
  for (let i = 0; i < ordered.length; i++) {
    const row = ordered[i]!;
    const seq = Number(row.chainSeq);
    if (seq !== i + 1) {
      return { ok: false, entries: rows.length, firstBroken: { rowKey: row.rowKey, chainSeq: seq, problem: seq > i + 1 ? `entry ${i + 1} of the chain is missing (deleted) before this one` : 'shares its place in the chain with another entry' } };
    }
    if (row.prevHash !== prev) return { ok: false, entries: rows.length, firstBroken: { rowKey: row.rowKey, chainSeq: seq, problem: 'does not follow the entry before it (an entry before it was changed or replaced)' } };
    if (row.tombstone === true) {
      // Content removed at the end of retention: allowed only by a later retention entry in the chain.
      const by = rows.find((r) => r.rowKey === row.removedBy);
      if (!by || by.action !== 'retention' || typeof by.chainSeq !== 'number' || by.chainSeq <= seq || by.tombstone === true) {
        return { ok: false, entries: rows.length, firstBroken: { rowKey: row.rowKey, chainSeq: seq, problem: 'its content was removed without a retention entry that allows it' } };
      }
    } else if (rowHash(prev, row.rowKey, row) !== row.hash) {
      return { ok: false, entries: rows.length, firstBroken: { rowKey: row.rowKey, chainSeq: seq, problem: 'its content was changed after it was written' } };
    }
    prev = String(row.hash);
  }
  if (!head) {
    if (ordered.length > 0) return { ok: false, entries: rows.length, firstBroken: { rowKey: CHAIN_HEAD_KEY, problem: 'the chain head is missing' } };
    return { ok: true, entries: 0 };
  }
  if (head.seq !== ordered.length || head.hash !== prev) {
    return { ok: false, entries: rows.length, firstBroken: { rowKey: CHAIN_HEAD_KEY, chainSeq: head.seq, problem: head.seq > ordered.length ? `the last ${head.seq - ordered.length} entr${head.seq - ordered.length === 1 ? 'y was' : 'ies were'} deleted` : 'the chain head does not match the last entry' } };
  }
  return { ok: true, entries: ordered.length };
}
