import * as AC from 'adaptivecards';

export interface CardCheck {
  errors: string[];
  bytes: number;
}

/**
 * Parses a card with the official `adaptivecards` library, as a client would, and collects every
 * validation event (unknown element types, bad property values, duplicate or missing ids).
 */
export function checkCard(json: unknown): CardCheck {
  const card = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  card.parse(json, context);
  const errors: string[] = [];
  for (let i = 0; i < context.eventCount; i++) {
    const e = context.getEventAt(i);
    errors.push(`parse: ${AC.ValidationEvent[e.event]}: ${e.message}`);
  }
  for (const e of card.validateProperties().validationEvents) {
    errors.push(`validate: ${AC.ValidationEvent[e.event]}: ${e.message}`);
  }
  return { errors, bytes: Buffer.byteLength(JSON.stringify(json), 'utf8') };
}
