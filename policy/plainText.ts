/**
 * What someone typed, as plain text that reads as what it is. Removed: bidirectional overrides and
 * isolates (U+202A–U+202E, U+2066–U+2069) and marks (U+200E, U+200F), which can make "…gnissim"
 * display as "missing…"; zero-width characters (U+200B–U+200D, U+2060–U+2064, U+FEFF), which can
 * split or join words invisibly; and control characters. Line ends become "\n".
 */
const DISGUISING = /[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

export function plainText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(DISGUISING, '').replace(CONTROL, '');
}
