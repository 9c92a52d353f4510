import { TableStateStorage } from '../../storage/tableStateStorage';
import { TABLES } from '../../storage/tableStore';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { cardText, createHarness, draftIdOf, lastCard, questionOf, texts } from '../support/botHarness';

const pickSam = { verb: 'answer', question: 'pupil', pupilId: 'demo-p01', pupilName: '' };
/** Where the harness's teacher's chat keeps its state. */
const key = 'msteams/conversations/conv-00000000-0000-0000-0000-0000000000020/';

/** Each dialog, interrupted after its first answer by a bot restart, carries on at the next question. */
describe.each([
  ['attendance', 'attendance', pickSam, 'details', 'pupil'],
  ['suspension', 'suspension', pickSam, 'whatHappened', 'pupil'],
  // A new starter is first asked whether they are on the register yet.
  ['admission', 'new starter', 'yes', 'pupil', 'onRegister'],
])('%s dialog survives a restart (state in Azurite)', (_name, start, firstAnswer, next, first) => {
  it('resumes at the same step with the answers so far', async () => {
    const h = await createHarness();
    await h.say(start);
    const before = await h.say(firstAnswer);
    expect(questionOf(lastCard(before))).toBe(next);
    h.restart();
    // The new instance has nothing in memory: "help" must come from the stored step.
    const replies = await h.say('help');
    expect(questionOf(lastCard(replies))).toBe(next);
    // And "back" still knows the first answer.
    const back = await h.say('back');
    expect(questionOf(lastCard(back))).toBe(first);
  });
});

describe('stored dialog state that no longer matches the code', () => {
  async function tamper(h: Awaited<ReturnType<typeof createHarness>>, edit: (json: string) => string) {
    const storage = new TableStateStorage(h.store.client(TABLES.botState));
    const items = await storage.read([key]);
    const edited = JSON.parse(edit(JSON.stringify(items[key]))) as Record<string, unknown>;
    await storage.write({ [key]: { ...edited, eTag: '*' } });
  }

  it.each([
    ['a dialog that was renamed or removed', (j: string) => j.replace(/"id":"attendance"/g, '"id":"attendanceV0"')],
    ['an older form version', (j: string) => j.replace(/"version":\d+/g, '"version":0')],
    ['answers in an old shape', (j: string) => j.replace(/"asked":\[[^\]]*\]/g, '"asked":"one"')],
  ])('restarts politely after %s', async (_case, edit) => {
    const h = await createHarness();
    await h.say('attendance');
    await h.say(pickSam);
    await tamper(h, edit);
    const replies = await h.say({ verb: 'answer', question: 'details', what: 'pattern' });
    expect(texts(replies)[0]).toBe('Sorry, I have been updated since we last spoke and could not carry on with that. Nothing was saved or sent. Please start again:');
    expect(cardText(lastCard(replies))).toContain('What would you like to do?');
    // And the next attempt works from a clean slate.
    expect(questionOf(lastCard(await h.say('attendance')))).toBe('pupil');
  });
});

describe('a dialog in progress when the bot is updated', () => {
  const stateOf = async (h: Awaited<ReturnType<typeof createHarness>>) => {
    const storage = new TableStateStorage(h.store.client(TABLES.botState));
    return { storage, json: JSON.stringify((await storage.read([key]))[key]) };
  };

  /**
   * An attendance concern at its second question, as the versions before 3 December 2026 stored it
   * (a waterfall inside a component dialog, a prompt for the question), captured from a run of that
   * version against the synthetic demo school.
   */
  const before = JSON.parse(readFileSync(path.join(__dirname, '..', 'fixtures', 'dialog-state-before-3-december-2026.json'), 'utf8')) as Record<string, unknown>;
  const savedDraft = 'f12e8820-138a-4f7b-9465-dcd76bb50f95';

  it('carries on at its question with the answers so far, from the state the version before kept', async () => {
    const h = await createHarness();
    const { storage } = await stateOf(h);
    await storage.write({ [key]: { ...before, eTag: '*' } });

    const help = await h.say('help');
    expect(questionOf(lastCard(help))).toBe('details');
    expect(cardText(lastCard(help))).toContain('About: Sam Thistlewood (Year 4)');
    // Kept from then on in today's shape alone.
    const { json } = await stateOf(h);
    expect(json).toContain('"form":');
    expect(json).not.toContain('attendance.flow');

    const confirm = lastCard(await h.say({ verb: 'answer', question: 'details', what: 'unexplainedToday', absenceType: 'notKnown', reasons: '' }));
    expect(questionOf(confirm)).toBe('confirm');
    expect(cardText(confirm)).toContain('Sam Thistlewood');
    expect(draftIdOf(confirm)).toBe(savedDraft);
    expect(questionOf(lastCard(await h.say('back')))).toBe('details');
  });

  it('restarts politely when that state is at a question the dialog no longer asks', async () => {
    const h = await createHarness();
    const { storage } = await stateOf(h);
    const renamed = JSON.parse(JSON.stringify(before).replace('"questionId":"details"', '"questionId":"detailsV0"')) as Record<string, unknown>;
    await storage.write({ [key]: { ...renamed, eTag: '*' } });
    const replies = await h.say('help');
    expect(texts(replies)[0]).toBe('Sorry, I have been updated since we last spoke and could not carry on with that. Nothing was saved or sent. Please start again:');
  });

  it('keeps who is asking and the answers once, not in each of three dialogs', async () => {
    const h = await createHarness();
    await h.say('attendance');
    await h.say(pickSam);
    const { json } = await stateOf(h);
    const draftId = /"draftId":"([^"]+)"/.exec(json)?.[1] ?? '';
    expect(draftId).not.toBe('');
    expect(json.split(draftId)).toHaveLength(2);
    expect(json.split('Sam Thistlewood (Year 4)')).toHaveLength(2);
  });
});
