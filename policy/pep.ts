import { SchoolCalendar } from './calendar';
import { addDays, IsoDate } from './dates';
import { cohortFlags, Pupil } from './pupil';
import { Term } from './schoolProfile';

/**
 * Personal education plans for children in care: a PEP meeting every term, at least three a year
 * (statutory: reviewed termly; Leys and Holy Family: "at least 3 PEP meetings for each CLA"), a new
 * PEP within 10 school days of joining, and within 20 school days of coming into care while on roll
 * (Promoting the education of looked-after and previously looked-after children, 2018, with the care
 * planning guidance; docs/DOMAIN.md).
 */
export type PepState = 'ok' | 'dueThisTerm' | 'dueSoon' | 'newPepDue' | 'overdue';

export interface PepStatus {
  state: PepState;
  /** Which PEP: the termly one, the first after joining, or the first after coming into care. */
  reason: 'termly' | 'joined' | 'enteredCare';
  /** When the next PEP must have happened by. */
  dueBy: IsoDate;
  /** For an overdue PEP: when the one that was missed was due (past), which `dueBy` (the next one's date) may not be. */
  overdueSince?: IsoDate;
  lastPep?: IsoDate;
}

/** The latest PEP meeting known: recorded here, or in the register export (the MIS's own PEP dates). */
export function latestPep(pupil: Pupil, recorded: IsoDate | undefined): IsoDate | undefined {
  const fromRegister = pupil.peps.map((p) => p.date).sort().at(-1);
  if (!recorded) return fromRegister;
  if (!fromRegister) return recorded;
  return recorded > fromRegister ? recorded : fromRegister;
}

export function pepStatus(pupil: Pupil, lastPep: IsoDate | undefined, calendar: SchoolCalendar, today: IsoDate, reminderSchoolDays: number): PepStatus | undefined {
  if (!cohortFlags(pupil, today).cla) return undefined;
  const base = lastPep ? { lastPep } : {};

  // A new starter: a PEP within 10 school days of joining, whatever the term; until it is held it
  // stays overdue, however long ago they joined.
  if (pupil.onRollSince && (!lastPep || lastPep < pupil.onRollSince)) {
    const newPepBy = calendar.addSchoolDays(pupil.onRollSince as IsoDate, 10);
    return { state: today <= newPepBy ? 'newPepDue' : 'overdue', reason: 'joined', dueBy: newPepBy, ...(today > newPepBy ? { overdueSince: newPepBy } : {}), ...base };
  }
  // A child who came into care while on roll: a PEP within 20 school days of entering care (care
  // planning guidance), and overdue until it is held.
  const since = cohortFlags(pupil, today).cla?.since;
  if (since && (!pupil.onRollSince || since > pupil.onRollSince) && (!lastPep || lastPep < since)) {
    const firstPepBy = calendar.addSchoolDays(since, 20);
    return { state: today <= firstPepBy ? 'newPepDue' : 'overdue', reason: 'enteredCare', dueBy: firstPepBy, ...(today > firstPepBy ? { overdueSince: firstPepBy } : {}), ...base };
  }

  const terms = calendar.allTerms();
  const current: Term | undefined = calendar.termOf(today) ?? terms.find((t) => t.start > today);
  if (!current) return { state: 'ok', reason: 'termly', dueBy: today, ...base };
  const termEnd = calendar.termEndFor(current.start) ?? current.end;
  if (lastPep && lastPep >= current.start && lastPep <= current.end) return { state: 'ok', reason: 'termly', dueBy: termEnd as IsoDate, ...base };

  const previous = [...terms].reverse().find((t) => t.end < current.start);
  if (previous && (!lastPep || lastPep < previous.start) && (!pupil.onRollSince || pupil.onRollSince < previous.start)) {
    // Last term's PEP was missed: overdue since that term ended, and this term's is due by its end.
    return { state: 'overdue', reason: 'termly', dueBy: termEnd as IsoDate, overdueSince: (calendar.termEndFor(previous.start as IsoDate) ?? previous.end) as IsoDate, ...base };
  }
  const remindFrom = schoolDaysBefore(calendar, termEnd as IsoDate, reminderSchoolDays);
  return { state: today >= remindFrom ? 'dueSoon' : 'dueThisTerm', reason: 'termly', dueBy: termEnd as IsoDate, ...base };
}

/** The school day `n` school days before `date`. */
function schoolDaysBefore(calendar: SchoolCalendar, date: IsoDate, n: number): IsoDate {
  let d = date;
  let counted = 0;
  while (counted < n) {
    d = addDays(d, -1);
    if (calendar.isSchoolDay(d)) counted++;
  }
  return d;
}
