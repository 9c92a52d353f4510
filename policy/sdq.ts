import { addYears, IsoDate } from './dates';
import { Citation, STATUTORY } from './profiles/citations';
import { ResolvedPolicy } from './profiles';
import { cohortFlags, Pupil } from './pupil';

/** The SDQ is for looked-after children aged 4 to 16 (Promoting the health and well-being of looked-after children, 2015). */
const SDQ_AGES = { from: 4, to: 16 } as const;

export interface SdqStatus {
  /** The last questionnaire recorded, if any. */
  last?: IsoDate;
  /** What asks for it: the statutory guidance, and the school's own policy where it says so. */
  sources: Citation[];
}

/**
 * A child in care's annual Strengths and Difficulties Questionnaire is due when none is recorded in
 * the last year; undefined when none is due (or the child is not in care, or outside the ages).
 */
export function sdqDue(pupil: Pupil, today: IsoDate, policy: ResolvedPolicy): SdqStatus | undefined {
  if (!cohortFlags(pupil, today).cla) return undefined;
  if (today < addYears(pupil.dateOfBirth, SDQ_AGES.from) || today >= addYears(pupil.dateOfBirth, SDQ_AGES.to + 1)) return undefined;
  if (pupil.sdqDate && addYears(pupil.sdqDate, 1) > today) return undefined;
  const own = policy.cite('sdq.annual');
  return { ...(pupil.sdqDate ? { last: pupil.sdqDate } : {}), sources: [STATUTORY.sdqAnnual, ...(own ? [own] : [])] };
}
