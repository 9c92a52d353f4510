import { adaptiveCard, AdaptiveCard, heading, paragraph } from './adaptiveCard';
import { labelledUserText } from './text';

export interface AlertCardInput {
  ref: string;
  recipient: string;
  attempts: number;
  problem: string;
}

/** Told to the DSL when something could not be sent: a failed notification is surfaced, never dropped. */
export function deliveryAlertCard(input: AlertCardInput): AdaptiveCard {
  return adaptiveCard(
    [
      heading(`Not sent: ${input.ref}`),
      paragraph('A message for someone outside school could not be sent. Please contact them yourself, and note that you did on the case.', { color: 'Attention', weight: 'Bolder' }),
      labelledUserText('To', input.recipient),
      labelledUserText('Tries', String(input.attempts)),
      labelledUserText('Problem', input.problem),
    ],
    [],
    { fallbackText: `Not sent: ${input.ref}. Please contact the recipient yourself.` },
  );
}
