import { AdaptiveCard, heading, paragraph } from '../adaptiveCard';
import { choiceInput, formCard, FormCardFrame, numberInput, textInput } from '../formCard';

export interface AttendancePrefill {
  what?: string[];
  sessionsMissed?: number;
  absenceType?: string;
  reasons?: string[];
  attendancePercent?: number;
  consecutiveUnauthorisedDays?: number;
  alreadyDone?: string;
}

export const ATTENDANCE_WHAT: ReadonlyArray<readonly [string, string]> = [
  ['unexplainedToday', 'Absent today, and nobody has told us why'],
  ['missedSessions', 'Has missed sessions recently (a session is half a day)'],
  ['pattern', 'A pattern, such as the same day each week or after weekends'],
  ['punctuality', 'Often late'],
];

export const ABSENCE_REASONS: ReadonlyArray<readonly [string, string]> = [
  ['placementMove', 'A move of home or care placement'],
  ['contact', 'Family time (contact) with family they do not live with'],
  ['court', 'A court hearing'],
  ['review', 'A meeting or review about their care or plan'],
  ['illness', 'Illness'],
  ['medical', 'A medical or therapy appointment'],
  ['unknown', 'Not known'],
  ['other', 'Something else'],
];

export function attendanceDetailsCard(frame: FormCardFrame, p: AttendancePrefill = {}): AdaptiveCard {
  return formCard(frame, [
    heading('What has been happening?'),
    choiceInput('what', 'Tick all that apply', ATTENDANCE_WHAT, { multi: true, value: p.what, required: true }),
    choiceInput(
      'absenceType',
      'Were the absences authorised (agreed by school)?',
      [
        ['notKnown', 'I do not know'],
        ['authorised', 'Authorised'],
        ['unauthorised', 'Unauthorised'],
        ['mixed', 'Some of each'],
      ],
      { value: p.absenceType ?? 'notKnown' },
    ),
    choiceInput('reasons', 'Do you know of any reasons? (optional)', ABSENCE_REASONS, { multi: true, value: p.reasons }),
    // No min or max on the inputs: some clients clamp to them unseen (150 became 100). The bot checks the range and says it.
    numberInput('sessionsMissed', 'Roughly how many sessions missed recently? (optional, 0 to 400)', { value: p.sessionsMissed, placeholder: '0 to 400' }),
    numberInput('attendancePercent', 'Attendance so far this school year, if you know it, as a % (optional)', { value: p.attendancePercent, placeholder: '0 to 100' }),
    numberInput('consecutiveUnauthorisedDays', 'Days in a row of unauthorised absence up to today, if any (optional, 0 to 400)', { value: p.consecutiveUnauthorisedDays, placeholder: '0 to 400' }),
    textInput('alreadyDone', 'What has been done so far? (optional)', {
      value: p.alreadyDone,
      multiline: true,
      maxLength: 2000,
      placeholder: 'For example: spoke to carer at pick-up on Tuesday',
    }),
    paragraph('Please describe what you have noticed, not why you think it is happening.', { isSubtle: true, size: 'Small' }),
  ]);
}
