import { AdaptiveCard } from './adaptiveCard';

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

/** A message that carries one Adaptive Card: the Bot Framework's activity shape, as plain data. */
export interface CardMessage {
  attachments: Array<{ contentType: typeof ADAPTIVE_CARD_CONTENT_TYPE; content: AdaptiveCard }>;
}

export function cardReply(card: AdaptiveCard): CardMessage {
  return { attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: card }] };
}
