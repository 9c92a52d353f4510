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

/**
 * A register's names, looked up by word: a sentence of a few words is checked against the children
 * who have one of those words in their name, not against every child of the school (2,000 in a
 * large secondary, for every message typed). Built once per register read.
 */
export class NameIndex<T extends { keys: NameKeys }> {
  /** By the first word of the full name, for whole names. */
  private readonly byFirstWord = new Map<string, number[]>();
  /** By every word of the name, for a name said on its own. */
  private readonly byWord = new Map<string, number[]>();

  constructor(readonly register: readonly T[]) {
    register.forEach((entry, at) => {
      const { tokens } = entry.keys;
      if (tokens[0] !== undefined) push(this.byFirstWord, tokens[0], at);
      for (const token of new Set(tokens)) push(this.byWord, token, at);
    });
  }

  startingWith(word: string): readonly number[] {
    return this.byFirstWord.get(word) ?? [];
  }

  withWord(word: string): readonly number[] {
    return this.byWord.get(word) ?? [];
  }
}

function push(map: Map<string, number[]>, key: string, at: number): void {
  const list = map.get(key);
  if (list) list.push(at);
  else map.set(key, [at]);
}

/**
 * The children a sentence names: those whose full name is in it if any, otherwise those one of
 * whose names is (two Sams: both, so the person is asked which). `words` is what matched, to show
 * back. Alphabetical by full name, children of the same name in register order.
 */
export function mentionedChildren<T extends { keys: NameKeys }>(sentence: string, names: readonly T[] | NameIndex<T>): { matches: T[]; words: string } {
  const index = names instanceof NameIndex ? names : new NameIndex(names);
  const words = sentenceWords(sentence);
  // Register position -> the words that named the child, at their first place in the sentence.
  const full = new Map<number, string>();
  words.forEach((w, i) => {
    for (const at of index.startingWith(w.word)) {
      const { tokens } = index.register[at]!.keys;
      if (!full.has(at) && tokens.every((t, j) => words[i + j]?.word === t)) full.set(at, words.slice(i, i + tokens.length).map((x) => x.typed).join(' '));
    }
  });
  const partial = new Map<number, string>();
  if (full.size === 0) {
    for (const w of words) {
      // An everyday word stands for a name only with its capital.
      if (!w.capitalised && EVERYDAY_WORDS.has(w.word)) continue;
      for (const at of index.withWord(w.word)) if (!partial.has(at)) partial.set(at, w.typed);
    }
  }
  const found = [...(full.size > 0 ? full : partial)]
    .map(([at, said]) => ({ at, entry: index.register[at]!, said }))
    .sort((a, b) => a.entry.keys.full.localeCompare(b.entry.keys.full) || a.at - b.at);
  return { matches: found.map((f) => f.entry), words: [...new Set(found.map((f) => f.said))].join(', ') };
}
