import { CardElement } from './adaptiveCard';

/**
 * Text someone typed must show as typed. A TextRun inside a RichTextBlock is never parsed as
 * Markdown (unlike TextBlock and FactSet values), and this product never applies template
 * expansion to a card it sends, so user-typed Markdown, `<at>` tags or `${...}` stay inert text.
 * User text therefore only ever goes into `userText`.
 */
export function userText(text: string, extra: Partial<CardElement> = {}): CardElement {
  return { type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: stripControl(text) }], ...extra };
}

/** A label in our own words beside a value someone typed. */
export function labelledUserText(label: string, value: string): CardElement {
  return {
    type: 'ColumnSet',
    columns: [
      { type: 'Column', width: 'auto', items: [{ type: 'TextBlock', text: label, weight: 'Bolder', wrap: true }] },
      { type: 'Column', width: 'stretch', items: [userText(value)] },
    ],
  };
}

/** Control characters (other than tab and newline) have no business in a card. */
export function stripControl(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g, '');
}
