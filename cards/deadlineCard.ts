import { adaptiveCard, AdaptiveCard, CardAction, heading, paragraph } from './adaptiveCard';
import { labelledUserText } from './text';

export interface DeadlineCardInput {
  caseId: string;
  stepId: string;
  ref: string;
  /** The action in words any member of staff may read. */
  label: string;
  ownerLabel: string;
  deadline: string;
  state: 'dueTomorrow' | 'dueToday' | 'overdue' | 'done';
  statutory: boolean;
  doneBy?: string;
}

const HEADINGS: Record<DeadlineCardInput['state'], string> = {
  dueTomorrow: 'Due tomorrow',
  dueToday: 'Due today',
  overdue: 'Overdue',
  done: 'Done',
};

/** A tracked action's reminder: what, for which case (by reference only), by when, with "Mark done". */
export function deadlineCard(input: DeadlineCardInput): AdaptiveCard {
  const actions: CardAction[] =
    input.state === 'done' ? [] : [{ type: 'Action.Execute', title: 'Mark done', verb: 'completeAction', data: { caseId: input.caseId, stepId: input.stepId }, style: 'positive' }];
  return adaptiveCard(
    [
      heading(`${HEADINGS[input.state]}: ${input.ref}`),
      ...(input.statutory && input.state !== 'done' ? [paragraph('A statutory deadline.', { color: 'Attention', weight: 'Bolder', spacing: 'None' })] : []),
      labelledUserText('What', input.label),
      labelledUserText('Who', input.ownerLabel),
      labelledUserText('By', input.deadline),
      ...(input.state === 'done' && input.doneBy ? [labelledUserText('Marked done by', input.doneBy)] : []),
      paragraph(input.state === 'overdue' ? 'This is past its deadline. Please check it has happened, or make sure it does today.' : 'Press "Mark done" once it has happened.', {
        isSubtle: true,
      }),
    ],
    actions,
    { fallbackText: `${HEADINGS[input.state]}: ${input.ref}` },
  );
}
