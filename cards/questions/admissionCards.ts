import { AdaptiveCard, heading, paragraph } from '../adaptiveCard';
import { choiceInput, confirmDateInput, dateInput, formCard, FormCardFrame, textInput, toggleInput } from '../formCard';

export interface AdmissionPrefill {
  startDate?: string;
  previousSchool?: string;
  statusEvidenceSeen?: boolean;
  keyAdult?: string;
  peerBuddy?: string;
  transitionMeetingDate?: string;
  send?: string;
}

export function admissionDetailsCard(frame: FormCardFrame, p: AdmissionPrefill = {}, confirm?: { date: string; problem: string }): AdaptiveCard {
  return formCard(frame, [
    heading('About the move'),
    dateInput('startDate', 'Start date', { value: p.startDate, required: true }),
    ...(confirm ? [paragraph(confirm.problem, { color: 'Attention', weight: 'Bolder' }), confirmDateInput(confirm.date, 'Yes, that start date is right')] : []),
    textInput('previousSchool', 'Previous school (optional)', { value: p.previousSchool, maxLength: 200 }),
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
