/**
 * Minimal typing for the Adaptive Card JSON this product sends. Teams renders schema 1.5, which
 * Universal Actions (`Action.Execute`) need, so every card is 1.5.
 */
export interface CardElement {
  type: string;
  id?: string;
  [key: string]: unknown;
}

export interface CardAction {
  type: 'Action.Submit' | 'Action.Execute' | 'Action.OpenUrl' | 'Action.ShowCard' | 'Action.ToggleVisibility';
  title: string;
  [key: string]: unknown;
}

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json';
  version: '1.5';
  body: CardElement[];
  actions?: CardAction[];
  refresh?: { action: CardAction; userIds?: string[] };
  fallbackText?: string;
}

export function adaptiveCard(body: CardElement[], actions: CardAction[] = [], extra: Partial<AdaptiveCard> = {}): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body,
    ...(actions.length > 0 ? { actions } : {}),
    ...extra,
  };
}

/** Our own fixed wording, which may use the Markdown subset Teams renders. */
export function heading(text: string, size: 'Medium' | 'Large' = 'Medium'): CardElement {
  return { type: 'TextBlock', text, size, weight: 'Bolder', wrap: true, style: 'heading' };
}

export function paragraph(text: string, extra: Partial<CardElement> = {}): CardElement {
  return { type: 'TextBlock', text, wrap: true, ...extra };
}

export function facts(rows: ReadonlyArray<readonly [string, string]>): CardElement {
  return { type: 'FactSet', facts: rows.map(([title, value]) => ({ title, value })) };
}
