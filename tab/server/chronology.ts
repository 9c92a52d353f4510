import { caseSummaryRows } from '../../cards/caseSummary';
import { AuditEntry, CaseRecord, Notification } from '../../policy/caseRecord';
import { TrackedAction } from '../../policy/actions';
import { ActionOutcome, OUTCOME_LABEL } from '../../policy/actionOwnership';
import { RecordAuditEntry } from '../../storage/recordAuditRepository';

export const CASE_TYPE_TITLE: Record<CaseRecord['caseType'], string> = {
  attendance: 'Attendance concern',
  suspension: 'Worry about a suspension',
  admission: 'Child joining us',
};

export interface ChronologyEvent {
  at: string;
  /** Who did it: a member of staff, or "The bot" for what the system did by itself. */
  by: string;
  text: string;
  /** The concern's reference, when the event belongs to one. */
  ref?: string;
  kind: ChronologyKind;
  /** What the member of staff wrote when closing an action (lead roles only see a chronology). */
  note?: string;
}

export const CHRONOLOGY_KINDS = ['case', 'decision', 'notification', 'action', 'problem', 'pep', 'access'] as const;
export type ChronologyKind = (typeof CHRONOLOGY_KINDS)[number];

/** Each kind of event as the filter and the PDF name it. */
export const KIND_LABEL: Record<ChronologyKind, string> = {
  case: 'Concerns',
  decision: 'Decisions',
  notification: 'Who was told',
  action: 'Actions',
  problem: 'Problems',
  pep: 'PEP meetings',
  access: 'Openings of the record',
};

/** What each opening of a record did, in the chronology and the list of who opened it. */
export const ACCESS_TEXT: Record<string, string> = {
  viewedChronology: 'Opened this record',
  exportedChronology: 'Exported the chronology as a PDF',
  refused: 'Tried to open this record and was refused',
};

export interface ChronologyCase {
  ref: string;
  title: string;
  raisedAt: string;
  raisedBy: string;
  status: CaseRecord['status'];
  /** The teacher's answers as label/value rows: free text, shown to the lead roles only. */
  summary: Array<{ label: string; value: string }>;
  decision?: { outcome: string; by: string; at: string; reason?: string };
}

export interface CaseHistory {
  record: CaseRecord;
  audit: readonly AuditEntry[];
  notifications: readonly Notification[];
  actions: readonly TrackedAction[];
}

/**
 * One child's chronology: every case, decision, notification and action, and every opening of the
 * record, newest first (what a DSL reads first is what happened last). A pure function of what
 * storage holds, so it can be tested on its own.
 */
export function buildChronology(histories: readonly CaseHistory[], accessLog: readonly RecordAuditEntry[], pepDates: readonly string[]): { cases: ChronologyCase[]; events: ChronologyEvent[] } {
  const events: ChronologyEvent[] = [];
  const cases: ChronologyCase[] = [];
  for (const h of histories) {
    const { record } = h;
    const title = CASE_TYPE_TITLE[record.caseType];
    const decision = record.approval.decision;
    cases.push({
      ref: record.ref,
      title,
      raisedAt: record.raisedAt,
      raisedBy: record.raisedBy.name,
      status: record.status,
      summary: caseSummaryRows(record.answers).map(([label, value]) => ({ label, value })),
      ...(decision ? { decision: { outcome: decision.outcome, by: decision.by.name, at: decision.at, ...(decision.reason ? { reason: decision.reason } : {}) } } : {}),
    });
    const recipients = new Map(h.notifications.map((n) => [n.id, n.to.name]));
    const actions = new Map(h.actions.map((a) => [a.stepId, a]));
    for (const entry of h.audit) {
      const described = describe(entry, record, recipients, actions);
      if (!described) continue;
      events.push({ at: entry.at, by: 'system' in entry.actor ? 'The bot' : entry.actor.name, ref: record.ref, ...described });
    }
  }
  for (const a of accessLog) {
    events.push({ at: a.at, by: a.actor.name, kind: 'access', text: ACCESS_TEXT[a.action] ?? 'Opened this record' });
  }
  for (const date of pepDates) events.push({ at: `${date}T00:00:00.000Z`, by: 'Designated Teacher', kind: 'pep', text: 'PEP meeting held' });
  // Newest first; of two at the same instant, the one written later (a case is raised, then routed).
  const order = events.map((e, i) => ({ e, i }));
  order.sort((a, b) => (a.e.at < b.e.at ? 1 : a.e.at > b.e.at ? -1 : b.i - a.i));
  return { cases, events: order.map(({ e }) => e) };
}

function describe(entry: AuditEntry, record: CaseRecord, recipients: Map<string, string>, actions: Map<string, TrackedAction>): Pick<ChronologyEvent, 'text' | 'kind' | 'note'> | undefined {
  const to = () => recipients.get(String(entry.detail.notification ?? '')) ?? 'someone';
  const action = () => actions.get(String(entry.detail.step ?? entry.detail.stepId ?? ''));
  const step = () => action()?.label ?? 'an action';
  const reason = record.approval.decision?.reason;
  switch (entry.action) {
    case 'raised':
      return { kind: 'case', text: `${CASE_TYPE_TITLE[record.caseType]} raised` };
    case 'routed':
      return { kind: 'case', text: 'Who must be told, and by when, worked out from the school’s policy' };
    case 'approved':
      return { kind: 'decision', text: 'Steps outside school approved' };
    case 'amended':
      return { kind: 'decision', text: `Steps outside school amended${reason ? `: ${reason}` : ''}` };
    case 'declined':
      return { kind: 'decision', text: `Steps outside school declined${reason ? `: ${reason}` : ''}` };
    case 'notified':
      return { kind: 'notification', text: `Told in Teams: ${to()}` };
    case 'delivered':
      return { kind: 'notification', text: `Email delivered: ${to()}` };
    case 'notificationPending':
      return { kind: 'notification', text: `Waiting to tell ${to()}` };
    case 'deliveryRetry':
      return { kind: 'problem', text: `Could not reach ${to()} yet; trying again` };
    case 'deliveryFailed':
      return { kind: 'problem', text: `Could not deliver to ${to()}; the DSL was alerted` };
    case 'reminded':
      return { kind: 'decision', text: 'The DSL was reminded that a decision is waiting' };
    case 'escalated':
      return { kind: 'decision', text: 'Escalated to the deputy DSL and headteacher: no decision in time' };
    case 'actionDone': {
      const outcome = closedAs(entry.detail.outcome);
      const note = entry.detail.withNote === true ? action()?.doneNote : undefined;
      return { kind: 'action', text: `${outcome ? OUTCOME_LABEL[outcome] : 'Done'}: ${step()}`, ...(note ? { note } : {}) };
    }
    case 'actionReassigned':
      return { kind: 'action', text: `Given to ${String(entry.detail.toName ?? 'someone else')}: ${step()}` };
    case 'deadlineReminder':
      return { kind: 'action', text: `Reminder sent: ${step()}` };
    case 'overdue':
      return { kind: 'problem', text: `Overdue, the DSL was told: ${step()}` };
    case 'viewed':
      return { kind: 'access', text: 'Opened this concern' };
    case 'matchedToRegister':
      return { kind: 'case', text: 'Matched to the register (the child had joined as a new starter)' };
    default:
      return undefined;
  }
}

function closedAs(value: unknown): ActionOutcome | undefined {
  return value === 'done' || value === 'followUp' || value === 'notNeeded' ? value : undefined;
}
