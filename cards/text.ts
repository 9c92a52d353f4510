import { plainText } from '../policy/plainText';
import { CardElement } from './adaptiveCard';

/**
 * Text someone typed must show as typed. A TextRun inside a RichTextBlock is never parsed as
 * Markdown (unlike TextBlock and FactSet values), and this product never applies template
 * expansion to a card it sends, so user-typed Markdown, `<at>` tags or `${...}` stay inert text.
 * User text therefore only ever goes into `userText`.
 */
export function userText(text: string, extra: Partial<CardElement> = {}): CardElement {
  return { type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: plainText(text) }], ...extra };
}

/**
 * How much of one typed value a card shows, counted as Teams counts a message: UTF-16 code units of
 * its JSON (a quote or a backslash counts twice). With three such values at the longest the dialogs
 * take, a card stays well under 40 KB.
 */
export const TYPED_VALUE_BUDGET = 2400;
/** The same in a card shortened to fit a connector that refused the full one (413). */
export const COMPACT_VALUE_BUDGET = 300;

const SHORTENED = ' … (shortened here: the full text is in the dashboard tab)';

/** The text as it is if it fits the budget, else its start and a note saying where the rest is. */
export function fitted(text: string, budget: number): string {
  if (JSON.stringify(text).length <= budget) return text;
  let end = Math.min(text.length, budget);
  while (end > 0 && JSON.stringify(text.slice(0, end)).length + SHORTENED.length > budget) end = Math.floor(end * 0.9);
  // Never cut a character in half (a surrogate pair).
  if (end > 0 && /[\ud800-\udbff]/.test(text.charAt(end - 1))) end--;
  return `${text.slice(0, end)}${SHORTENED}`;
}

/** A label in our own words beside a value someone typed. */
export function labelledUserText(label: string, value: string, budget = TYPED_VALUE_BUDGET): CardElement {
  return {
    type: 'ColumnSet',
    columns: [
      { type: 'Column', width: 'auto', items: [{ type: 'TextBlock', text: label, weight: 'Bolder', wrap: true }] },
      { type: 'Column', width: 'stretch', items: [userText(fitted(value, budget))] },
    ],
  };
}

/** Control characters (other than tab and newline), and characters that disguise text, have no business in a card. */
export function stripControl(text: string): string {
  return plainText(text);
}
