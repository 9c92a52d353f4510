import { adaptiveCard, AdaptiveCard, heading, paragraph } from './adaptiveCard';
import { labelledUserText } from './text';

export interface PepReminderInput {
  child: string;
  state: 'dueSoon' | 'overdue' | 'newPepDue';
  /** Why this PEP: the termly one, the first after joining, or the first after coming into care. */
  reason: 'termly' | 'joined' | 'enteredCare';
  dueBy: string;
  lastPep?: string;
}

function why(input: PepReminderInput): string {
  if (input.reason === 'joined') return input.state === 'overdue' ? 'The new PEP due within 10 school days of joining has not been held: it is overdue until it is.' : 'A new PEP meeting is due within 10 school days of joining.';
  if (input.reason === 'enteredCare') return input.state === 'overdue' ? 'The first PEP, due within 20 school days of coming into care, has not been held: it is overdue until it is.' : 'A first PEP meeting is due within 20 school days of coming into care.';
  return input.state === 'overdue' ? 'No PEP meeting was recorded last term either: the PEP is overdue.' : 'No PEP meeting has been recorded this term, and the term ends soon.';
}

/** To the Designated Teacher: a child in care's PEP meeting is due or overdue. */
export function pepReminderCard(input: PepReminderInput): AdaptiveCard {
  return adaptiveCard(
    [
      heading(input.state === 'overdue' ? 'PEP overdue' : 'PEP due'),
      labelledUserText('Child', input.child),
      labelledUserText('Due by', input.dueBy),
      labelledUserText('Last PEP meeting', input.lastPep ?? 'none recorded'),
      paragraph(why(input), { isSubtle: true }),
    ],
    [{ type: 'Action.Submit', title: 'Record a PEP meeting', data: { verb: 'startDialog', dialog: 'pep' } }],
    { fallbackText: 'A PEP meeting is due.' },
  );
}

export interface SdqReminderInput {
  child: string;
  lastSdq?: string;
  /** What asks for it, as citations read. */
  sources: string[];
}

/** To the Designated Teacher: a child in care's annual Strengths and Difficulties Questionnaire is due. */
export function sdqReminderCard(input: SdqReminderInput): AdaptiveCard {
  return adaptiveCard(
    [
      heading('Annual SDQ due'),
      labelledUserText('Child', input.child),
      labelledUserText('Last SDQ recorded', input.lastSdq ?? 'none recorded'),
      paragraph("The child's carer completes a Strengths and Difficulties Questionnaire every year; the Designated Teacher contributes when asked, and the result informs the child's health review and PEP.", { isSubtle: true }),
      ...input.sources.map((s) => paragraph(`Source: ${s}`, { isSubtle: true, size: 'Small', spacing: 'None' })),
    ],
    [],
    { fallbackText: 'An annual SDQ is due.' },
  );
}
