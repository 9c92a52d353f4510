import { randomUUID } from 'node:crypto';
import { cardReply } from '../cards/cardReply';
import { TrackedAction } from '../policy/actions';
import { AuditEntry, CaseRecord, Notification, StaffNotification, withDelivery } from '../policy/caseRecord';
import { approversOf } from '../policy/approval';
import { composeEmail } from '../policy/email';
import { SchoolProfile } from '../policy/schoolProfile';
import { Pupil } from '../policy/pupil';
import { AdaptiveCard } from '../cards/adaptiveCard';
import { ApprovalCardRow, CaseRepository, Settled } from '../storage/caseRepository';
import { ConversationRefRepository } from '../storage/conversationRefRepository';
import { PersonalRefs } from './personalRefs';
import { statusOf } from '../storage/tableStore';
import { errorSummary } from '../telemetry/errors';
import { runWithLogFields } from '../telemetry/logContext';
import { Logger } from '../telemetry/logger';
import { AppMetrics, OutboxBacklog } from '../telemetry/metrics';
import { inSpan, outsideSpans } from '../telemetry/tracing';
import { Mailer, MailError } from './mail/mailer';
import { ProactiveSender } from './proactive';

export interface RetryPolicy {
  baseMs: number;
  maxMs: number;
  maxAttempts: number;
  /** How long a claimed notification is held by one instance before another may take it over. */
  leaseMs: number;
  /** How long to wait before trying again someone who has not installed the app. */
  notInstalledRetryMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { baseMs: 30_000, maxMs: 30 * 60_000, maxAttempts: 8, leaseMs: 2 * 60_000, notInstalledRetryMs: 60 * 60_000 };

/** The schools the outbox delivers for (the school directory, in the app). */
export interface OutboxSchools {
  all(): Promise<SchoolProfile[]>;
  school(id: string): Promise<SchoolProfile>;
}

/**
 * What a notification says: the card a member of staff gets, and the child an email is about.
 * Deciding that is the application's (services/staffCards.ts); delivery only carries it.
 */
export interface NotificationContent {
  subject(record: CaseRecord): Promise<{ label: string; pupil?: Pupil }>;
  /** `compact`: shorter, for a connector that refused the full card as too big. */
  build(record: CaseRecord, n: StaffNotification, profile: SchoolProfile, all: readonly Notification[], refs?: PersonalRefs, o?: { compact?: boolean }): Promise<AdaptiveCard>;
}

export interface OutboxDeps {
  cases: CaseRepository;
  directory: OutboxSchools;
  conversationRefs: ConversationRefRepository;
  cards: NotificationContent;
  sender: ProactiveSender;
  mailer: Mailer;
  logger: Logger;
  clock: () => Date;
  retry?: RetryPolicy;
  random?: () => number;
  instanceId?: string;
  /** The operator's metrics: failures by kind, and the backlog after each pass. */
  metrics?: AppMetrics;
  /**
   * Awaited before each case of a pass: a pass (every 15 s, and after each Send or decision) is
   * work after answers like the staff cards, and gives way to the requests people are waiting on.
   */
  giveWay?: () => Promise<void>;
}

export type Outcome = 'delivered' | 'retrying' | 'failed' | 'waiting' | 'skipped';

/** Exponential backoff with jitter: half the delay fixed, half random, so retries spread out. */
export function backoffMs(attempt: number, policy: Pick<RetryPolicy, 'baseMs' | 'maxMs'>, random: () => number): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

class NotInstalledError extends Error {}

/** A case's notifications claimed and settled together up to this many (a transaction holds 100 operations). */
const MAX_TOGETHER = 15;
/** Settled notifications remembered between passes, at most (a burst's minute of cards is a few thousand). */
const SETTLED_REMEMBERED = 20_000;

/**
 * The next audit sequence number of a case, carried from one of its cards to the next so the trail
 * is listed once per case; a 409 (taken meanwhile) clears it and the trail is read again.
 */
interface AuditCursor {
  next?: number;
}

/** What the cards of one case share: read once by `deliverCase`, used by each card. */
interface CaseReads {
  notifications: ReadonlyArray<Notification & { etag: string }>;
  record: CaseRecord;
  refs: PersonalRefs;
  audit: AuditCursor;
}

/** One card's share of its case's reads: the notification itself, as listed. */
type CardReads = CaseReads & { notification: Notification & { etag: string } };

/**
 * What saving a case wrote, handed to `deliverSaved` so that its cards go without reading any of
 * it back: the case, its notifications (the pending ones leased to this instance by `leaseAtSave`)
 * with the ETag each was written with, and the case's next audit number.
 */
export interface SavedCase {
  record: CaseRecord;
  notifications: readonly Notification[];
  etags: ReadonlyMap<string, string>;
  nextAuditSeq: number;
}

/**
 * Delivers notifications from the transactional outbox: Teams cards to staff and emails to people
 * outside school. At least once: a notification is claimed with a short lease (ETag), sent, then
 * settled with its audit entry; a crash in between leaves it pending for the next pass. Transient
 * failures are retried with backoff (honouring Retry-After); one that keeps failing is marked
 * failed and the DSL is told, never dropped.
 */
export class OutboxSender {
  private readonly retry: RetryPolicy;
  private readonly random: () => number;
  private readonly instanceId: string;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private kicked = false;
  /** Set by `stop`: a pass ends after the case in hand rather than working through the backlog. */
  private stopping = false;
  /** Notifications this instance is sending right now (school|id). */
  private readonly delivering = new Set<string>();
  /** Cases whose notifications this instance is delivering together right now (school|case). */
  private readonly casesInHand = new Set<string>();
  /**
   * Notifications saved leased to this instance, to be sent by the work after the Send that saved
   * them (school|id → until when, in ms): a pass here leaves them, as another instance's would.
   */
  private readonly handedOver = new Map<string, number>();
  /**
   * Notifications this instance has settled since the current pass listed the queue (school|id).
   * Behind a burst a pass works from a listing that the work after each Send overtakes: a card it
   * meets that was settled here since is known sent (the settle removed its queue row in the same
   * transaction), so it is passed over without reading its case, reading it and deleting a row
   * already gone (seven calls for a case of three cards). Cleared as each pass lists afresh.
   */
  private readonly settledSinceListing = new Set<string>();

  constructor(private readonly deps: OutboxDeps) {
    this.retry = deps.retry ?? DEFAULT_RETRY;
    this.random = deps.random ?? Math.random;
    this.instanceId = deps.instanceId ?? randomUUID();
  }

  /** One pass over every school's pending notifications. */
  async runOnce(): Promise<Record<Outcome, number>> {
    const totals: Record<Outcome, number> = { delivered: 0, retrying: 0, failed: 0, waiting: 0, skipped: 0 };
    // What is still to send after this pass: a retry, one not due yet or held by another instance.
    const backlog: OutboxBacklog = { pending: 0, waitingForInstall: 0, oldestPendingAgeSeconds: 0 };
    // Anything settled before the listings below is not in them; what is settled after, each case checks.
    this.settledSinceListing.clear();
    for (const school of await this.deps.directory.all()) {
      // A case's notifications together (two storage calls a card, as right after a Send), oldest case first.
      const byCase = new Map<string, Array<{ id: string; since: Date }>>();
      for (const item of await this.deps.cases.pendingNotificationQueue(school.id)) {
        const key = item.caseId ?? `|${item.id}`;
        const items = byCase.get(key) ?? [];
        if (items.length === 0) byCase.set(key, items);
        items.push(item);
      }
      for (const [key, listed] of byCase) {
        // Shutting down: what is left stays pending for the next instance.
        if (this.stopping) break;
        // Settled here since the listing (the work after a Send overtook this pass): nothing to do or wait for.
        const items = listed.filter(({ id }) => !this.settledSinceListing.has(`${school.id}|${id}`));
        if (items.length === 0) continue;
        await this.deps.giveWay?.();
        if (this.stopping) break;
        const busy = this.casesInHand.has(`${school.id}|${key}`) || items.some(({ id }) => this.isHandedOver(school.id, id));
        const outcomes = key.startsWith('|') || busy ? new Map<string, Outcome>() : await this.deliverCase(school.id, key);
        for (const { id, since } of items) {
          // Being delivered here already: skipped. Not among the case's pending notifications (an
          // index row left behind): the single path tidies it.
          const outcome = busy ? 'skipped' : (outcomes.get(id) ?? (await this.deliver(school, id)));
          totals[outcome]++;
          if (outcome === 'waiting') backlog.waitingForInstall++;
          else if (outcome === 'retrying' || outcome === 'skipped') {
            backlog.pending++;
            backlog.oldestPendingAgeSeconds = Math.max(backlog.oldestPendingAgeSeconds, Math.round((this.deps.clock().getTime() - since.getTime()) / 1000));
          }
        }
      }
    }
    this.deps.metrics?.outboxPassed(backlog);
    return totals;
  }

  /**
   * Sends a case's pending notifications now (right after it is saved), without waiting for a pass.
   * The case, its notifications and the recipients' references are read once for all its cards, not
   * once a card: a concern sends three or more cards, and every read is a round trip to storage.
   */
  async deliverCase(schoolId: string, caseId: string): Promise<Map<string, Outcome>> {
    // Already in hand here (the work after a Send and a pass meeting the same case): nothing to read.
    const inHand = `${schoolId}|${caseId}`;
    if (this.casesInHand.has(inHand)) return new Map();
    this.casesInHand.add(inHand);
    try {
      return await this.deliverCaseInHand(schoolId, caseId);
    } finally {
      this.casesInHand.delete(inHand);
    }
  }

  /**
   * A case's notifications as they are to be saved, those to send now leased to this instance in
   * the save itself: the work after the Send then delivers them from what the save wrote
   * (`deliverSaved`), without reading them back or claiming them first, and until it has (or the
   * lease runs out, if this instance stops first) every pass, here or elsewhere, leaves them.
   */
  leaseAtSave(schoolId: string, notifications: readonly Notification[]): Notification[] {
    const now = this.deps.clock();
    for (const [k, until] of this.handedOver) if (until <= now.getTime()) this.handedOver.delete(k);
    return notifications.map((n) => {
      if (n.status !== 'pending') return n;
      const leased = this.leased(n, now);
      this.handedOver.set(`${schoolId}|${n.id}`, now.getTime() + this.retry.leaseMs);
      return leased;
    });
  }

  /**
   * Delivers the notifications of a case this instance has just saved (see `leaseAtSave`): the
   * recipients' chat references are read (one call), the cards sent, and the delivered ones settled
   * with their audit entries (one more), where reading the case back and claiming them took four.
   * Work that waited behind a burst until half its lease had gone, or a save whose answer named no
   * ETags, goes the usual way (read, claim, send).
   */
  async deliverSaved(schoolId: string, saved: SavedCase): Promise<Map<string, Outcome>> {
    const mine = saved.notifications.filter((n) => n.status === 'pending');
    const keys = mine.map((n) => `${schoolId}|${n.id}`);
    try {
      if (mine.length === 0) return new Map();
      const now = this.deps.clock().getTime();
      const fresh = mine.every((n) => saved.etags.has(n.id) && n.delivery?.leaseOwner === this.instanceId && Date.parse(n.delivery.leaseUntil ?? '') - now >= this.retry.leaseMs / 2);
      if (!fresh || mine.length > MAX_TOGETHER) {
        keys.forEach((k) => this.handedOver.delete(k));
        return await this.deliverCase(schoolId, saved.record.id);
      }
      const school = await this.deps.directory.school(schoolId);
      const listed = saved.notifications.map((n) => ({ ...n, etag: saved.etags.get(n.id) ?? '' }));
      const reads: CaseReads = { notifications: listed, record: saved.record, refs: new PersonalRefs(this.deps.conversationRefs), audit: { next: saved.nextAuditSeq } };
      const pending = listed.filter((n) => n.status === 'pending');
      await this.prefetchPeople(school, pending, reads);
      keys.forEach((k) => this.delivering.add(k));
      try {
        const { installed, notInstalled } = await this.byInstall(school, pending, reads);
        const outcomes = new Map<string, Outcome>();
        if (notInstalled.length > 0) {
          const waits = notInstalled.map(({ etag, ...n }) => ({ n: this.waitingForInstall(n, this.deps.clock()), etag }));
          try {
            await this.deps.cases.updateNotifications(school.id, waits);
            this.markedWaiting(school, waits.map((w) => w.n), outcomes);
          } catch (err) {
            if (statusOf(err) !== 412) throw err;
            waits.forEach((w) => outcomes.set(w.n.id, 'skipped'));
          }
        }
        return await this.sendAndSettle(school, installed.map(({ etag, ...n }) => ({ n, etag })), reads, outcomes);
      } finally {
        keys.forEach((k) => this.delivering.delete(k));
      }
    } finally {
      keys.forEach((k) => this.handedOver.delete(k));
    }
  }

  private async deliverCaseInHand(schoolId: string, caseId: string): Promise<Map<string, Outcome>> {
    const outcomes = new Map<string, Outcome>();
    const school = await this.deps.directory.school(schoolId);
    const listed = await this.deps.cases.notifications(schoolId, caseId);
    const pending = listed.filter((n) => n.status === 'pending');
    const now = this.deps.clock();
    const due = pending.filter((n) => this.isDue(school.id, n, now) && !this.delivering.has(`${school.id}|${n.id}`));
    // None of them is this pass's to send (a retry not due yet, another's lease): nothing more to read.
    if (due.length === 0) {
      for (const n of pending) outcomes.set(n.id, 'skipped');
      return outcomes;
    }
    const record = await this.deps.cases.get(schoolId, caseId);
    if (!record) return outcomes;
    const shared: CaseReads = { notifications: listed, record, refs: new PersonalRefs(this.deps.conversationRefs), audit: {} };
    await this.prefetchPeople(school, pending, shared);
    const keys = due.map((n) => `${school.id}|${n.id}`);
    keys.forEach((k) => this.delivering.add(k));
    let together: Map<string, Outcome> | undefined;
    try {
      together = due.length > 0 ? await this.deliverTogether(school, due, shared) : undefined;
    } finally {
      keys.forEach((k) => this.delivering.delete(k));
    }
    // Claimed together or not at all: if any had changed since it was listed, each goes on its own.
    for (const n of pending) outcomes.set(n.id, together?.get(n.id) ?? (together ? 'skipped' : await this.deliver(school, n.id, { ...shared, notification: n })));
    return outcomes;
  }

  /**
   * Everyone a case's cards go to or name (an approval card carries each approver's Teams id): one
   * read, not one a person. Not the whole staff list: read fourteen to a query, a school's staff
   * team of a hundred cost seven more queries for every case.
   */
  private async prefetchPeople(school: SchoolProfile, pending: readonly Notification[], reads: CaseReads): Promise<void> {
    const people = [...pending.flatMap((n) => (n.channel === 'teams' ? [n.to.aadObjectId] : [])), ...approversOf(school.staff, reads.record).map((s) => s.aadObjectId)];
    await reads.refs.prefetch(school.tenantId, people);
  }

  private isHandedOver(schoolId: string, id: string): boolean {
    const until = this.handedOver.get(`${schoolId}|${id}`);
    return until !== undefined && until > this.deps.clock().getTime();
  }

  /** Not waiting for a retry's time, nor held by another instance's lease, nor handed to the work after a Send here. */
  private isDue(schoolId: string, n: Notification, now: Date): boolean {
    if (this.isHandedOver(schoolId, n.id)) return false;
    const delivery = n.delivery ?? { attempts: 0 };
    if (delivery.nextAttemptAt && Date.parse(delivery.nextAttemptAt) > now.getTime()) return false;
    return !(delivery.leaseUntil && Date.parse(delivery.leaseUntil) > now.getTime() && delivery.leaseOwner !== this.instanceId);
  }

  /**
   * A case's due notifications in two writes rather than two or three each: one transaction claims
   * them all (and marks those whose recipient has not installed the app, known from the prefetch),
   * each is sent, and one transaction settles the delivered ones with their audit entries. The
   * guarantees are the single card's: a claim is conditional on the ETag each was listed with, and
   * a crash after a send leaves it claimed and pending, sent again once the lease runs out. Returns
   * each one's outcome; undefined, with nothing written, if any had changed since it was listed
   * (then each goes on its own).
   */
  private async deliverTogether(profile: SchoolProfile, due: ReadonlyArray<Notification & { etag: string }>, reads: CaseReads): Promise<Map<string, Outcome> | undefined> {
    const { cases } = this.deps;
    // One transaction holds at most 100 operations, and a settle takes up to four a notification.
    if (due.length > MAX_TOGETHER) return undefined;
    const now = this.deps.clock();
    const { installed, notInstalled } = await this.byInstall(profile, due, reads);
    const claims = installed.map(({ etag, ...n }) => ({ n: this.leased(n, now), etag }));
    const waits = notInstalled.map(({ etag, ...n }) => ({ n: this.waitingForInstall(n, now), etag }));
    let etags: Array<string | undefined>;
    try {
      etags = await cases.updateNotifications(profile.id, [...claims, ...waits]);
    } catch (err) {
      if (statusOf(err) === 412) return undefined;
      throw err;
    }
    const outcomes = this.markedWaiting(profile, waits.map((w) => w.n), new Map());
    if (claims.length === 0) return outcomes;
    // The answer names each claim's new ETag; where it did not, they are listed again (one read).
    let claimEtags = etags.slice(0, claims.length);
    if (claimEtags.some((e) => e === undefined)) {
      const fresh = new Map((await cases.notifications(profile.id, reads.record.id)).map((n) => [n.id, n.etag]));
      claimEtags = claims.map(({ n }) => fresh.get(n.id));
    }
    return this.sendAndSettle(profile, claims.map(({ n }, i) => ({ n, etag: claimEtags[i] })), reads, outcomes);
  }

  /** Those whose recipient has the app (a chat reference, known from the prefetch), and the rest. */
  private async byInstall<T extends Notification>(profile: SchoolProfile, due: readonly T[], reads: CaseReads): Promise<{ installed: T[]; notInstalled: T[] }> {
    const installed: T[] = [];
    const notInstalled: T[] = [];
    for (const n of due) {
      if (n.channel === 'teams' && !(await reads.refs.find(profile.tenantId, n.to.aadObjectId))) notInstalled.push(n);
      else installed.push(n);
    }
    return { installed, notInstalled };
  }

  private markedWaiting(profile: SchoolProfile, waits: readonly Notification[], outcomes: Map<string, Outcome>): Map<string, Outcome> {
    for (const n of waits) {
      outcomes.set(n.id, 'waiting');
      this.deps.logger.info({ event: 'recipientNotInstalled', school: profile.id, caseId: n.caseId, notification: n.id }, 'recipient has not installed the app; notification stays pending');
    }
    return outcomes;
  }

  /** Sends each claimed notification, then settles the delivered ones together; a send that failed has written its own outcome. */
  private async sendAndSettle(profile: SchoolProfile, claimed: ReadonlyArray<{ n: Notification; etag: string | undefined }>, reads: CaseReads, outcomes: Map<string, Outcome>): Promise<Map<string, Outcome>> {
    const { cases } = this.deps;
    const delivered: Array<{ claimed: Notification & { etag: string }; approvalCard?: ApprovalCardRow }> = [];
    for (const { n, etag } of claimed) {
      if (!etag) {
        outcomes.set(n.id, 'skipped');
        continue;
      }
      const sent = await this.send(profile, reads.record, n, etag, reads);
      if (sent.outcome) {
        outcomes.set(n.id, sent.outcome);
        // A failure wrote its own audit entry: the next sequence number is read again.
        reads.audit.next = undefined;
        continue;
      }
      delivered.push({ claimed: { ...n, etag }, ...(sent.approvalCard ? { approvalCard: sent.approvalCard } : {}) });
    }
    if (delivered.length === 0) return outcomes;

    // An email that stood for a step closes that step's action, once even if two emails stood for it.
    const open = delivered.some((d) => d.claimed.channel === 'email') ? (await cases.actions(profile.id, reads.record.id)).filter((a) => a.status === 'open') : [];
    const closed = new Set<string>();
    const items = delivered.map((d) => {
      const completes = d.claimed.channel === 'email' ? open.filter((a) => d.claimed.stepIds.includes(a.stepId) && !closed.has(a.stepId)) : [];
      completes.forEach((a) => closed.add(a.stepId));
      return { ...d, completes };
    });
    await this.settleTogether(profile.id, reads.record, items, reads.audit);
    for (const { claimed: c } of delivered) {
      outcomes.set(c.id, 'delivered');
      this.deps.logger.info({ event: 'notificationDelivered', school: profile.id, caseId: reads.record.id, notification: c.id, channel: c.channel }, 'notification delivered');
    }
    return outcomes;
  }

  /** The delivered notifications of one case settled in one transaction; if that cannot be, each on its own. */
  private async settleTogether(schoolId: string, record: CaseRecord, items: ReadonlyArray<{ claimed: Notification & { etag: string }; approvalCard?: ApprovalCardRow; completes: TrackedAction[] }>, cursor: AuditCursor): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const seq = cursor.next ?? (await this.deps.cases.nextAuditSeq(schoolId, record.id));
      const settled: Settled[] = items.map((item, i) => ({
        n: item.claimed,
        entry: this.deliveredEntry(record, item.claimed, seq + i),
        completes: item.completes,
        ...(item.approvalCard ? { approvalCard: item.approvalCard } : {}),
      }));
      try {
        await this.deps.cases.settleDelivered(schoolId, settled);
        cursor.next = seq + items.length;
        items.forEach((item) => this.settledHere(schoolId, item.claimed.id));
        return;
      } catch (err) {
        cursor.next = undefined;
        // 409: another entry took one of those sequence numbers; read the trail again.
        if (statusOf(err) === 409 && attempt < 4) continue;
        // 412: one of them was settled by another instance after our lease ran out: each on its own,
        // so the others are still recorded and that one's record stands.
        if (statusOf(err) !== 412) throw err;
        for (const item of items) {
          await this.settle(schoolId, item.claimed, 'delivered', (s) => this.deliveredEntry(record, item.claimed, s), [], item.completes, cursor, item.approvalCard);
        }
        return;
      }
    }
  }

  private deliveredEntry(record: CaseRecord, n: Notification, seq: number): AuditEntry {
    return {
      caseId: record.id,
      seq,
      at: this.deps.clock().toISOString(),
      actor: { system: true },
      action: n.channel === 'teams' ? 'notified' : 'delivered',
      detail: n.channel === 'teams' ? { notification: n.id, to: n.to.aadObjectId, via: 'teams', kind: n.kind } : { notification: n.id, to: n.to.recipient, via: 'email', attempts: (n.delivery?.attempts ?? 0) + 1 },
    };
  }

  /** Held by this instance for the lease's length: what a claim writes. */
  private leased(n: Notification, now: Date): Notification {
    return withDelivery(n, { ...(n.delivery ?? { attempts: 0 }), leaseUntil: new Date(now.getTime() + this.retry.leaseMs).toISOString(), leaseOwner: this.instanceId });
  }

  /** Someone who has not installed the app: tried again in an hour (or when they install it); the digest lists it. */
  private waitingForInstall(n: Notification, now: Date): Notification {
    return withDelivery(n, { attempts: n.delivery?.attempts ?? 0, waitingForInstall: true, nextAttemptAt: new Date(now.getTime() + this.retry.notInstalledRetryMs).toISOString() });
  }

  /**
   * Someone has just installed the app (or spoken to it for the first time): cards that were
   * waiting for them are sent now rather than at the next hourly retry.
   */
  async releaseWaitingFor(tenantId: string, aadObjectId: string): Promise<number> {
    let released = 0;
    for (const school of (await this.deps.directory.all()).filter((s) => s.tenantId === tenantId)) {
      // The index names each card's recipient: only theirs are read (a row from before it did is read to see).
      const theirs = (await this.deps.cases.pendingNotificationQueue(school.id)).filter((row) => row.teamsTo === undefined || row.teamsTo === aadObjectId);
      for (const { id } of theirs) {
        const found = await this.deps.cases.getNotification(school.id, id);
        if (!found || found.channel !== 'teams' || found.to.aadObjectId !== aadObjectId || !found.delivery?.waitingForInstall) continue;
        const { etag, ...n } = found;
        try {
          await this.deps.cases.updateNotification(school.id, withDelivery(n, { attempts: n.delivery?.attempts ?? 0 }), etag);
        } catch (err) {
          if (statusOf(err) === 412) continue;
          throw err;
        }
        if ((await this.deliver(school, id)) === 'delivered') released++;
      }
    }
    return released;
  }

  /**
   * The lease keeps other instances off a notification, but not this one (it may take its own
   * lease again, to retry): a turn's `deliverCase` and a pass (or two turns) meeting the same
   * pending notification in one process would both send it. One delivery per notification at a
   * time here.
   */
  async deliver(profile: SchoolProfile, id: string, reads?: CardReads): Promise<Outcome> {
    const key = `${profile.id}|${id}`;
    if (this.delivering.has(key)) return 'skipped';
    this.delivering.add(key);
    try {
      return await this.deliverOne(profile, id, reads);
    } finally {
      this.delivering.delete(key);
    }
  }

  /**
   * `reads`: what `deliverCase` has already read for this case. A notification listed a moment ago
   * is claimed with the ETag it was listed with, so if anyone has touched it since, the claim fails
   * (412) and it is left to them, exactly as if it had been read just now.
   */
  private async deliverOne(profile: SchoolProfile, id: string, reads?: CardReads): Promise<Outcome> {
    const { cases, logger } = this.deps;
    const now = this.deps.clock();
    const found = reads ? reads.notification : await cases.getNotification(profile.id, id);
    if (!found || found.status !== 'pending') {
      await cases.removePendingIndex(profile.id, id);
      return 'skipped';
    }
    const { etag, ...n } = found;
    if (!this.isDue(profile.id, n, now)) return 'skipped';

    // Claim it: if another instance claimed it first, the ETag no longer matches and we leave it.
    let claimEtag: string;
    const claimed = this.leased(n, now);
    try {
      claimEtag = await cases.updateNotification(profile.id, claimed, etag);
    } catch (err) {
      if (statusOf(err) === 412) return 'skipped';
      throw err;
    }
    const record = reads ? reads.record : await cases.get(profile.id, n.caseId);
    if (!record) return 'skipped';

    const sent = await this.send(profile, record, claimed, claimEtag, reads);
    if (sent.outcome) return sent.outcome;

    // An email that stood for a step closes that step's action.
    const completes = claimed.channel === 'email' ? (await this.deps.cases.actions(profile.id, record.id)).filter((a) => a.status === 'open' && claimed.stepIds.includes(a.stepId)) : [];
    await this.settle(profile.id, { ...claimed, etag: claimEtag }, 'delivered', (seq) => this.deliveredEntry(record, claimed, seq), [], completes, reads?.audit, sent.approvalCard);
    logger.info({ event: 'notificationDelivered', school: profile.id, caseId: record.id, notification: claimed.id, channel: claimed.channel }, 'notification delivered');
    return 'delivered';
  }

  /**
   * Sends one claimed notification. On failure its retry or failure is recorded here and the outcome
   * returned; on success nothing is written yet (the caller settles it, alone or with its case's others).
   */
  private async send(profile: SchoolProfile, record: CaseRecord, claimed: Notification, claimEtag: string, reads?: CaseReads): Promise<{ outcome?: Outcome; approvalCard?: ApprovalCardRow }> {
    const facts = { 'swbot.school': profile.id, 'swbot.channel': claimed.channel, 'swbot.kind': claimed.channel === 'teams' ? claimed.kind : 'email' } as const;
    return outsideSpans(() =>
      inSpan(`send ${claimed.channel}`, 'client', facts, async (span): Promise<{ outcome?: Outcome; approvalCard?: ApprovalCardRow }> => {
        let approvalCard: ApprovalCardRow | undefined;
        try {
          if (claimed.channel === 'teams') approvalCard = await this.sendCard(profile, record, claimed, reads);
          else {
            const { pupil } = await this.deps.cards.subject(record);
            await this.deps.mailer.send(composeEmail(claimed, record, pupil, profile, record.approval.decision), claimed.id);
          }
        } catch (err) {
          const outcome = await this.failed(profile, record, { ...claimed, etag: claimEtag }, err);
          span.set({ 'swbot.outcome': outcome, ...(statusOf(err) ? { 'http.response.status_code': statusOf(err) } : {}) });
          if (outcome === 'failed') this.deps.metrics?.notificationFailed(claimed.channel, facts['swbot.kind']);
          return { outcome };
        }
        span.set({ 'swbot.outcome': 'delivered' });
        return approvalCard ? { approvalCard } : {};
      }),
    );
  }

  /** Sends a staff card; for an approval card, says where it was posted (saved when it is settled). */
  private async sendCard(profile: SchoolProfile, record: CaseRecord, n: StaffNotification, reads?: CaseReads): Promise<ApprovalCardRow | undefined> {
    const refs = reads?.refs ?? new PersonalRefs(this.deps.conversationRefs);
    const ref = await refs.find(profile.tenantId, n.to.aadObjectId);
    if (!ref) throw new NotInstalledError();
    const all = reads?.notifications ?? (await this.deps.cases.notifications(profile.id, record.id));
    const card = await this.deps.cards.build(record, n, profile, all, refs);
    let activityId: string | undefined;
    try {
      activityId = await this.deps.sender.send(ref, cardReply(card));
    } catch (err) {
      // Too big for this connector (Teams' MessageSizeTooBig): the same card, shortened, with the
      // full text in the dashboard tab. Anything else, or a second refusal, is a failed send.
      if (statusOf(err) !== 413) throw err;
      this.deps.logger.warn({ event: 'cardTooBig', school: profile.id, caseId: record.id, notification: n.id }, 'a card was too big for the connector: sending it shortened');
      activityId = await this.deps.sender.send(ref, cardReply(await this.deps.cards.build(record, n, profile, all, refs, { compact: true })));
    }
    return n.kind === 'approval' && activityId ? { caseId: record.id, aadObjectId: n.to.aadObjectId, conversationRef: JSON.stringify(ref), activityId } : undefined;
  }

  private async failed(profile: SchoolProfile, record: CaseRecord, n: Notification & { etag: string }, err: unknown): Promise<Outcome> {
    const { cases, logger } = this.deps;
    const now = this.deps.clock();
    const { etag, ...plain } = n;
    const attempts = (plain.delivery?.attempts ?? 0) + 1;

    if (err instanceof NotInstalledError) {
      // Not a failure of the message: the person has not installed the app. Try later; the digest lists it.
      await cases.updateNotification(profile.id, this.waitingForInstall(plain, now), etag).catch(() => undefined);
      logger.info({ event: 'recipientNotInstalled', school: profile.id, caseId: record.id, notification: plain.id }, 'recipient has not installed the app; notification stays pending');
      return 'waiting';
    }

    const transient = err instanceof MailError ? err.transient : isTransient(err);
    const status = err instanceof MailError ? err.status : statusOf(err);
    const problem = err instanceof MailError ? err.message : errorSummary(err).message;
    if (!transient || attempts >= this.retry.maxAttempts) {
      const failed = withDelivery(plain, { attempts, lastError: problem });
      const alerts = this.alertsFor(profile, record, failed);
      await this.settle(profile.id, { ...failed, etag }, 'failed', (seq) => ({
        caseId: record.id,
        seq,
        at: now.toISOString(),
        actor: { system: true },
        action: 'deliveryFailed',
        detail: { notification: plain.id, attempts, ...(status ? { status } : {}), surfacedTo: alerts.length },
      }), alerts);
      logger.warn({ event: 'notificationFailed', school: profile.id, caseId: record.id, notification: plain.id, attempts, status }, 'notification failed for good; the DSL is told');
      return 'failed';
    }

    const retryAfter = err instanceof MailError ? err.retryAfterMs : undefined;
    const delay = retryAfter ?? backoffMs(attempts, this.retry, this.random);
    const next = withDelivery(plain, { attempts, lastError: problem, nextAttemptAt: new Date(now.getTime() + delay).toISOString() });
    await this.withAudit(profile.id, record.id, (seq) => ({
      caseId: record.id,
      seq,
      at: now.toISOString(),
      actor: { system: true },
      action: 'deliveryRetry',
      detail: { notification: plain.id, attempt: attempts, ...(status ? { status } : {}), retryInMs: delay, retryAfterHonoured: retryAfter !== undefined },
    }));
    await cases.updateNotification(profile.id, next, etag);
    logger.warn({ event: 'notificationRetry', school: profile.id, caseId: record.id, notification: plain.id, attempts, status, delayMs: delay }, 'notification will be retried');
    return 'retrying';
  }

  /** An alert card to each DSL, itself a pending notification so it is delivered the same reliable way. */
  private alertsFor(profile: SchoolProfile, record: CaseRecord, failed: Notification): StaffNotification[] {
    if (failed.channel === 'teams' && failed.kind === 'alert') return [];
    return profile.staff
      .filter((s) => s.roles.includes('DSL'))
      .map((s, i) => ({
        id: `${record.id}.a${Date.now().toString(36)}${i}`,
        caseId: record.id,
        channel: 'teams' as const,
        to: { aadObjectId: s.aadObjectId, name: s.name, roles: s.roles },
        view: 'lead' as const,
        kind: 'alert' as const,
        stepIds: failed.stepIds,
        status: 'pending' as const,
        about: failed.id,
      }));
  }

  private async settle(
    schoolId: string,
    n: Notification & { etag: string },
    status: 'delivered' | 'failed',
    entry: (seq: number) => AuditEntry,
    alsoCreate: Notification[] = [],
    completes: TrackedAction[] = [],
    cursor: AuditCursor = {},
    approvalCard?: ApprovalCardRow,
  ): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const seq = cursor.next ?? (await this.deps.cases.nextAuditSeq(schoolId, n.caseId));
      try {
        await this.deps.cases.settleNotification(schoolId, n, status, entry(seq), alsoCreate, completes, approvalCard);
        cursor.next = seq + 1;
        this.settledHere(schoolId, n.id);
        return;
      } catch (err) {
        cursor.next = undefined;
        // 412: another instance settled it after our lease ran out; its record stands.
        if (statusOf(err) === 412) return;
        // 409: someone else took that sequence number; read the trail again for the next free one.
        if (statusOf(err) !== 409 || attempt >= 4) throw err;
      }
    }
  }

  /** Remembered until the next pass lists the queue; bounded in case no pass runs (then it only saves calls). */
  private settledHere(schoolId: string, id: string): void {
    if (this.settledSinceListing.size >= SETTLED_REMEMBERED) this.settledSinceListing.clear();
    this.settledSinceListing.add(`${schoolId}|${id}`);
  }

  private async withAudit(schoolId: string, caseId: string, entry: (seq: number) => AuditEntry): Promise<void> {
    await this.deps.cases.appendAudit(schoolId, (seq) => ({ ...entry(seq), caseId }));
  }

  /** Runs a pass every `intervalMs`, and soon after `kick()`. */
  start(intervalMs: number): void {
    const tick = () => {
      if (this.running) {
        this.kicked = true;
        return;
      }
      // A pass kicked by a request is not part of it: its lines name the job, not the request.
      this.running = runWithLogFields({ job: 'outbox' }, () => this.runOnce())
        .catch((err) => this.deps.logger.error({ event: 'outboxPassFailed', err: errorSummary(err) }, 'outbox pass failed'))
        .finally(() => {
          this.running = undefined;
          if (this.kicked) {
            this.kicked = false;
            setImmediate(tick);
          }
        });
    };
    this.timer = setInterval(tick, intervalMs);
    this.timer.unref();
    this.kick = () => setImmediate(tick);
  }

  kick: () => void = () => undefined;

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    this.kick = () => undefined;
    await this.running;
  }
}

function isTransient(err: unknown): boolean {
  const status = statusOf(err);
  return status === undefined || status === 429 || status === 412 || status >= 500;
}
