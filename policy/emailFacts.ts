import { SchoolCalendar } from './calendar';
import { ABSENCE_REASON_LABEL, ALTERNATIVE_LABEL, AttendanceAnswers, CaseAnswers, SuspensionAnswers } from './cases';
import { CaseRecord, CaseSubject } from './caseRecord';
import { formatDate, IsoDate } from './dates';
import { Pupil, YearGroup } from './pupil';
import { Recipient } from './routing/step';

/**
 * The facts an email carries about a case, as label and value. Only structured answers the DSL saw
 * on the approval card: never what a member of staff typed (the account of what happened, what has
 * been done so far, SEND notes), which may name other children or say more than the recipient needs.
 */
export type Fact = readonly [label: string, value: string];

const YEAR_GROUP: Partial<Record<YearGroup, string>> = { N: 'Nursery', R: 'Reception' };

/** A child as an email names them: from the register, or as staff entered a new starter not on it yet. */
export interface ChildNamed {
  givenName: string;
  familyName: string;
  yearGroup: YearGroup;
  dateOfBirth?: IsoDate;
  onRegister: boolean;
}

/** Who the child is: from the register, or a new starter as staff entered them; undefined for a child only described. */
export function childNamed(pupil: Pupil | undefined, subject: CaseSubject): ChildNamed | undefined {
  if (pupil) return { givenName: pupil.givenName, familyName: pupil.familyName, yearGroup: pupil.yearGroup, dateOfBirth: pupil.dateOfBirth, onRegister: true };
  if (subject.kind === 'newStarter') return { givenName: subject.givenName, familyName: subject.familyName, yearGroup: subject.yearGroup, ...(subject.dateOfBirth ? { dateOfBirth: subject.dateOfBirth } : {}), onRegister: false };
  return undefined;
}

/**
 * Who the email is about, as the recipient's own records know them: never why the child qualifies.
 * A child described only in a teacher's words is not named: those words stay in school.
 */
export function childFacts(child: ChildNamed | undefined): Fact[] {
  if (!child) return [['Child', 'not on our register: our Designated Safeguarding Lead will tell you who by phone']];
  return [
    ['Child', `${child.givenName} ${child.familyName}${child.onRegister ? '' : ' (joining us: not on our register yet)'}`],
    ...(child.dateOfBirth ? [['Date of birth', formatDate(child.dateOfBirth)] as const] : []),
    ['Year group', YEAR_GROUP[child.yearGroup] ?? `Year ${child.yearGroup}`],
  ];
}

const ABSENCE_TYPE: Record<AttendanceAnswers['absenceType'], string | undefined> = {
  authorised: 'authorised',
  unauthorised: 'unauthorised',
  mixed: 'some authorised, some not',
  notKnown: undefined,
};

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** A percentage as staff entered it, without a binary fraction's tail (86.2, not 86.20000000000001). */
const percent = (p: number) => `${Number(p.toFixed(1))}%`;

function attendanceFacts(a: AttendanceAnswers, raisedOn: IsoDate, recipient: Recipient): Fact[] {
  const facts: Fact[] = [];
  if (a.unexplainedToday) facts.push(['Absent without explanation', formatDate(raisedOn)]);
  if (a.attendancePercent !== undefined) facts.push(['Attendance this school year', percent(a.attendancePercent)]);
  if (a.sessionsMissed !== undefined) facts.push(['Sessions missed recently', plural(a.sessionsMissed, 'half-day session')]);
  if (a.consecutiveUnauthorisedDays !== undefined && a.consecutiveUnauthorisedDays > 0) {
    facts.push(['Unauthorised absence', `${plural(a.consecutiveUnauthorisedDays, 'school day')} in a row, up to ${formatDate(raisedOn)}`]);
  }
  const type = ABSENCE_TYPE[a.absenceType];
  if (type) facts.push(['Absences', type]);
  if (a.pattern) facts.push(['Pattern', 'the absences follow a pattern']);
  if (a.punctuality) facts.push(['Punctuality', 'often late']);
  // The local authority is told about the absence itself; why the child missed school (a court
  // hearing, a medical appointment) is for the professionals who support the child.
  if (a.reasons.length > 0 && recipient !== 'localAuthority') facts.push(['Reasons known', a.reasons.map((r) => ABSENCE_REASON_LABEL[r]).join('; ')]);
  facts.push(['Concern raised on', formatDate(raisedOn)]);
  return facts;
}

/** The dates of a fixed-period suspension: its last day, and the day the child is back when it is whole days. */
export function suspensionDates(calendar: SchoolCalendar, start: IsoDate, days: number): { last: IsoDate; back?: IsoDate } {
  const whole = Math.ceil(days);
  const last = calendar.addSchoolDays(start, Math.max(0, whole - 1));
  // Half a day ends at midday of its last day: the child is back that afternoon, which a date cannot say.
  return Number.isInteger(days) ? { last, back: calendar.addSchoolDays(start, whole) } : { last };
}

/** "2 school days", "half a school day". */
export function suspensionLength(days: number): string {
  if (days === 0.5) return 'half a school day';
  return `${days} school day${days === 1 ? '' : 's'}`;
}

function suspensionFacts(a: SuspensionAnswers, raisedOn: IsoDate, recipient: Recipient, calendar: SchoolCalendar): Fact[] {
  const facts: Fact[] = [];
  const d = a.stage === 'decided' ? a.decision : undefined;
  if (!d) {
    facts.push(['Stage', a.decisionReported ? 'a decision has been reported; the headteacher is recording it' : 'at risk of suspension: no decision has been made']);
  } else if (d.kind === 'permanentExclusion') {
    facts.push(['Decision', 'permanent exclusion, decided by the headteacher'], ['From', formatDate(d.startDate)]);
  } else {
    const { last, back } = suspensionDates(calendar, d.startDate, d.days);
    facts.push(['Decision', `suspension for ${suspensionLength(d.days)}, decided by the headteacher`], ['First day', formatDate(d.startDate)], ['Last day', formatDate(last)]);
    if (back) facts.push(['Back at school', formatDate(back)]);
  }
  if (d?.missesExam) facts.push(['Examination or test', 'the child would miss a public examination or national curriculum test']);
  // What was tried is for the people asked to help find another way; the local authority is notified of the decision.
  if (recipient !== 'localAuthority') facts.push(['Support already tried', a.tried.length > 0 ? a.tried.map((t) => ALTERNATIVE_LABEL[t]).join('; ') : 'none of the alternatives our policy lists yet']);
  facts.push([d ? 'Recorded on' : 'Concern raised on', formatDate(raisedOn)]);
  return facts;
}

function admissionFacts(a: Extract<CaseAnswers, { caseType: 'admission' }>): Fact[] {
  const facts: Fact[] = [['Start date', formatDate(a.startDate)]];
  if (a.previousSchool) facts.push(['Previous school', a.previousSchool]);
  facts.push(['Transition meeting', a.transitionMeetingDate ? formatDate(a.transitionMeetingDate) : 'not booked yet']);
  return facts;
}

/** What has happened, as the case record has it, for this recipient. */
export function caseFacts(record: Pick<CaseRecord, 'answers' | 'raisedOn'>, recipient: Recipient, calendar: SchoolCalendar): Fact[] {
  const a = record.answers;
  switch (a.caseType) {
    case 'attendance':
      return attendanceFacts(a, record.raisedOn, recipient);
    case 'suspension':
      return suspensionFacts(a, record.raisedOn, recipient, calendar);
    case 'admission':
      return admissionFacts(a);
  }
}

/**
 * Facts as indented "Label: value" lines. Not padded into columns: many mail programs show plain
 * text in a proportional font, where padding only makes ragged gaps.
 */
export function factLines(facts: readonly Fact[]): string[] {
  return facts.map(([label, value]) => `  ${label}: ${value}`);
}
