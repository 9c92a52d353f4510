import { Activity, CardFactory } from 'botbuilder';
import { AdaptiveCard } from '../../cards/adaptiveCard';

export function cardReply(card: AdaptiveCard): Partial<Activity> {
  return { attachments: [CardFactory.adaptiveCard(card)] };
}
