import { ALTERNATIVE_HELP, ALTERNATIVE_LABEL, ALTERNATIVES } from '../../policy/cases';
import { AdaptiveCard, heading, paragraph } from '../adaptiveCard';
import { choiceInput, confirmDateInput, dateInput, formCard, FormCardFrame, numberInput, textInput, toggleInput } from '../formCard';

/** "All behaviour is communication" (Leys, Holy Family): ask what happened and what was tried, never what the child did wrong. */
export function whatHappenedCard(frame: FormCardFrame, prefill?: string): AdaptiveCard {
  return formCard(frame, [
    heading('What happened?'),
    paragraph('In your own words: what you saw and heard, what came just before, and how the child seemed. All behaviour is communication: what might the child have been telling us?'),
    textInput('whatHappened', 'What happened', { value: prefill, multiline: true, required: true, maxLength: 4000, errorMessage: 'Please describe what happened' }),
    paragraph('You can also just type your answer as a message.', { isSubtle: true, size: 'Small' }),
  ]);
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function triedCard(frame: FormCardFrame, prefill: { tried?: string[]; triedOther?: string; sendConsiderations?: string } = {}): AdaptiveCard {
  return formCard(frame, [
    heading('What has been tried so far?'),
    paragraph('Tick what has already been tried to avoid a suspension.'),
    choiceInput('tried', 'Already tried', ALTERNATIVES.map((a) => [a, capitalise(ALTERNATIVE_LABEL[a])] as const), { multi: true, value: prefill.tried }),
    ...Object.values(ALTERNATIVE_HELP).map((help) => paragraph(help, { isSubtle: true, size: 'Small', spacing: 'Small' })),
    textInput('triedOther', 'Anything else that has been tried? (optional)', { value: prefill.triedOther, multiline: true, maxLength: 2000 }),
    textInput('sendConsiderations', 'Anything about special educational needs or disability (SEND) to consider? (optional)', {
      value: prefill.sendConsiderations,
      multiline: true,
      maxLength: 2000,
    }),
  ]);
}

export function stageCard(frame: FormCardFrame, prefill?: 'atRisk' | 'decided'): AdaptiveCard {
  return formCard(frame, [
    heading('Has a suspension already been decided?'),
    choiceInput(
      'stage',
      'Where things are now',
      [
        ['atRisk', 'No: I am worried a suspension might happen'],
        ['decided', 'Yes: the headteacher has decided on a suspension or exclusion'],
      ],
      { expanded: true, value: prefill ?? 'atRisk', required: true },
    ),
  ]);
}

export interface DecisionPrefill {
  kind?: string;
  startDate?: string;
  days?: number;
  missesExam?: boolean;
}


/** Only the headteacher, DSL or Designated Teacher records the decision itself. */
export function decisionCard(frame: FormCardFrame, prefill: DecisionPrefill = {}, confirm?: { date: string; problem: string }): AdaptiveCard {
  return formCard(frame, [
    heading('The decision'),
    choiceInput(
      'kind',
      'What was decided?',
      [
        ['suspension', 'A suspension (a fixed number of days)'],
        ['permanentExclusion', 'A permanent exclusion'],
      ],
      { expanded: true, value: prefill.kind ?? 'suspension', required: true },
    ),
    dateInput('startDate', 'First day', { value: prefill.startDate, required: true }),
    ...(confirm ? [paragraph(confirm.problem, { color: 'Attention', weight: 'Bolder' }), confirmDateInput(confirm.date, 'Yes, that first day is right')] : []),
    // No min or max on the input: some clients clamp to them unseen. The bot checks the range and says it.
    numberInput('days', 'How many school days? (for a suspension: whole or half days, 0.5 to 45)', { value: prefill.days ?? 1, placeholder: '0.5 to 45' }),
    toggleInput('missesExam', 'The child would miss a public examination or a national curriculum test', prefill.missesExam),
    paragraph('Statutory notifications (parents, local authority, social worker, Virtual School) are worked out from this.', { isSubtle: true, size: 'Small' }),
  ]);
}

/** For a decision already made: who was it discussed with beforehand (the policy asks for some of these first). */
export function consultedCard(frame: FormCardFrame, parties: ReadonlyArray<readonly [string, string]>, prefill: string[] = []): AdaptiveCard {
  return formCard(frame, [
    heading('Before the decision was made'),
    paragraph('Tick who it was discussed with before it was decided. If none of them, leave every box empty and press Next: the plan will put first what should have happened.'),
    choiceInput('consulted', 'Discussed beforehand with', parties, { multi: true, value: prefill }),
  ]);
}
