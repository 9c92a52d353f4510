import { LOCAL_AUTHORITIES } from '../../policy/localAuthorities';
import { REPORTED_STATUSES, ReportedStatus } from '../../policy/newStarter';
import { LegalBasis, YearGroup, yearLabel } from '../../policy/pupil';
import { AdaptiveCard, CardElement, heading, paragraph } from '../adaptiveCard';
import { userText } from '../text';
import { choiceInput, confirmDateInput, dateInput, formCard, FormCardFrame, textInput, toggleInput } from '../formCard';

export type RegisterAnswer = 'yes' | 'no';

/** New starters usually reach the register on or after their first day: asked first, so the rest fits. */
export function onRegisterCard(frame: FormCardFrame, prefill?: RegisterAnswer): AdaptiveCard {
  return formCard(frame, [
    heading('Is the child on our register yet?'),
    choiceInput(
      'onRegister',
      'On the register',
      [
        ['yes', 'Yes: I can find them on our register'],
        ['no', 'No, not yet: they have not started, or the office has not added them'],
      ],
      { expanded: true, value: prefill, required: true },
    ),
    paragraph('Not sure? Choose "Yes" and search: if they are not there, I will ask about them instead.', { isSubtle: true, size: 'Small' }),
  ]);
}

/** How each reported status reads on the card: plain words first, the term the records use after. */
export const REPORTED_STATUS_LABEL: Record<ReportedStatus, string> = {
  inCare: 'In care (looked after by a local authority)',
  adopted: 'Previously in care: adopted',
  sgo: 'Previously in care: special guardianship order (SGO)',
  cao: 'Previously in care: child arrangements order (CAO)',
  childInNeed: 'Child in need plan (has a social worker)',
  childProtection: 'Child protection plan (has a social worker)',
  kinship: 'Living with relatives or family friends (kinship care)',
  noneKnown: 'None of these, or not known yet',
};

/** Youngest first, as a school lists them (an enum's own order puts the numbered years before Nursery and Reception). */
const YEAR_GROUPS: readonly YearGroup[] = ['N', 'R', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12', '13'];

/** The legal bases as the placement letter names them: the order first, its section after. */
const LEGAL_BASIS_CHOICE: Record<LegalBasis, string> = {
  s31: 'Care order (section 31)',
  s38: 'Interim care order (section 38)',
  s20: 'Agreed with the parents (section 20)',
  s44: 'Emergency protection order (section 44)',
  s46: 'Police protection (section 46)',
  s21: 'Remanded or compulsorily accommodated (section 21)',
};

/** England's 153 authorities by name, each with its DfE code, for a type-to-filter list. */
const AUTHORITY_CHOICES = [...LOCAL_AUTHORITIES]
  .sort((a, b) => a.name.localeCompare(b.name, 'en-GB'))
  .map((a) => [a.code, `${a.name} (${a.code})`] as const);

export interface NewStarterPrefill {
  givenName?: string;
  familyName?: string;
  yearGroup?: YearGroup;
  dateOfBirth?: string;
  status?: ReportedStatus;
  legalBasis?: LegalBasis;
  placingAuthority?: string;
  previousSchool?: string;
}

function placingAuthorityInput(value?: string): CardElement {
  return {
    type: 'Input.ChoiceSet',
    id: 'placingAuthority',
    label: 'If in care: the placing authority (the council that looks after them)',
    style: 'filtered',
    placeholder: 'Start typing the council’s name',
    choices: AUTHORITY_CHOICES.map(([code, title]) => ({ title, value: code })),
    ...(value ? { value } : {}),
  };
}

/** Who the new starter is and what is known of their status: all the policy has until they are on the register. */
/** `sameName`: children on the register with the name given, asked about before a second record is started. */
export function newStarterCard(frame: FormCardFrame, p: NewStarterPrefill = {}, o: { sameName?: string } = {}): AdaptiveCard {
  return formCard(frame, [
    heading('About the child joining us'),
    paragraph('They are not on our register yet, so I need their details here. The DSL matches them to the register once they are on it.', { isSubtle: true, size: 'Small' }),
    ...(o.sameName
      ? [
          paragraph('Already on our register with that name:', { color: 'Attention', weight: 'Bolder' }),
          userText(o.sameName, { spacing: 'None' }),
          toggleInput('sameNameConfirmed', 'A different child with the same name', false),
        ]
      : []),
    textInput('givenName', 'First name', { value: p.givenName, required: true, maxLength: 80 }),
    textInput('familyName', 'Surname', { value: p.familyName, required: true, maxLength: 80 }),
    choiceInput(
      'yearGroup',
      'Year group',
      YEAR_GROUPS.map((y) => [y, yearLabel(y)] as const),
      { value: p.yearGroup, required: true },
    ),
    dateInput('dateOfBirth', 'Date of birth (optional: it helps match them to the register)', { value: p.dateOfBirth }),
    choiceInput(
      'status',
      'What do you know of their status?',
      REPORTED_STATUSES.map((s) => [s, REPORTED_STATUS_LABEL[s]] as const),
      { expanded: true, value: p.status, required: true },
    ),
    choiceInput(
      'legalBasis',
      'If in care: under which section of the Children Act 1989',
      (Object.keys(LEGAL_BASIS_CHOICE) as LegalBasis[]).map((k) => [k, LEGAL_BASIS_CHOICE[k]] as const),
      { value: p.legalBasis },
    ),
    placingAuthorityInput(p.placingAuthority),
    paragraph('A child in care’s Virtual School is the placing authority’s, which may not be ours: the placement letter or the social worker will say which.', { isSubtle: true, size: 'Small' }),
    textInput('previousSchool', 'Previous school (optional)', { value: p.previousSchool, maxLength: 200 }),
  ]);
}

export interface AdmissionPrefill {
  startDate?: string;
  previousSchool?: string;
  statusEvidenceSeen?: boolean;
  keyAdult?: string;
  peerBuddy?: string;
  transitionMeetingDate?: string;
  send?: string;
}

/**
 * The move itself. `askPreviousSchool`: false when the new-starter card has already asked it.
 */
export function admissionDetailsCard(frame: FormCardFrame, p: AdmissionPrefill = {}, confirm?: { date: string; problem: string }, o: { askPreviousSchool?: boolean } = {}): AdaptiveCard {
  return formCard(frame, [
    heading('About the move'),
    dateInput('startDate', 'Start date', { value: p.startDate, required: true }),
    ...(confirm ? [paragraph(confirm.problem, { color: 'Attention', weight: 'Bolder' }), confirmDateInput(confirm.date, 'Yes, that start date is right')] : []),
    ...(o.askPreviousSchool === false ? [] : [textInput('previousSchool', 'Previous school (optional)', { value: p.previousSchool, maxLength: 200 })]),
    dateInput('transitionMeetingDate', 'Transition meeting date, if one is booked (optional)', { value: p.transitionMeetingDate }),
    textInput('keyAdult', 'Key adult in school (leave blank if not chosen yet)', { value: p.keyAdult, maxLength: 120 }),
    textInput('peerBuddy', 'Peer buddy (leave blank if not chosen yet)', { value: p.peerBuddy, maxLength: 120 }),
    choiceInput(
      'send',
      'Special educational needs (SEN)',
      [
        ['none', 'None known'],
        ['senSupport', 'SEN support'],
        ['ehcp', 'An education, health and care plan (EHCP)'],
      ],
      { value: p.send ?? 'none' },
    ),
    toggleInput('statusEvidenceSeen', 'I have seen evidence of their status (for example the court order)', p.statusEvidenceSeen),
    paragraph('Evidence of status matters for Pupil Premium Plus, extra funding for children who are or were in care.', { isSubtle: true, size: 'Small' }),
  ]);
}
