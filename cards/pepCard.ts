import { adaptiveCard, AdaptiveCard, heading, paragraph } from './adaptiveCard';
import { labelledUserText } from './text';

export interface PepReminderInput {
  child: string;
  state: 'dueSoon' | 'overdue' | 'newPepDue';
  dueBy: string;
  lastPep?: string;
}

const WHY: Record<PepReminderInput['state'], string> = {
  dueSoon: 'No PEP meeting has been recorded this term, and the term ends soon.',
  overdue: 'No PEP meeting was recorded last term either: the PEP is overdue.',
  newPepDue: 'A new PEP meeting is due within 10 school days of joining.',
};

/** To the Designated Teacher: a child in care's PEP meeting is due or overdue. */
export function pepReminderCard(input: PepReminderInput): AdaptiveCard {
  return adaptiveCard(
    [
      heading(input.state === 'overdue' ? 'PEP overdue' : 'PEP due'),
      labelledUserText('Child', input.child),
      labelledUserText('Due by', input.dueBy),
      labelledUserText('Last PEP meeting', input.lastPep ?? 'none recorded'),
      paragraph(WHY[input.state], { isSubtle: true }),
    ],
    [{ type: 'Action.Submit', title: 'Record a PEP meeting', data: { verb: 'startDialog', dialog: 'pep' } }],
    { fallbackText: 'A PEP meeting is due.' },
  );
}
