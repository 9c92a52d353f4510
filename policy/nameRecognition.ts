import { distance } from 'fastest-levenshtein';

/**
 * Finding a child from what a member of staff typed: a near-miss spelling ("sam thistelwood"), or
 * a name inside a sentence ("I am worried Sam might get excluded"). Pure: the caller passes the
 * register of the one school the person works in, so nothing here can reach another school's child.
 */

/** Lower case, accents removed, so "Zoë" is found by "zoe"; a typographic apostrophe (O’Brien, as phones type it) is a plain one. */
export function normaliseName(text: string): string {
  return text.replace(/[\u2018\u2019]/g, "'").normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9' -]+/g, ' ').replace(/\s+/g, ' ').trim();
}

/** One child's names, normalised once when the register is read. */
export interface NameKeys {
  given: string;
  family: string;
  full: string;
  /** Every word of the full name ("mary-jane" is two). */
  tokens: string[];
}

export function nameKeys(givenName: string, familyName: string): NameKeys {
  const given = normaliseName(givenName);
  const family = normaliseName(familyName);
  const full = normaliseName(`${givenName} ${familyName}`);
  return { given, family, full, tokens: full.split(/[ -]/).filter(Boolean) };
}

/**
 * How many slips a typed name may have and still be suggested: none for three letters or fewer
 * (too many names are that close to anything), then about one in five letters.
 */
export function allowedSlips(typed: string): number {
  const letters = typed.replace(/[ '-]/g, '').length;
  if (letters < 4) return 0;
  if (letters <= 5) return 1;
  if (letters <= 10) return 2;
  return 3;
}

/** How far a typed name is from a child's: whole names against the full name, one word against each name and word. */
export function nameDistance(typed: string, keys: NameKeys): number {
  const q = normaliseName(typed);
  if (q.includes(' ')) return distance(q, keys.full);
  return Math.min(distance(q, keys.given), distance(q, keys.family), ...keys.tokens.map((t) => distance(q, t)));
}

/** The closest names within the allowed slips, nearest first (then alphabetical), at most `limit`. */
export function nearMisses<T extends { keys: NameKeys }>(typed: string, register: readonly T[], limit: number): T[] {
  const allowed = allowedSlips(normaliseName(typed));
  if (allowed === 0) return [];
  return register
    .map((entry) => ({ entry, d: nameDistance(typed, entry.keys) }))
    .filter(({ d }) => d <= allowed)
    .sort((a, b) => a.d - b.d || a.entry.keys.full.localeCompare(b.entry.keys.full))
    .slice(0, limit)
    .map(({ entry }) => entry);
}

/** A word of a sentence, normalised, with whether it was written with a capital (and not first). */
export interface SentenceWord {
  word: string;
  /** As typed, to show back. */
  typed: string;
  capitalised: boolean;
}

/** "Leo's attendance" -> leo, attendance: possessives and punctuation dropped, hyphens split like names are. */
export function sentenceWords(sentence: string): SentenceWord[] {
  const plain = sentence.replace(/[\u2018\u2019]/g, "'").normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  const raw = plain.split(/[^A-Za-z0-9']+/).filter(Boolean);
  return raw
    .map((w, i) => {
      const typed = w.replace(/'s$|'$/i, '');
      return { word: typed.toLowerCase(), typed, capitalised: i > 0 && /^[A-Z]/.test(w) };
    })
    .filter((w) => w.word.length >= 2);
}

/**
 * Names that are also everyday words (and the bot's own command words): in a sentence they count
 * as a name only when written with a capital ("Will" the child, not "she will be excluded").
 */
const EVERYDAY_WORDS = new Set([
  'will', 'may', 'mark', 'rose', 'grace', 'joy', 'hope', 'faith', 'summer', 'autumn', 'april', 'june', 'august', 'bill', 'frank',
  'pat', 'sue', 'art', 'ray', 'dawn', 'rob', 'bob', 'chase', 'hunter', 'sky', 'river', 'rain', 'storm', 'penny', 'ruby', 'amber',
  'jade', 'holly', 'ivy', 'lily', 'daisy', 'heather', 'violet', 'sage', 'miles', 'reed', 'drew', 'max', 'dean', 'guy', 'lee',
  'victor', 'jack', 'jay', 'hazel', 'iris', 'pearl', 'ash', 'rowan', 'willow', 'brook', 'faye', 'sunny', 'honey', 'star', 'angel',
  'king', 'early', 'late', 'long', 'small', 'young', 'white', 'black', 'brown', 'green', 'gray', 'grey', 'wood', 'hill', 'field',
  'stone', 'bird', 'fox', 'lamb', 'day', 'week', 'new', 'starter', 'help', 'back', 'cancel', 'menu', 'start',
]);

/** Whether a sentence word may stand for this name word (an everyday word needs its capital). */
function standsFor(w: SentenceWord, nameWord: string): boolean {
  return w.word === nameWord && (w.capitalised || !EVERYDAY_WORDS.has(w.word));
}

/**
 * The children a sentence names: those whose full name is in it if any, otherwise those one of
 * whose names is (two Sams: both, so the person is asked which). `words` is what matched, to show back.
 */
export function mentionedChildren<T extends { keys: NameKeys }>(sentence: string, register: readonly T[]): { matches: T[]; words: string } {
  const words = sentenceWords(sentence);
  const full: Array<{ entry: T; said: string }> = [];
  const partial: Array<{ entry: T; said: string }> = [];
  for (const entry of register) {
    const { tokens } = entry.keys;
    const at = words.findIndex((_w, i) => tokens.every((t, j) => words[i + j]?.word === t));
    if (at >= 0) {
      full.push({ entry, said: words.slice(at, at + tokens.length).map((w) => w.typed).join(' ') });
      continue;
    }
    const hit = words.find((w) => tokens.some((t) => standsFor(w, t)));
    if (hit) partial.push({ entry, said: hit.typed });
  }
  const found = (full.length > 0 ? full : partial).sort((a, b) => a.entry.keys.full.localeCompare(b.entry.keys.full));
  return { matches: found.map((f) => f.entry), words: [...new Set(found.map((f) => f.said))].join(', ') };
}
