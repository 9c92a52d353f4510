import fc from 'fast-check';
import { FormCardFrame } from '../cards/formCard';
import { pupilChoicesCard, pupilSuggestionsCard } from '../cards/questions/pupilCards';
import { recogniseIntent } from '../dialogs/intents';
import { mentionedChildren, NameIndex, NameKeys, nameKeys, nearMisses, sentenceWords } from '../policy/nameRecognition';
import { Pupil } from '../policy/pupil';
import { PupilDirectory } from '../services/pupilDirectory';
import { PupilRepository } from '../storage/pupilRepository';
import { TABLES } from '../storage/tableStore';
import { createTestStore } from './support/store';
import { checkCard } from './support/validateCard';

/** A synthetic register: every name made up. */
const REGISTER: ReadonlyArray<readonly [id: string, given: string, family: string]> = [
  ['p01', 'Sam', 'Thistlewood'],
  ['p02', 'Sam', 'Ashcombe'],
  ['p03', 'Leo', 'Hazelgrove'],
  ['p04', 'Zoë', 'Brightwater'],
  ['p05', 'Mary-Jane', "O'Hallorann"],
  ['p06', 'Will', 'Fenwick'],
  ['p07', 'Poppy', 'Lanternwick'],
  ['p08', 'Amara', 'Windmere'],
  ['p09', 'Kai', 'Marchbank'],
  ['p10', 'Kit', 'Marchbank'],
];
const entries = REGISTER.map(([id, given, family]) => ({ id, keys: nameKeys(given, family) }));
const ids = (found: ReadonlyArray<{ id: string }>) => found.map((e) => e.id);

describe('"did you mean": near misses of a typed name', () => {
  it.each([
    ['sam thistelwood', ['p01']],
    ['Sam Thistlewod', ['p01']],
    ['SAMM THISTLEWOOD', ['p01']],
    ['thistelwood', ['p01']],
    ['Zoe Brightwatter', ['p04']],
    ['zoë brightwater', ['p04']],
    ['Popy', ['p07']],
    ['Amarah Windmeer', ['p08']],
    ['ohalloran', ['p05']],
    ['Mary-Jane O’Halloran', ['p05']],
    ['Marchbanks', ['p09', 'p10']],
    ['Hazlegrove', ['p03']],
  ])('"%s" suggests %j', (typed, expected) => {
    expect(ids(nearMisses(typed, entries, 3))).toEqual(expected);
  });

  it.each([
    ['Sma'], // three letters: too many names are that close to anything
    ['Bob'],
    ['Zephyrine Quennell'],
    ['Thornbury'],
    ['attendance'],
  ])('"%s" suggests nobody', (typed) => {
    expect(nearMisses(typed, entries, 3)).toEqual([]);
  });

  it('offers at most the number asked for, nearest first', () => {
    const many = Array.from({ length: 8 }, (_, i) => ({ id: `m${i}`, keys: nameKeys('Ava', `Marchbank${'s'.repeat(i % 3)}`) }));
    const found = nearMisses('Ava Marchbank', [...many, ...entries], 3);
    expect(found).toHaveLength(3);
    expect(found.every((f) => f.keys.family === 'marchbank')).toBe(true);
  });
});

describe('a child named in a sentence', () => {
  it.each([
    ['I am worried Sam Thistlewood might get excluded', ['p01'], 'Sam Thistlewood'],
    ["Leo's attendance is dropping", ['p03'], 'Leo'],
    ['Leo’s attendance is dropping', ['p03'], 'Leo'],
    ['worried about leo hazelgrove being late', ['p03'], 'leo hazelgrove'],
    ['Poppy has been absent all week', ['p07'], 'Poppy'],
    ['Is Zoe joining us on Monday?', ['p04'], 'Zoe'],
    ['Mary-Jane was sent home', ['p05'], 'Mary'],
    ['Mary-Jane O’Hallorann’s attendance', ['p05'], "Mary Jane O'Hallorann"],
    // Two Sams: both, so the person is asked which.
    ['I am worried Sam might get excluded', ['p02', 'p01'], 'Sam'],
    ['The Marchbank twins keep missing school', ['p09', 'p10'], 'Marchbank'],
    // A given name that is an everyday word counts only with its capital.
    ['I think Will might be excluded', ['p06'], 'Will'],
    ['I think she will be excluded', [], ''],
    ['attendance', [], ''],
    ['I am worried about a child in Year 4', [], ''],
  ])('"%s" names %j', (sentence, expected, words) => {
    const found = mentionedChildren(sentence, entries);
    expect(ids(found.matches)).toEqual(expected);
    expect(found.words).toBe(words);
  });
});

/**
 * The rule as it was first written, child by child over the whole register: the index that
 * replaced it (a sentence is checked only against children with one of its words in their name)
 * must find exactly the same children, in the same order, with the same words shown back.
 */
function everyChildInTurn(sentence: string, register: ReadonlyArray<{ keys: NameKeys }>): { matches: number[]; words: string } {
  const everyday = new Set(['will', 'rose', 'may', 'grace']);
  const words = sentenceWords(sentence);
  const full: Array<{ at: number; said: string }> = [];
  const partial: Array<{ at: number; said: string }> = [];
  register.forEach((entry, at) => {
    const { tokens } = entry.keys;
    const start = words.findIndex((_w, i) => tokens.every((t, j) => words[i + j]?.word === t));
    if (start >= 0) {
      full.push({ at, said: words.slice(start, start + tokens.length).map((w) => w.typed).join(' ') });
      return;
    }
    const hit = words.find((w) => tokens.some((t) => w.word === t && (w.capitalised || !everyday.has(w.word))));
    if (hit) partial.push({ at, said: hit.typed });
  });
  const found = (full.length > 0 ? full : partial).sort((a, b) => register[a.at]!.keys.full.localeCompare(register[b.at]!.keys.full));
  return { matches: found.map((f) => f.at), words: [...new Set(found.map((f) => f.said))].join(', ') };
}

describe('a child named in a sentence, looked up by word', () => {
  // Everyday words among the names (Will, Rose, May, Grace), a hyphenated name, and the same full
  // name twice, so the capital rule and the order of children of the same name are both exercised.
  const given = ['Sam', 'Will', 'Rose', 'Mary-Jane', 'Leo', 'May', 'Kai', 'Grace'];
  const family = ['Ashcombe', 'Marchbank', 'Rose', "O'Hallorann", 'Will', 'Sam', 'Grace-May'];
  const registerArb = fc.array(fc.tuple(fc.constantFrom(...given), fc.constantFrom(...family)), { minLength: 1, maxLength: 25 });
  const wordArb = fc.oneof(
    fc.constantFrom(...given, ...family, 'Mary', 'Jane', 'Grace', 'May'),
    fc.constantFrom('I', 'am', 'worried', 'about', 'attendance', 'is', 'dropping', 'and', 'the', 'twins', 'she', 'will', 'may', 'rose', 'sam', "sam's", 'LEO', 'mary-jane'),
  );
  const sentenceArb = fc.array(wordArb, { minLength: 0, maxLength: 9 }).map((ws) => ws.join(' '));

  it('finds exactly the children the whole register would, in the same order, for any sentence', () => {
    fc.assert(
      fc.property(registerArb, sentenceArb, (names, sentence) => {
        const register = names.map(([g, f]) => ({ keys: nameKeys(g, f) }));
        const index = new NameIndex(register);
        const byIndex = mentionedChildren(sentence, index);
        const expected = everyChildInTurn(sentence, register);
        expect(byIndex.matches.map((m) => register.indexOf(m))).toEqual(expected.matches);
        expect(byIndex.words).toBe(expected.words);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('what a sentence asks for', () => {
  it.each([
    ['I am worried Sam might get excluded', { kind: 'start', dialog: 'suspension' }],
    ["Leo's attendance is dropping", { kind: 'start', dialog: 'attendance' }],
    ['Hi, Leo’s attendance is dropping', { kind: 'start', dialog: 'attendance' }],
    ['new starter', { kind: 'start', dialog: 'admission' }],
    ['record a PEP', { kind: 'start', dialog: 'pep' }],
    ['hello', { kind: 'menu' }],
    ['menu', { kind: 'menu' }],
    ['help', { kind: 'help' }],
    ['stop please', { kind: 'cancel' }],
    ['go back', { kind: 'back' }],
    ['Sam Thistlewood', { kind: 'unknown' }],
  ])('"%s" is %j', (text, intent) => {
    expect(recogniseIntent(text)).toEqual(intent);
  });
});

describe('the pupil directory suggests and recognises only children of the school asked about', () => {
  const pupil = (schoolId: string, id: string, givenName: string, familyName: string): Pupil => ({
    id, schoolId, givenName, familyName, yearGroup: '4', dateOfBirth: '2017-03-14' as Pupil['dateOfBirth'], statuses: [], send: 'none', ppPlusEligible: false, carers: [], peps: [], synthetic: true,
  });
  let directory: PupilDirectory;

  beforeAll(async () => {
    const store = await createTestStore();
    const repo = new PupilRepository(store.client(TABLES.pupils));
    await repo.saveAll('school-a', [pupil('school-a', 'a1', 'Sam', 'Thistlewood'), pupil('school-a', 'a2', 'Leo', 'Hazelgrove')]);
    await repo.saveAll('school-b', [pupil('school-b', 'b1', 'Zephyrine', 'Quennell'), pupil('school-b', 'b2', 'Sam', 'Thistlewode')]);
    directory = new PupilDirectory(repo);
  });

  it('a near miss is suggested with name and year only', async () => {
    expect(await directory.suggest('school-a', 'sam thistelwood', 3)).toEqual([{ id: 'a1', label: 'Sam Thistlewood (Year 4)' }]);
  });

  it("another school's child is never suggested, however close the name", async () => {
    expect(await directory.suggest('school-a', 'Zephyrine Quenell', 3)).toEqual([]);
    expect(await directory.suggest('school-a', 'Zephyrin', 3)).toEqual([]);
    expect(await directory.suggest('school-b', 'Sam Thistlewood', 3)).toEqual([{ id: 'b2', label: 'Sam Thistlewode (Year 4)' }]);
  });

  it("another school's child is never recognised in a sentence", async () => {
    expect(await directory.mentionedIn('school-a', 'I am worried Zephyrine might get excluded', 10)).toEqual({ matches: [], words: '' });
    expect(await directory.mentionedIn('school-a', 'I am worried Sam might get excluded', 10)).toEqual({ matches: [{ id: 'a1', label: 'Sam Thistlewood (Year 4)' }], words: 'Sam' });
  });
});

describe('the cards that offer children as buttons', () => {
  const frame: FormCardFrame = { title: 'Attendance concern', questionId: 'pupil', step: 1, total: 3, canGoBack: false };
  const few = [
    { id: 'p01', label: 'Sam Thistlewood (Year 4)' },
    { id: 'p02', label: 'Sam Ashcombe (Year 2)' },
  ];
  const many = Array.from({ length: 10 }, (_, i) => ({ id: `p${i}`, label: `${'Longname'.repeat(8)} ${i} (Reception)` }));
  const long = 'Aa *bold* <at>Head</at> ${x} '.repeat(5);

  it.each([
    ['did you mean (3 suggestions)', pupilSuggestionsCard(frame, long, many.slice(0, 3))],
    ['which of these (2, as buttons)', pupilChoicesCard(frame, 'Sam', few)],
    ['which of these (10, as a list)', pupilChoicesCard(frame, 'a', many)],
  ])('%s is a valid Adaptive Card', (_name, card) => {
    expect(checkCard(card).errors).toEqual([]);
  });

  it('each button answers with its child alone: a name left in a box on the card cannot go with it', () => {
    const card = pupilSuggestionsCard(frame, 'sam thistelwood', few);
    expect(card.body.filter((e) => e.type === 'ActionSet')).toEqual([
      {
        type: 'ActionSet',
        actions: few.map((m) => ({ type: 'Action.Submit', title: m.label, data: { verb: 'answer', question: 'pupil', pupilId: m.id }, associatedInputs: 'none' })),
      },
    ]);
  });

  it('more children than a phone shows well become a list to choose from', () => {
    const card = pupilChoicesCard(frame, 'a', many);
    expect(card.body.some((e) => e.type === 'ActionSet')).toBe(false);
    expect(card.body.find((e) => e.id === 'pupilId')).toMatchObject({ type: 'Input.ChoiceSet', isRequired: true });
  });
});
