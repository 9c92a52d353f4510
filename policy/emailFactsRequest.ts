import { SchoolCalendar } from './calendar';
import { CaseRecord } from './caseRecord';
import { AttendanceAnswers, SuspensionDecision } from './cases';
import { compareDates, formatDate, IsoDate } from './dates';
import { suspensionDates, suspensionLength } from './emailFacts';
import { Citation } from './profiles/citations';
import { Recipient, RoutingStep, Timing } from './routing/step';

/**
 * What an email asks of its recipient, by when, and why: one entry per kind of step that leaves the
 * school. The date comes from the plan; the reason names who asks for it (the school's own policy,
 * the law or statutory guidance, from the step's source) in words that hold for every school's
 * policy that step can cite, so no school is quoted as saying what its document does not.
 */

export type Reply =
  /** `late`: the plan's date had passed by the time the email could go; the day it goes is used instead. */
  | { kind: 'by'; date: IsoDate; reason: string; late: boolean }
  | { kind: 'notNeeded'; reason: string };

export interface Ask {
  /** A few words for the subject line: never the child's name or status. */
  topic: string;
  request: string;
  reply: Reply;
}

export interface AskContext {
  step: RoutingStep | undefined;
  record: Pick<CaseRecord, 'answers' | 'plan' | 'raisedOn'>;
  recipient: Recipient;
  /** The child's given name, or undefined for a child not on the register. */
  givenName: string | undefined;
  calendar: SchoolCalendar;
  /** The first school day the email can go: the day the DSL decided, or the day the concern was raised. */
  sendDay: IsoDate;
  /** Whether the DSL's note (which can carry the reasons for a decision) is in the email. */
  hasNote: boolean;
}

/** Who asks for a step, from its source: "our policy", "the law" or "statutory guidance". */
export function asker(source: Citation | undefined): string {
  if (!source) return 'our policy';
  if (source.kind === 'policy') return 'our policy';
  if (/statutory guidance|Code/i.test(source.document)) return 'statutory guidance';
  if (/Regulations|Act \d{4}/.test(source.document)) return 'the law';
  return 'national guidance';
}

const NOUN: Partial<Record<Recipient, string>> = {
  virtualSchool: 'the Virtual School',
  socialWorker: "the child's social worker",
  localAuthority: 'the local authority',
};

/** How the plan times a step, as words that follow "asks us to contact them". */
function timingWords(t: Timing): string {
  switch (t.kind) {
    case 'immediately':
      return 'at once';
    case 'sameDay':
      return 'the same day';
    case 'beforeDecision':
      return t.label ?? 'before any decision is made';
    case 'withoutDelay':
      return 'without delay';
    case 'promptly':
      return 'promptly (by the end of the next school day)';
    case 'schoolDays':
      return `within ${t.days} school day${t.days === 1 ? '' : 's'}`;
    case 'byDate':
      return `by ${t.label}`;
  }
}

interface Names {
  /** "Kai" or "the child". */
  child: string;
  /** "Kai" or "The child", to start a sentence. */
  Child: string;
  /** "Kai's" or "the child's". */
  childs: string;
  /** "Kai's" or "The child's", to start a sentence. */
  Childs: string;
}

function names(givenName: string | undefined): Names {
  return givenName
    ? { child: givenName, Child: givenName, childs: `${givenName}'s`, Childs: `${givenName}'s` }
    : { child: 'the child', Child: 'The child', childs: "the child's", Childs: "The child's" };
}

function decisionWords(d: SuspensionDecision, n: Names, calendar: SchoolCalendar): string {
  if (d.kind === 'permanentExclusion') return `to exclude ${n.child} permanently, from ${formatDate(d.startDate)}`;
  const { last } = suspensionDates(calendar, d.startDate, d.days);
  const length = suspensionLength(d.days);
  return last === d.startDate ? `to suspend ${n.child} for ${length}, on ${formatDate(d.startDate)}` : `to suspend ${n.child} for ${length}, from ${formatDate(d.startDate)} to ${formatDate(last)}`;
}

function attendanceWords(a: AttendanceAnswers): string {
  const absence = a.unexplainedToday || a.pattern || a.sessionsMissed !== undefined || a.attendancePercent !== undefined || a.consecutiveUnauthorisedDays !== undefined;
  if (a.punctuality && !absence) return 'punctuality';
  return a.punctuality ? 'attendance and punctuality' : 'attendance';
}

/** Reply by the plan's date, or by the day the email goes if that date has passed. */
function by(ctx: AskContext, date: IsoDate | undefined, reason: string): Reply {
  const earliest = ctx.calendar.onOrAfter(ctx.sendDay);
  const due = date ?? earliest;
  return compareDates(due, earliest) < 0 ? { kind: 'by', date: earliest, reason, late: true } : { kind: 'by', date: due, reason, late: false };
}

const stepIn = (ctx: AskContext, id: string) => ctx.record.plan.steps.find((s) => s.id === id);

/** What this email asks, and by when: from the step it stands for and the case it is about. */
export function askFor(ctx: AskContext): Ask {
  const { step, record, recipient } = ctx;
  const n = names(ctx.givenName);
  const a = record.answers;
  const noun = NOUN[recipient] ?? 'you';
  const who = asker(step?.source);
  const decision = a.caseType === 'suspension' && a.stage === 'decided' ? a.decision : undefined;

  if (step?.flag === 'missedBeforeDecision' && decision) {
    const start = formatDate(decision.startDate);
    return {
      topic: decision.kind === 'permanentExclusion' ? 'permanent exclusion decided' : 'suspension decided',
      request: `The headteacher has decided ${decisionWords(decision, n, ctx.calendar)}. We should have discussed this with you before the decision was made, and did not. We would like to discuss it with you now, with the support that could help ${n.child}, before it starts.`,
      reply: by(ctx, step.deadline, `${who} asks us to discuss a suspension or exclusion with ${noun} before it is decided; as that did not happen, we would like to do so before it starts on ${start}`),
    };
  }

  switch (step?.id) {
    case 'attendance.unexplained.socialWorkerToday':
    case 'attendance.unexplained.virtualSchoolToday': {
      const day = formatDate(record.raisedOn);
      const today = ctx.sendDay === record.raisedOn;
      return {
        topic: 'unexplained absence',
        request: `${n.Child} ${today ? `is absent from school today, ${day}, and nobody has told us why` : `was absent from school on ${day}, and nobody told us why`}. We are trying to reach the family. Please tell us ${today ? 'today ' : ''}anything you know about where ${n.child} is, and any worry you have about ${n.childs} safety.`,
        // Cited from the statutory base on every school's plan, whatever the school's own policy adds.
        reply: by(ctx, step.deadline, `statutory guidance asks schools to tell ${recipient === 'virtualSchool' ? 'the Virtual School of a looked-after child' : "a child's social worker"} the same day about an absence nobody has explained`),
      };
    }
    case 'attendance.socialWorker':
    case 'attendance.cla.virtualSchool': {
      const what = a.caseType === 'attendance' ? attendanceWords(a) : 'attendance';
      return {
        topic: 'attendance concern',
        request: `We are concerned about ${n.childs} ${what}. We would like to agree with you how to support ${n.child}, and to hear anything you know that may be behind it.`,
        reply: by(ctx, step.deadline, `${who} asks us to contact ${noun} when attendance or punctuality is a concern, and we do so ${timingWords(step.timing)}`),
      };
    }
    case 'attendance.tenDaysLocalAuthority': {
      const days = a.caseType === 'attendance' ? a.consecutiveUnauthorisedDays : undefined;
      return {
        topic: 'continuous unauthorised absence',
        request: `We are telling you that ${n.child} has been absent without authorisation for ${days ?? 'several'} school days in a row, up to ${formatDate(record.raisedOn)}.`,
        reply: { kind: 'notNeeded', reason: `No reply is needed: ${who} asks schools to tell the local authority about a pupil absent without authorisation for a continuous period, and this is that notification.` },
      };
    }
    case 'suspension.cla.virtualSchoolBeforeDecision':
    case 'suspension.cwsw.virtualSchoolBeforeActing': {
      const adviser = step.id === 'suspension.cwsw.virtualSchoolBeforeActing' ? "the Virtual School's education adviser" : 'the Virtual School';
      return {
        topic: 'risk of suspension',
        request: `${n.Child} is at risk of suspension. No decision has been made. Before any decision, we would like to discuss with you the reasons and the support that could avoid it.`,
        reply: by(ctx, step.deadline, `${who} asks us to discuss a possible suspension with ${adviser} before any decision is made, so we would like to speak as soon as we can`),
      };
    }
    case 'suspension.cpla.virtualSchoolAdvice':
      return {
        topic: 'advice on avoiding exclusion',
        request: `We would welcome your advice on avoiding the exclusion of ${n.child}, who was previously in care. No decision has been made. ${step.requiresConsentOf ? `${n.Childs} parents or carers have agreed to us asking you.` : `We have spoken to ${n.childs} parents or guardians first.`}`,
        reply: by(ctx, step.deadline, `${who} asks us to seek the Virtual School's advice before any decision is made, so we would like to speak as soon as we can`),
      };
    case 'suspension.socialWorkerEarly':
      return {
        topic: 'risk of suspension',
        request: `${n.Child} is at risk of suspension. No decision has been made. We would like to involve you early and plan support together before any decision.`,
        reply: by(ctx, step.deadline, `${who} asks schools to involve a pupil's social worker as early as possible when the pupil is at risk of suspension, before any decision is made`),
      };
    case 'suspension.decided.localAuthority':
    case 'suspension.decided.socialWorker':
    case 'suspension.decided.virtualSchool': {
      const permanent = decision?.kind === 'permanentExclusion';
      const told = decision ? `the headteacher has decided ${decisionWords(decision, n, ctx.calendar)}` : 'the headteacher has decided on a suspension';
      const reasons = ctx.hasNote ? 'The reasons for the decision are in the note below.' : 'For the reasons for the decision, please contact us (details below).';
      const request = `We are telling you, as the law requires, that ${told}. ${reasons}`;
      const topic = permanent ? 'permanent exclusion decided' : 'suspension decided';
      if (recipient === 'localAuthority') {
        return { topic, request, reply: { kind: 'notNeeded', reason: `No reply is needed: ${who} asks schools to tell the local authority of every suspension and permanent exclusion without delay, and this is that notification.` } };
      }
      const reintegration = stepIn(ctx, 'suspension.decided.reintegration');
      if (!permanent && reintegration) {
        return { topic, request, reply: by(ctx, reintegration.deadline, `we plan ${n.childs} return to school, with a reintegration meeting, by the last day of the suspension, and would like you to be part of it`) };
      }
      const governors = stepIn(ctx, 'suspension.decided.governorsReinstatement');
      if (permanent && governors) {
        return { topic, request, reply: by(ctx, governors.deadline, `the governing board must consider reinstating ${n.child} within 15 school days, and we would like your views before it meets`) };
      }
      return { topic, request, reply: { kind: 'notNeeded', reason: `No reply is needed: ${who} asks schools to tell you without delay, and this is that notification.` } };
    }
    case 'admission.cla.virtualSchool': {
      const start = a.caseType === 'admission' ? formatDate(a.startDate) : undefined;
      const pep = stepIn(ctx, 'admission.cla.pepTenDays');
      return {
        topic: 'new starter',
        request: `${n.Child} starts at our school${start ? ` on ${start}` : ''}. We will hold a new personal education plan (PEP) meeting within 10 school days of the start${pep ? ` (by ${formatDate(pep.deadline)})` : ''}. Please tell us who will come from the Virtual School, and the Pupil Premium Plus arrangements.`,
        reply: by(ctx, step.deadline, `${who} asks for a looked-after child's personal education plan to be reviewed within 10 school days of a change of school, so we would like the arrangements agreed before ${n.child} starts`),
      };
    }
    case 'admission.socialWorker': {
      const start = a.caseType === 'admission' ? formatDate(a.startDate) : undefined;
      return {
        topic: 'new starter',
        request: `${n.Child} joins our school${start ? ` on ${start}` : ''}. Please tell us anything we should know before ${n.child} starts, and the best way to reach you.`,
        reply: by(ctx, step.deadline, `${who} asks the school to tell a child's social worker when the child joins, and we would like to hear from you before ${n.child} starts`),
      };
    }
    default:
      return {
        topic: a.caseType === 'attendance' ? 'attendance concern' : a.caseType === 'suspension' ? 'risk of suspension' : 'new starter',
        request: `We would like to talk to you about ${n.child}.`,
        reply: by(ctx, step?.deadline, step ? `${who} asks us to contact ${noun} ${timingWords(step.timing)}` : 'we would like to speak soon'),
      };
  }
}

/** The sentence that closes the request: reply by when, and why; or that no reply is needed. */
export function replyLine(reply: Reply): string {
  if (reply.kind === 'notNeeded') return reply.reason;
  const date = formatDate(reply.date);
  return reply.late ? `Please reply as soon as you can, by ${date} at the latest: ${reply.reason}.` : `Please reply by ${date}: ${reply.reason}.`;
}

/** Where a step's rule comes from, as the recipient can check it: the school's words quoted, the law's summarised. */
export function sourceLines(step: RoutingStep | undefined): string[] {
  if (!step) return [];
  return [step.source, ...(step.alsoSources ?? [])].map((c) =>
    c.kind === 'policy' ? `  Our policy (${c.document}, "${c.section}"): "${c.quote}"` : `  ${c.document}, ${c.paragraph}: ${c.summary}`,
  );
}
