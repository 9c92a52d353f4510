import { odata, TableClient, TableEntity, TransactionAction } from '@azure/data-tables';
import { TrackedAction, trackedActionSchema } from '../policy/actions';
import { AuditEntry, CaseRecord, Notification, NotificationStatus } from '../policy/caseRecord';
import { caseTypeSchema } from '../policy/cases';
import { auditEntrySchema, caseRecordSchema, notificationSchema } from '../policy/caseSchemas';
import { AuditChain } from './auditChain';
import { packJson, unpackJson } from './jsonEntity';
import { statusOf } from './tableStore';

/**
 * Cases, their audit trail and their notifications, in one table with one partition per school so
 * that a case and everything written with it commit in a single entity-group transaction.
 *
 * Row keys (sorted, so every listing is a range, never a scan of history):
 *   case|{caseId}                 the case (case ids sort by time)
 *   ref|{ref}                     reference number -> case id (unique)
 *   draft|{draftId}               dialog draft -> case id (a retried confirm finds the saved case)
 *   pupil|{pupilId}|{caseId}      a pupil's cases, with a summary for suspension totals
 *   audit|{caseId}|{seq}          the case's chronology, in order
 *   outbox|{notificationId}       every notification and its status (ids start with the case id)
 *   pending|{notificationId}      present only while a notification waits to be sent
 *   approval|{caseId}             present only while a case waits for a DSL's decision
 *   approvalcard|{caseId}|{aad}   where each approver's card was posted, to update it in place
 *   action|{caseId}|{stepId}      every tracked action of a case, open or closed
 *   open|{deadline}|{caseId}|{stepId}  present only while an action is open: the deadline list is a
 *                                 range of open items ordered by date, never a scan of history; it
 *                                 carries the action's reminder stage, so a pass reads no action rows
 *   susp|{startDate}|{caseId}     a decided suspension, so a term's suspensions are one date range
 *   digest|{weekOf}               the weekly digest's lease: claimed, then posted (once per week)
 */
export interface OpenItem {
  caseId: string;
  stepId: string;
  deadline: string;
  ref: string;
  statutory: boolean;
  pupilId?: string;
  /** The action's reminder stage as the index holds it; absent on rows written before it was kept there. */
  stage?: number;
}

export class RefCollisionError extends Error {
  constructor(readonly ref: string) {
    super(`case reference ${ref} is already taken`);
    this.name = 'RefCollisionError';
  }
}

export interface PupilCaseSummary {
  caseId: string;
  ref: string;
  caseType: CaseRecord['caseType'];
  raisedOn: string;
  /** For decided suspensions, what the statutory totals count. */
  suspensionStart?: string;
  suspensionDays?: number;
  permanentExclusion?: boolean;
}

const pad = (n: number) => String(n).padStart(6, '0');
const auditKey = (caseId: string, seq: number) => `audit|${caseId}|${pad(seq)}`;

function auditAction(schoolId: string, entry: AuditEntry): TransactionAction {
  return ['create', { partitionKey: schoolId, rowKey: auditKey(entry.caseId, entry.seq), action: entry.action, at: entry.at, ...packJson('audit entry', entry) }];
}

const actionKey = (a: Pick<TrackedAction, 'caseId' | 'stepId'>) => `action|${a.caseId}|${a.stepId}`;
const openKey = (a: Pick<TrackedAction, 'caseId' | 'stepId' | 'deadline'>) => `open|${a.deadline}|${a.caseId}|${a.stepId}`;

function actionEntity(schoolId: string, a: TrackedAction) {
  return { partitionKey: schoolId, rowKey: actionKey(a), ...a };
}

function openEntity(schoolId: string, a: TrackedAction) {
  return { partitionKey: schoolId, rowKey: openKey(a), caseId: a.caseId, stepId: a.stepId, deadline: a.deadline, ref: a.ref, statutory: a.statutory, stage: a.stage, ...(a.pupilId ? { pupilId: a.pupilId } : {}) };
}

/**
 * The reminder stage copied onto the open-index row, in the transaction that changes the action's:
 * the deadline job then passes over what it has already reminded without reading each action.
 */
function openStage(schoolId: string, a: TrackedAction): TransactionAction {
  return ['update', { partitionKey: schoolId, rowKey: openKey(a), stage: a.stage }, 'Merge'];
}

/** Closing actions inside another transaction: the action row updated, its open-index row removed. */
function closeActions(schoolId: string, actions: readonly TrackedAction[], closedBy: TrackedAction['closedBy'], status: TrackedAction['status'], at: string): TransactionAction[] {
  return actions.flatMap((a): TransactionAction[] => [
    ['update', actionEntity(schoolId, { ...a, status, closedBy, doneAt: at }), 'Replace'],
    ['delete', { partitionKey: schoolId, rowKey: openKey(a) }],
  ]);
}

/** A row of the pending index: the notification, when it joined, its case, and a card's recipient (absent on rows written before it was kept). */
export interface PendingIndexRow {
  id: string;
  since: Date;
  caseId?: string;
  /** A card's recipient; empty for an email. */
  teamsTo?: string;
}

/** Where an approver's card was posted, so a decision can update it in place. */
export interface ApprovalCardRow {
  caseId: string;
  aadObjectId: string;
  conversationRef: string;
  activityId: string;
}

/** One delivered notification to settle: its state as claimed (with the claim's ETag), its audit entry. */
export interface Settled {
  n: Notification & { etag: string };
  entry: AuditEntry;
  completes?: readonly TrackedAction[];
  approvalCard?: ApprovalCardRow;
}

function approvalCardEntity(schoolId: string, card: ApprovalCardRow) {
  return { partitionKey: schoolId, rowKey: `approvalcard|${card.caseId}|${card.aadObjectId}`, ...card };
}

/**
 * A notification's row in the pending index. A card's row names its recipient (`teamsTo`; empty for
 * an email), so the cards waiting for someone to install the app are found from the index alone
 * when they do, rather than by reading every pending notification of their school. Rows written
 * before it was added have no `teamsTo`, and their notification is read instead.
 */
function pendingEntity(schoolId: string, n: Notification): TableEntity {
  return { partitionKey: schoolId, rowKey: `pending|${n.id}`, caseId: n.caseId, teamsTo: n.channel === 'teams' ? n.to.aadObjectId : '' };
}

/** A notification's outcome: its new status (lease cleared), its pending index gone, its audit entry, and what comes with it. */
function settleActions(
  schoolId: string,
  s: { n: Notification & { etag: string }; status: NotificationStatus; entry: AuditEntry; alsoCreate: readonly Notification[]; completes?: readonly TrackedAction[]; approvalCard?: ApprovalCardRow | undefined },
): TransactionAction[] {
  const { etag, ...plain } = s.n;
  const delivery = { ...(plain.delivery ?? { attempts: 0 }), leaseUntil: undefined, leaseOwner: undefined };
  const updated: Notification = plain.channel === 'teams' ? { ...plain, status: s.status, delivery } : { ...plain, status: s.status, delivery };
  const actions: TransactionAction[] = [['update', outboxEntity(schoolId, updated), 'Replace', { etag }]];
  if (s.n.status === 'pending' && s.status !== 'pending') actions.push(['delete', { partitionKey: schoolId, rowKey: `pending|${s.n.id}` }]);
  actions.push(auditAction(schoolId, s.entry));
  for (const extra of s.alsoCreate) {
    actions.push(['create', outboxEntity(schoolId, extra)]);
    if (extra.status === 'pending') actions.push(['create', pendingEntity(schoolId, extra)]);
  }
  if (s.approvalCard) actions.push(['upsert', approvalCardEntity(schoolId, s.approvalCard), 'Replace']);
  return [...actions, ...closeActions(schoolId, s.completes ?? [], 'email', 'done', s.entry.at)];
}

function outboxEntity(schoolId: string, n: Notification) {
  return { partitionKey: schoolId, rowKey: `outbox|${n.id}`, caseId: n.caseId, status: n.status, channel: n.channel, ...packJson('notification', n) };
}

export class CaseRepository {
  /**
   * Every transaction that writes an audit row goes through the school's hash chain. Share one
   * chain between the repositories of a process that write to this table, so their appends queue.
   */
  constructor(
    private readonly table: TableClient,
    readonly chain: AuditChain = new AuditChain(table),
  ) {}

  /**
   * Saves a case with its audit entries and notifications, all or nothing. A second save of the
   * same draft returns the case saved the first time instead of a duplicate. A save made now says
   * the ETag each notification was written with, where the answer named it, so its cards can be
   * sent without reading them back.
   */
  async create(
    record: CaseRecord,
    audit: AuditEntry[],
    notifications: Notification[],
    approvalDueAt?: string,
    tracked: TrackedAction[] = [],
  ): Promise<{ created: boolean; caseId: string; ref: string; notificationEtags?: ReadonlyMap<string, string> }> {
    const pk = record.schoolId;
    const actions: TransactionAction[] = [
      ['create', { partitionKey: pk, rowKey: `case|${record.id}`, ref: record.ref, caseType: record.caseType, status: record.status, raisedOn: record.raisedOn, ...packJson(`case ${record.ref}`, record) }],
      ['create', { partitionKey: pk, rowKey: `ref|${record.ref}`, caseId: record.id }],
      ['create', { partitionKey: pk, rowKey: `draft|${record.draftId}`, caseId: record.id, ref: record.ref }],
      ...audit.map((e) => auditAction(pk, e)),
      ...notifications.map((n): TransactionAction => ['create', outboxEntity(pk, n)]),
      ...notifications.filter((n) => n.status === 'pending').map((n): TransactionAction => ['create', pendingEntity(pk, n)]),
    ];
    for (const a of tracked) {
      actions.push(['create', actionEntity(pk, a)], ['create', openEntity(pk, a)]);
    }
    if (record.approval.required && approvalDueAt) {
      actions.push(['create', { partitionKey: pk, rowKey: `approval|${record.id}`, caseId: record.id, dueAt: approvalDueAt, stage: 0, ref: record.ref, raisedAt: record.raisedAt }]);
    }
    if (record.subject.kind === 'onRegister' && record.answers.caseType === 'suspension' && record.answers.stage === 'decided' && record.answers.decision) {
      const d = record.answers.decision;
      actions.push([
        'create',
        { partitionKey: pk, rowKey: `susp|${d.startDate}|${record.id}`, caseId: record.id, pupilId: record.subject.pupilId, days: d.kind === 'suspension' ? d.days : 0, permanent: d.kind === 'permanentExclusion' },
      ]);
    }
    if (record.subject.kind === 'onRegister') {
      const decision = record.answers.caseType === 'suspension' && record.answers.stage === 'decided' ? record.answers.decision : undefined;
      actions.push([
        'create',
        {
          partitionKey: pk,
          rowKey: `pupil|${record.subject.pupilId}|${record.id}`,
          caseId: record.id,
          ref: record.ref,
          caseType: record.caseType,
          raisedOn: record.raisedOn,
          ...(decision
            ? { suspensionStart: decision.startDate, suspensionDays: decision.kind === 'suspension' ? decision.days : 0, permanentExclusion: decision.kind === 'permanentExclusion' }
            : {}),
        },
      ]);
    }
    // One more row than these: the audit chain's head moves in the same transaction.
    if (actions.length > 99) throw new Error(`a case needs ${actions.length + 1} rows; a transaction takes 100`);
    try {
      const etags = await this.chain.submit(pk, actions);
      // The notification rows follow the case's three rows and its audit entries.
      const first = 3 + audit.length;
      const notificationEtags = new Map(notifications.flatMap((n, i) => { const etag = etags[first + i]; return etag ? [[n.id, etag] as const] : []; }));
      return { created: true, caseId: record.id, ref: record.ref, notificationEtags };
    } catch (err) {
      if (statusOf(err) !== 409) throw err;
      const existing = await this.findByDraft(pk, record.draftId);
      if (existing) return { created: false, ...existing };
      if (await this.exists(pk, `ref|${record.ref}`)) throw new RefCollisionError(record.ref);
      throw err;
    }
  }

  async findByDraft(schoolId: string, draftId: string): Promise<{ caseId: string; ref: string } | undefined> {
    try {
      const row = await this.table.getEntity<{ caseId: string; ref: string }>(schoolId, `draft|${draftId}`);
      return { caseId: row.caseId, ref: row.ref };
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw err;
    }
  }

  async get(schoolId: string, caseId: string): Promise<CaseRecord | undefined> {
    return (await this.getWithEtag(schoolId, caseId))?.record;
  }

  /** The case and its ETag: a decision is written only if the case has not changed since. */
  async getWithEtag(schoolId: string, caseId: string): Promise<{ record: CaseRecord; etag: string } | undefined> {
    try {
      const entity = await this.table.getEntity<Record<string, unknown>>(schoolId, `case|${caseId}`);
      return { record: caseRecordSchema.parse(unpackJson(entity)), etag: String(entity.etag) };
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw err;
    }
  }

  /**
   * Writes a DSL's decision: the case (only if unchanged since it was read), its audit entry, and
   * each external notification released to the sender or marked not sent, all in one transaction.
   * A 412 means someone else decided first: `DecisionConflictError`.
   */
  async recordDecision(record: CaseRecord, etag: string, entry: AuditEntry, release: Notification[], withhold: Notification[], notNeeded: TrackedAction[] = []): Promise<void> {
    const pk = record.schoolId;
    const actions: TransactionAction[] = [
      ['update', { partitionKey: pk, rowKey: `case|${record.id}`, ref: record.ref, caseType: record.caseType, status: record.status, raisedOn: record.raisedOn, ...packJson(`case ${record.ref}`, record) }, 'Replace', { etag }],
      auditAction(pk, entry),
      ...release.map((n): TransactionAction => ['update', outboxEntity(pk, { ...n, status: 'pending' }), 'Replace']),
      ...release.map((n): TransactionAction => ['upsert', pendingEntity(pk, n), 'Replace']),
      ...withhold.map((n): TransactionAction => ['update', outboxEntity(pk, { ...n, status: 'notSent' }), 'Replace']),
      ['delete', { partitionKey: pk, rowKey: `approval|${record.id}` }],
      ...closeActions(pk, notNeeded, 'decision', 'notNeeded', entry.at),
    ];
    try {
      await this.chain.submit(pk, actions);
    } catch (err) {
      const status = statusOf(err);
      if (status === 412) throw new DecisionConflictError(record.id);
      // 409 here is the audit sequence taken by another writer at the same moment.
      if (status === 409) throw new AuditSequenceTakenError(record.id);
      throw err;
    }
  }

  /**
   * A new starter matched to a pupil on the register: the case (only if unchanged since it was
   * read: 412 otherwise) now names the pupil, joins the pupil's cases, and its actions carry the
   * pupil's id (merged, so an action marked done meanwhile stays done; an open row removed meanwhile
   * fails the whole write, 404, to be tried again), with the audit entry, in one transaction.
   */
  async recordMatch(record: CaseRecord, etag: string, pupilId: string, tracked: readonly TrackedAction[], entry: AuditEntry): Promise<void> {
    const pk = record.schoolId;
    const actions: TransactionAction[] = [
      ['update', { partitionKey: pk, rowKey: `case|${record.id}`, ref: record.ref, caseType: record.caseType, status: record.status, raisedOn: record.raisedOn, ...packJson(`case ${record.ref}`, record) }, 'Replace', { etag }],
      ['upsert', { partitionKey: pk, rowKey: `pupil|${pupilId}|${record.id}`, caseId: record.id, ref: record.ref, caseType: record.caseType, raisedOn: record.raisedOn }, 'Replace'],
      ...tracked.map((a): TransactionAction => ['update', { partitionKey: pk, rowKey: actionKey(a), pupilId }, 'Merge']),
      ...tracked.filter((a) => a.status === 'open').map((a): TransactionAction => ['update', { partitionKey: pk, rowKey: openKey(a), pupilId }, 'Merge']),
      auditAction(pk, entry),
    ];
    await this.chain.submit(pk, actions);
  }

  async listForPupil(schoolId: string, pupilId: string): Promise<PupilCaseSummary[]> {
    const out: PupilCaseSummary[] = [];
    for await (const row of this.range(schoolId, `pupil|${pupilId}|`)) {
      out.push({
        caseId: String(row.caseId),
        ref: String(row.ref),
        caseType: caseTypeSchema.parse(row.caseType),
        raisedOn: String(row.raisedOn),
        ...(typeof row.suspensionStart === 'string' ? { suspensionStart: row.suspensionStart } : {}),
        ...(typeof row.suspensionDays === 'number' ? { suspensionDays: row.suspensionDays } : {}),
        ...(row.permanentExclusion === true ? { permanentExclusion: true } : {}),
      });
    }
    return out;
  }

  async auditTrail(schoolId: string, caseId: string): Promise<AuditEntry[]> {
    const out: AuditEntry[] = [];
    for await (const row of this.range(schoolId, `audit|${caseId}|`)) out.push(auditEntrySchema.parse(unpackJson(row)));
    return out;
  }

  async notifications(schoolId: string, caseId: string): Promise<Array<Notification & { etag: string }>> {
    const out: Array<Notification & { etag: string }> = [];
    // Notification ids start with the case id, so a case's notifications are one tight key range.
    for await (const row of this.range(schoolId, `outbox|${caseId}.`)) {
      out.push({ ...notificationSchema.parse(unpackJson(row)), etag: String(row.etag) });
    }
    return out;
  }

  async getNotification(schoolId: string, id: string): Promise<(Notification & { etag: string }) | undefined> {
    try {
      const row = await this.table.getEntity<Record<string, unknown>>(schoolId, `outbox|${id}`);
      return { ...notificationSchema.parse(unpackJson(row)), etag: String(row.etag) };
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw err;
    }
  }

  /** Replaces a notification if it has not changed since it was read; returns the new ETag (412 if it had). */
  async updateNotification(schoolId: string, n: Notification, etag: string): Promise<string> {
    const res = await this.table.updateEntity(outboxEntity(schoolId, n), 'Replace', { etag });
    return String(res.etag);
  }

  /** Ids of the notifications waiting to be sent: the pending index, never the whole outbox. */
  async pendingNotificationIds(schoolId: string): Promise<string[]> {
    const ids: string[] = [];
    for await (const row of this.range(schoolId, 'pending|')) ids.push(String(row.rowKey).slice('pending|'.length));
    return ids;
  }

  /**
   * The pending index with when each notification joined it: the row's own timestamp, which the
   * service sets on write and nothing rewrites (sends update the notification, not its index row).
   */
  async pendingNotificationQueue(schoolId: string): Promise<PendingIndexRow[]> {
    const out: PendingIndexRow[] = [];
    for await (const row of this.range(schoolId, 'pending|')) {
      out.push({
        id: String(row.rowKey).slice('pending|'.length),
        since: new Date(String(row.timestamp)),
        ...(typeof row.caseId === 'string' ? { caseId: row.caseId } : {}),
        ...(typeof row.teamsTo === 'string' ? { teamsTo: row.teamsTo } : {}),
      });
    }
    return out;
  }

  async removePendingIndex(schoolId: string, id: string): Promise<void> {
    try {
      await this.table.deleteEntity(schoolId, `pending|${id}`);
    } catch (err) {
      if (statusOf(err) !== 404) throw err;
    }
  }

  /** Cases waiting for a DSL's decision, with when the next reminder is due. */
  async pendingApprovals(schoolId: string): Promise<Array<{ caseId: string; dueAt: string; stage: number; etag: string; ref: string; raisedAt: string }>> {
    const out: Array<{ caseId: string; dueAt: string; stage: number; etag: string; ref: string; raisedAt: string }> = [];
    for await (const row of this.range(schoolId, 'approval|')) {
      out.push({ caseId: String(row.caseId), dueAt: String(row.dueAt), stage: Number(row.stage), etag: String(row.etag), ref: String(row.ref ?? ''), raisedAt: String(row.raisedAt ?? '') });
    }
    return out;
  }

  /** Moves an approval to its next reminder stage; 412 if another instance already did. */
  async advanceApproval(schoolId: string, caseId: string, etag: string, stage: number, dueAt: string): Promise<void> {
    await this.table.updateEntity({ partitionKey: schoolId, rowKey: `approval|${caseId}`, caseId, dueAt, stage }, 'Merge', { etag });
  }

  /**
   * A reminder or escalation: the approval moves to its next stage (only if no other instance
   * moved it first), with its new notifications and audit entry, in one transaction.
   */
  async remind(schoolId: string, caseId: string, approvalEtag: string, stage: number, dueAt: string, notifications: Notification[], entry: AuditEntry): Promise<void> {
    const actions: TransactionAction[] = [
      ['update', { partitionKey: schoolId, rowKey: `approval|${caseId}`, caseId, dueAt, stage }, 'Merge', { etag: approvalEtag }],
      auditAction(schoolId, entry),
      ...notifications.map((n): TransactionAction => ['create', outboxEntity(schoolId, n)]),
      ...notifications.map((n): TransactionAction => ['create', pendingEntity(schoolId, n)]),
    ];
    await this.chain.submit(schoolId, actions);
  }

  async approvalCards(schoolId: string, caseId: string): Promise<Array<{ aadObjectId: string; conversationRef: string; activityId: string }>> {
    const out: Array<{ aadObjectId: string; conversationRef: string; activityId: string }> = [];
    for await (const row of this.range(schoolId, `approvalcard|${caseId}|`)) {
      out.push({ aadObjectId: String(row.aadObjectId), conversationRef: String(row.conversationRef), activityId: String(row.activityId) });
    }
    return out;
  }

  async actions(schoolId: string, caseId: string): Promise<TrackedAction[]> {
    const out: TrackedAction[] = [];
    for await (const row of this.range(schoolId, `action|${caseId}|`)) out.push(trackedActionSchema.parse(row));
    return out;
  }

  async getAction(schoolId: string, caseId: string, stepId: string): Promise<{ action: TrackedAction; etag: string } | undefined> {
    try {
      const row = await this.table.getEntity<Record<string, unknown>>(schoolId, actionKey({ caseId, stepId }));
      return { action: trackedActionSchema.parse(row), etag: String(row.etag) };
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw err;
    }
  }

  /** Open actions due on or before `until`, oldest first: a range of the open index, bounded by open items. */
  async openActionsDueBy(schoolId: string, until: string): Promise<OpenItem[]> {
    const out: OpenItem[] = [];
    for await (const row of this.between(schoolId, 'open|', `open|${until}|\uffff`)) {
      out.push({
        caseId: String(row.caseId),
        stepId: String(row.stepId),
        deadline: String(row.deadline),
        ref: String(row.ref ?? ''),
        statutory: row.statutory === true,
        ...(typeof row.pupilId === 'string' ? { pupilId: row.pupilId } : {}),
        ...(typeof row.stage === 'number' ? { stage: row.stage } : {}),
      });
    }
    return out;
  }

  /** Cases raised in [from, to): a range of case rows (ids sort by time), selecting a few columns only. */
  async casesRaisedBetween(schoolId: string, from: Date, to: Date): Promise<Array<{ caseId: string; ref: string; caseType: string }>> {
    const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    const out: Array<{ caseId: string; ref: string; caseType: string }> = [];
    for await (const row of this.between(schoolId, `case|${stamp(from)}`, `case|${stamp(to)}`, ['RowKey', 'PartitionKey', 'ref', 'caseType'])) {
      out.push({ caseId: String(row.rowKey).slice(5), ref: String(row.ref), caseType: String(row.caseType) });
    }
    return out;
  }

  /** Decided suspensions starting in [from, to] (a term): one date range of the suspension index. */
  async suspensionsStartingBetween(schoolId: string, from: string, to: string): Promise<Array<{ pupilId: string; days: number; permanent: boolean; startDate: string }>> {
    const out: Array<{ pupilId: string; days: number; permanent: boolean; startDate: string }> = [];
    for await (const row of this.between(schoolId, `susp|${from}`, `susp|${to}|\uffff`)) {
      out.push({ pupilId: String(row.pupilId), days: Number(row.days), permanent: row.permanent === true, startDate: String(row.rowKey).slice(5, 15) });
    }
    return out;
  }

  /**
   * The weekly digest's lease for one week: true if this instance may post it now (it claimed it,
   * or took over a claim that went stale), false if it was posted or is being posted elsewhere.
   */
  async claimDigest(schoolId: string, weekOf: string, owner: string, now: Date, staleAfterMs = 10 * 60_000): Promise<{ claimed: boolean; etag?: string }> {
    return this.claimRun(schoolId, `digest|${weekOf}`, owner, now, staleAfterMs);
  }

  /**
   * The lease every scheduled run takes (the weekly digest, the nightly audit check, retention):
   * one row per school and period, created by the first instance to get there. A claim left by an
   * instance that died is taken over once stale; a finished run is never claimed again.
   */
  async claimRun(schoolId: string, rowKey: string, owner: string, now: Date, staleAfterMs = 10 * 60_000): Promise<{ claimed: boolean; etag?: string; finished?: boolean }> {
    try {
      const res = await this.table.createEntity({ partitionKey: schoolId, rowKey, status: 'claimed', owner, claimedAt: now.toISOString() });
      return { claimed: true, etag: String(res.etag) };
    } catch (err) {
      if (statusOf(err) !== 409) throw err;
    }
    const row = await this.table.getEntity<Record<string, unknown>>(schoolId, rowKey);
    if (row.status !== 'claimed') return { claimed: false, finished: true };
    if (now.getTime() - Date.parse(String(row.claimedAt)) < staleAfterMs) return { claimed: false };
    try {
      const res = await this.table.updateEntity({ partitionKey: schoolId, rowKey, status: 'claimed', owner, claimedAt: now.toISOString() }, 'Replace', { etag: String(row.etag) });
      return { claimed: true, etag: String(res.etag) };
    } catch (err) {
      if (statusOf(err) === 412) return { claimed: false };
      throw err;
    }
  }

  /** Marks a claimed run finished, with what it found (counts only). */
  async finishRun(schoolId: string, rowKey: string, etag: string, at: Date, outcome: Record<string, string | number>): Promise<void> {
    await this.table.updateEntity({ partitionKey: schoolId, rowKey, status: 'done', finishedAt: at.toISOString(), ...outcome }, 'Replace', { etag });
  }

  /**
   * When this school's digest schedule began: a week missed before then is not "missed" (a new
   * deployment does not post last week's digest the moment it starts).
   */
  async digestScheduleSince(schoolId: string, now: Date): Promise<Date> {
    try {
      await this.table.createEntity({ partitionKey: schoolId, rowKey: 'digest|since', since: now.toISOString() });
      return now;
    } catch (err) {
      if (statusOf(err) !== 409) throw err;
      const row = await this.table.getEntity<Record<string, unknown>>(schoolId, 'digest|since');
      return new Date(String(row.since));
    }
  }

  async markDigestPosted(schoolId: string, weekOf: string, etag: string, postedAt: Date): Promise<void> {
    await this.table.updateEntity({ partitionKey: schoolId, rowKey: `digest|${weekOf}`, status: 'posted', postedAt: postedAt.toISOString() }, 'Replace', { etag });
  }

  /** Moves an action to its next reminder stage with its notifications and audit entry; 412 if another instance did. */
  async advanceAction(schoolId: string, action: TrackedAction, etag: string, stage: number, notifications: Notification[], entry: AuditEntry): Promise<void> {
    const moved = { ...action, stage };
    await this.chain.submit(schoolId, [
      ['update', actionEntity(schoolId, moved), 'Replace', { etag }],
      openStage(schoolId, moved),
      auditAction(schoolId, entry),
      ...notifications.map((n): TransactionAction => ['create', outboxEntity(schoolId, n)]),
      ...notifications.map((n): TransactionAction => ['create', pendingEntity(schoolId, n)]),
    ]);
  }

  /** A person marks an action done: only if it is still open as read (ETag), with its audit entry. */
  async completeAction(schoolId: string, action: TrackedAction, etag: string, by: string, entry: AuditEntry): Promise<void> {
    await this.chain.submit(schoolId, [
      ['update', actionEntity(schoolId, { ...action, status: 'done', closedBy: 'person', doneByName: by, doneAt: entry.at }), 'Replace', { etag }],
      ['delete', { partitionKey: schoolId, rowKey: openKey(action) }],
      auditAction(schoolId, entry),
    ]);
  }

  /** A person changes an open action (gives it to someone else): only if it is as read (ETag), with its audit entry. */
  async updateAction(schoolId: string, action: TrackedAction, etag: string, entry: AuditEntry): Promise<void> {
    await this.chain.submit(schoolId, [['update', actionEntity(schoolId, action), 'Replace', { etag }], openStage(schoolId, action), auditAction(schoolId, entry)]);
  }

  /** Appends to a case's chronology on its own (a reminder, a retry), taking the next free sequence number. */
  async appendAudit(schoolId: string, build: (seq: number) => AuditEntry, extra: TransactionAction[] = []): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const entry = build(await this.nextAuditSeq(schoolId, build(0).caseId));
      try {
        await this.chain.submit(schoolId, [auditAction(schoolId, entry), ...extra]);
        return;
      } catch (err) {
        if (statusOf(err) !== 409 || attempt >= 4) throw err;
      }
    }
  }

  /**
   * Rows whose key starts with `prefix`, as a key range. The prefix is checked again here: Azurite
   * 3.35 was seen (intermittently, in the full test run) answering a range query with the whole
   * partition, and a row of one kind must never be read as another.
   */
  private range(schoolId: string, prefix: string): AsyncGenerator<Record<string, unknown>> {
    return this.between(schoolId, prefix, `${prefix}\uffff`);
  }

  /** Rows with lower <= RowKey < upper, the bounds checked again in code (see `range`). */
  private async *between(schoolId: string, lower: string, upper: string, select?: string[]): AsyncGenerator<Record<string, unknown>> {
    const rows = this.table.listEntities<Record<string, unknown>>({
      queryOptions: { filter: odata`PartitionKey eq ${schoolId} and RowKey ge ${lower} and RowKey lt ${upper}`, ...(select ? { select } : {}) },
    });
    for await (const row of rows) {
      if (row.partitionKey === schoolId && typeof row.rowKey === 'string' && row.rowKey >= lower && row.rowKey < upper) yield row;
    }
  }

  /**
   * Records what happened to a notification, with its audit entry, in one transaction. The ETag
   * makes two senders racing on one notification produce one outcome.
   */
  async settleNotification(
    schoolId: string,
    n: Notification & { etag: string },
    status: NotificationStatus,
    entry: AuditEntry,
    alsoCreate: Notification[] = [],
    completes: TrackedAction[] = [],
    approvalCard?: ApprovalCardRow,
  ): Promise<void> {
    await this.chain.submit(schoolId, settleActions(schoolId, { n, status, entry, alsoCreate, completes, approvalCard }));
  }

  /**
   * Several notifications of one case delivered, each with its audit entry (and, for an approval
   * card, where it was posted), in one transaction: all or none, 412 if any changed since its claim.
   * A case's three staff cards then cost one write to settle, not three.
   */
  async settleDelivered(schoolId: string, settled: readonly Settled[]): Promise<void> {
    await this.chain.submit(schoolId, settled.flatMap((s) => settleActions(schoolId, { ...s, status: 'delivered', alsoCreate: [] })));
  }

  /**
   * Several notifications replaced at once, each only if unchanged since it was read (a claim's
   * lease, or "waiting for install"): all or none, 412 if any had changed. Returns their new ETags
   * in order, or undefined where the answer did not carry one.
   */
  async updateNotifications(schoolId: string, updates: ReadonlyArray<{ n: Notification; etag: string }>): Promise<Array<string | undefined>> {
    const result = await this.table.submitTransaction(updates.map(({ n, etag }): TransactionAction => ['update', outboxEntity(schoolId, n), 'Replace', { etag }]));
    return updates.map((_, i) => (result.subResponses.length === updates.length ? result.subResponses[i]?.etag : undefined));
  }

  /** Checks the school's audit hash chain (see storage/auditChain.ts). */
  verifyAuditChain(schoolId: string) {
    return this.chain.verify(schoolId);
  }

  /** The next free sequence number in a case's audit trail: the keys only, the entries are not read. */
  async nextAuditSeq(schoolId: string, caseId: string): Promise<number> {
    const prefix = `audit|${caseId}|`;
    let max = -1;
    for await (const row of this.between(schoolId, prefix, `${prefix}\uffff`, ['PartitionKey', 'RowKey'])) {
      const seq = Number(String(row.rowKey).slice(prefix.length));
      if (Number.isInteger(seq)) max = Math.max(max, seq);
    }
    return max + 1;
  }

  private async exists(pk: string, rk: string): Promise<boolean> {
    try {
      await this.table.getEntity(pk, rk, { queryOptions: { select: ['RowKey'] } });
      return true;
    } catch (err) {
      if (statusOf(err) === 404) return false;
      throw err;
    }
  }
}

export class DecisionConflictError extends Error {
  constructor(readonly caseId: string) {
    super(`case ${caseId} changed while a decision was being recorded`);
    this.name = 'DecisionConflictError';
  }
}

export class AuditSequenceTakenError extends Error {
  constructor(readonly caseId: string) {
    super(`another entry took the next audit sequence number of case ${caseId}`);
    this.name = 'AuditSequenceTakenError';
  }
}
