import { z } from 'zod';
import { SchoolCalendar } from './calendar';
import { CaseRecord } from './caseRecord';
import { IsoDate, isoDateSchema } from './dates';
import { roleSchema } from './roles';
import { EXTERNAL_RECIPIENTS, RECIPIENT_LABEL, Recipient } from './routing/step';

/**
 * Every step of a plan with a deadline becomes an action someone owns, tracked until it is done.
 * Steps that are only "the DSL (or DT) is told" are done when their card is delivered, so they are
 * not tracked; steps that are emails outside school close themselves when the email is delivered
 * (or when the DSL decides not to send it).
 */
export const trackedActionSchema = z.object({
  caseId: z.string(),
  ref: z.string(),
  /** The child on the register it concerns, so a child's open deadlines come from the open index alone. */
  pupilId: z.string().optional(),
  stepId: z.string(),
  owner: roleSchema,
  who: z.enum(Object.keys(RECIPIENT_LABEL) as [Recipient, ...Recipient[]]),
  deadline: isoDateSchema,
  /** A duty in law or statutory guidance rather than good practice from a school policy. */
  statutory: z.boolean(),
  /** What it is, in words safe for any member of staff (the step's staff wording). */
  label: z.string(),
  status: z.enum(['open', 'done', 'notNeeded']),
  /** 0 none, 1 reminded the day before, 2 reminded on the day (the card announcing a case counts: announcedStage), 3 overdue and the DSL told. */
  stage: z.number().int().min(0).max(3),
  /** Closed by the system when the email it stands for was delivered. */
  closedBy: z.enum(['person', 'email', 'decision']).optional(),
  doneByName: z.string().optional(),
  doneAt: z.string().optional(),
  /** How a person closed it (the dashboard asks): done, done with more needed, or not needed after all. */
  outcome: z.enum(['done', 'followUp', 'notNeeded']).optional(),
  /** The closer's note: free text, for the lead roles' chronology only (never on a card to other staff). */
  doneNote: z.string().optional(),
  /** Given to one member of staff by name (the dashboard's "Give to"): from then on it is theirs, not their role's. */
  assigneeId: z.string().optional(),
  assigneeName: z.string().optional(),
});
export type TrackedAction = z.infer<typeof trackedActionSchema>;

/** An action's `stage` once its owner was told it is due tomorrow, due today, or (the DSL) that it is overdue. */
export const REMINDER_STAGE = { dueTomorrow: 1, dueToday: 2, overdue: 3 } as const;

/**
 * The reminder stage an action starts at. The cards about a new case (to the holders of each step's
 * roles, and the receipt to whoever raised it) list each step with its deadline, so on a school day
 * that card is the reminder of that day: a step due today starts as reminded on the day, one due the
 * next school day as reminded the day before. Without this, the deadline job's next pass, a minute
 * later, sent the same people the same steps again. Raised on a day the school is closed, a step
 * gets its day-before reminder as usual. Being overdue still tells the DSL.
 */
export function announcedStage(deadline: IsoDate, today: IsoDate, calendar: SchoolCalendar): number {
  if (!calendar.isSchoolDay(today)) return 0;
  if (deadline <= today) return REMINDER_STAGE.dueToday;
  return deadline <= calendar.addSchoolDays(today, 1) ? REMINDER_STAGE.dueTomorrow : 0;
}

export function trackedActions(record: CaseRecord, calendar: SchoolCalendar): TrackedAction[] {
  return record.plan.steps
    .filter((s) => !s.id.startsWith('lead.'))
    .map((s) => ({
      caseId: record.id,
      ref: record.ref,
      ...(record.subject.kind === 'onRegister' ? { pupilId: record.subject.pupilId } : {}),
      stepId: s.id,
      owner: s.owner,
      who: s.who,
      deadline: s.deadline,
      statutory: s.source.kind === 'statute' || s.flag === 'statutoryLimit' || s.duty === true,
      label: s.staffWhat,
      status: 'open' as const,
      stage: announcedStage(s.deadline, record.plan.today, calendar),
    }));
}

export function isExternal(action: Pick<TrackedAction, 'who'>): boolean {
  return EXTERNAL_RECIPIENTS.has(action.who);
}
