import { Activity } from 'botbuilder';
import { pupilSchema } from '../../policy/pupil';
import { TABLES } from '../../storage/tableStore';
import { cardText, createHarness, Harness, lastCard, questionOf, StaffKey, texts } from '../support/botHarness';

/**
 * Recognition through the real bot (Azurite, the demo school's synthetic register): near-miss
 * names, a child and a worry in one sentence, commands at the name step, British dates and
 * numbers out of range.
 */

interface Button {
  title: string;
  data: Record<string, unknown>;
}

/** The buttons in a card's body (ActionSets), as a person sees them. */
function buttonsOf(card: Record<string, unknown> | undefined): Button[] {
  const out: Button[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const element = node as Record<string, unknown>;
    if (element.type === 'ActionSet') for (const a of element.actions as Button[]) out.push({ title: a.title, data: a.data });
    for (const key of ['body', 'items', 'columns']) walk(element[key]);
  };
  walk(card);
  return out;
}

/** Every Input.Number in a card. */
function numberInputs(card: Record<string, unknown> | undefined): Array<Record<string, unknown>> {
  return ((card?.body ?? []) as Array<Record<string, unknown>>).filter((e) => e.type === 'Input.Number');
}

async function caseCount(h: Harness): Promise<number> {
  let n = 0;
  for await (const row of h.store.client(TABLES.cases).listEntities({ queryOptions: { select: ['RowKey'] } })) if (String(row.rowKey).startsWith('case|')) n++;
  return n;
}

const pickSam = { verb: 'answer', question: 'pupil', pupilId: 'demo-p01', pupilName: '' };

describe('recognition in the guided dialogs', () => {
  let h: Harness;
  let conversations = 0;
  /** Each case in its own chat, so one case's dialog never leaks into the next. */
  const chat = (who: StaffKey = 'teacher') => {
    const id = `recognition-${++conversations}`;
    return (input: string | Record<string, unknown>) => h.say(input, who, id);
  };

  beforeAll(async () => {
    h = await createHarness();
  });

  describe('a misspelt name gets "did you mean" buttons that answer with the child', () => {
    it.each([
      ['sam thistelwood', 'Sam Thistlewood (Year 4)'],
      ['Leo Hazlegrove', 'Leo Hazelgrove (Year 6)'],
      ['popy lanternwik', 'Poppy Lanternwick (Year 3)'],
      ['Amarah Windmeer', 'Amara Windmere (Year 4)'],
      ['Rowenberry', 'Maya Rowanberry (Year 3)'],
    ])('"%s" -> %s', async (typed, label) => {
      const say = chat();
      await say('attendance');
      const replies = await say(typed);
      expect(texts(replies)).toEqual(['I could not find that name on the register. Did you mean one of these?']);
      const card = lastCard(replies);
      expect(cardText(card)).toContain('Did you mean one of these children?');
      const buttons = buttonsOf(card);
      expect(buttons.length).toBeLessThanOrEqual(3);
      const button = buttons.find((b) => b.title === label);
      expect(button).toBeDefined();
      // The button carries the child's id and nothing typed; pressing it answers the question.
      expect(Object.keys(button!.data).sort()).toEqual(['pupilId', 'question', 'verb']);
      const next = await say(button!.data);
      expect(questionOf(lastCard(next))).toBe('details');
      expect(cardText(lastCard(next))).toContain(`About: ${label}`);
    });

    it('a name nobody is close to still offers to report the child to the DSL', async () => {
      const say = chat();
      await say('attendance');
      const replies = await say('Jordan Notonroll');
      expect(texts(replies)).toEqual(['I could not find that name on the register.']);
      expect(buttonsOf(lastCard(replies))).toEqual([]);
    });

    it('"Report anyway" on the "did you mean" card reports the typed name for the DSL', async () => {
      const say = chat();
      await say('attendance');
      await say('sam thistelwood');
      const replies = await say({ verb: 'answer', question: 'pupil', notOnRegister: 'Sam Thistelwood, new in Year 4' });
      expect(questionOf(lastCard(replies))).toBe('details');
      expect(cardText(lastCard(replies))).toContain('About: Sam Thistelwood, new in Year 4 (not on the register)');
    });
  });

  describe('a child and the kind of worry in one sentence', () => {
    it.each([
      ['I am worried Sam might get excluded', 'Worry about a suspension', 'whatHappened', 'Sam Thistlewood (Year 4)'],
      ["Leo's attendance is dropping", 'Attendance concern', 'details', 'Leo Hazelgrove (Year 6)'],
      ['Leo’s attendance is dropping', 'Attendance concern', 'details', 'Leo Hazelgrove (Year 6)'],
      ['Hi, I think Poppy Lanternwick keeps missing school', 'Attendance concern', 'details', 'Poppy Lanternwick (Year 3)'],
      ['amara was sent home at lunch', 'Worry about a suspension', 'whatHappened', 'Amara Windmere (Year 4)'],
    ])('"%s" starts "%s" about the child', async (sentence, title, question, label) => {
      const say = chat();
      const replies = await say(sentence);
      expect(texts(replies)).toEqual([`This is about ${label}. If that is not the child you mean, press Back or type "back".`]);
      const card = lastCard(replies);
      expect(questionOf(card)).toBe(question);
      expect(cardText(card)).toContain(`${title}: step 2 of`);
      expect(cardText(card)).toContain(`About: ${label}`);
    });

    it('"back" from there asks which child, instead of choosing the same one again', async () => {
      const say = chat();
      await say('I am worried Sam might get excluded');
      const replies = await say('back');
      expect(questionOf(lastCard(replies))).toBe('pupil');
      expect(cardText(lastCard(replies))).toContain('Which child is this about?');
      expect(questionOf(lastCard(await say('Leo Hazelgrove')))).toBe('whatHappened');
    });

    it('a sentence that names no child asks which child, as before', async () => {
      const say = chat();
      const replies = await say('I am worried about a possible suspension');
      expect(texts(replies)).toEqual([]);
      expect(questionOf(lastCard(replies))).toBe('pupil');
    });

    it('a PEP meeting for a child named in the sentence is still only for a child in care', async () => {
      let say = chat('dt');
      let replies = await say('record a PEP for Sam');
      expect(texts(replies)[0]).toBe('This is about Sam Thistlewood (Year 4). If that is not the child you mean, press Back or type "back".');
      expect(questionOf(lastCard(replies))).toBe('details');
      // A date typed as a message where the card asks only for the date.
      replies = await say('last Friday');
      expect(texts(replies)[0]).toMatch(/^Recorded: a PEP meeting for Sam Thistlewood \(Year 4\) on Fri 20 Nov 2026\./);
      say = chat('dt');
      replies = await say('record a PEP for Leo');
      expect(texts(replies)).toEqual(['That child is not recorded as in care, so there is no PEP to record. If the register is wrong, please tell the DSL.']);
      expect(questionOf(lastCard(replies))).toBe('pupil');
    });
  });

  describe('commands typed at the name step are commands, never a child\'s name', () => {
    it.each([
      ['new starter', 'Stopped: Attendance concern. Nothing was saved.', 'A child joining us: step 1 of'],
      ['suspension', 'Stopped: Attendance concern. Nothing was saved.', 'Worry about a suspension: step 1 of'],
      ['menu', 'Stopped: Attendance concern. Nothing was saved.', 'Children with a social worker'],
      ['hello', 'Stopped: Attendance concern. Nothing was saved.', 'Children with a social worker'],
      ['help', 'Choose the child from the list as you type, or type their name.', 'Attendance concern: step 1 of'],
      ['what can you do', 'Choose the child from the list as you type, or type their name.', 'Attendance concern: step 1 of'],
      ['cancel', 'Stopped. Nothing has been saved or sent. Type "menu" to start again.', undefined],
      ['stop please', 'Stopped. Nothing has been saved or sent. Type "menu" to start again.', undefined],
      ['back', 'This is the first question.', 'Attendance concern: step 1 of'],
      ['attendance', 'Which child is this about? Type their name, or choose them from the list.', 'Attendance concern: step 1 of'],
    ])('"%s" at the name step: "%s"', async (typed, said, cardSays) => {
      const say = chat();
      await say('attendance');
      const replies = await say(typed);
      expect(texts(replies)[0]).toMatch(new RegExp(`^${said.replace(/[.?()]/g, '\\$&')}`));
      expect(texts(replies).join(' ')).not.toMatch(/could not find that name|Did you mean/);
      if (cardSays) expect(cardText(lastCard(replies))).toContain(cardSays);
      else expect(lastCard(replies)).toBeUndefined();
    });

    it('"new starter" typed into the card\'s name box starts the new-starter dialog too', async () => {
      const say = chat();
      await say('attendance');
      const replies = await say({ verb: 'answer', question: 'pupil', pupilId: 'notListed', pupilName: 'new starter' });
      expect(texts(replies)[0]).toBe('Stopped: Attendance concern. Nothing was saved.');
      expect(cardText(lastCard(replies))).toContain('A child joining us: step 1 of');
    });

    it('a sentence about another worry switches to it, with the child it names', async () => {
      const say = chat();
      await say('attendance');
      const replies = await say("I'm worried Leo might be excluded");
      expect(texts(replies)).toEqual(['Stopped: Attendance concern. Nothing was saved.', 'This is about Leo Hazelgrove (Year 6). If that is not the child you mean, press Back or type "back".']);
      expect(questionOf(lastCard(replies))).toBe('whatHappened');
    });

    it('with answers further on, another dialog\'s name does not throw them away', async () => {
      const say = chat();
      await say('attendance');
      await say(pickSam);
      await say({ verb: 'answer', question: 'details', what: 'unexplainedToday', absenceType: 'notKnown', reasons: '', sessionsMissed: '', attendancePercent: '72', consecutiveUnauthorisedDays: '', alreadyDone: '' });
      await say('back');
      expect(questionOf(lastCard(await say('back')))).toBe('pupil');
      const replies = await say('new starter');
      expect(texts(replies)).toEqual(['You are in the middle of: Attendance concern. Finish it, or type "cancel" to stop it first. Here is where we are:']);
      expect(questionOf(lastCard(replies))).toBe('pupil');
      // Nothing was lost: the details come back as they were.
      expect(JSON.stringify(lastCard(await say(pickSam)))).toContain('"value":72');
    });

    it('at a later step the same words are an answer (a description may mention an exclusion)', async () => {
      const say = chat();
      await say('suspension');
      await say(pickSam);
      const replies = await say('He was nearly excluded last year; today he hit another child at lunch.');
      expect(questionOf(lastCard(replies))).toBe('tried');
      expect(await caseCount(h)).toBe(0);
    });
  });

  describe('typed dates and numbers in the forms', () => {
    async function toDecision(say: ReturnType<typeof chat>) {
      await say('suspension');
      await say(pickSam);
      await say('Hit another child at lunch.');
      await say({ verb: 'answer', question: 'tried', tried: '', triedOther: '', sendConsiderations: '' });
      return say('yes');
    }

    it.each([
      ['7th December', 'Mon 7 Dec 2026'],
      ['07/12/2026', 'Mon 7 Dec 2026'],
      ['7/12', 'Mon 7 Dec 2026'],
      ['next Monday', 'Mon 30 Nov 2026'],
      ['2026-12-07', 'Mon 7 Dec 2026'],
    ])('a first day typed as "%s" is %s', async (typed, shown) => {
      const say = chat('dt');
      expect(questionOf(lastCard(await toDecision(say)))).toBe('decision');
      let replies = await say({ verb: 'answer', question: 'decision', kind: 'suspension', startDate: typed, days: '2' });
      expect(texts(replies)).toEqual([]);
      expect(questionOf(lastCard(replies))).toBe('consulted');
      replies = await say('none');
      expect(questionOf(lastCard(replies))).toBe('confirm');
      expect(cardText(lastCard(replies))).toContain(shown);
    });

    it.each([
      ['31/02/2026', 'The first day: There is no such date: please check the day and the month (for example 7/12/2026, 7 December or next Monday).'],
      ['Friday', 'The first day: Friday could be Fri 20 Nov 2026 or Fri 27 Nov 2026: please say "last Friday" or "this Friday", or type the date.'],
      ['soon', 'The first day: I could not read that as a date. Please type it for example 7/12/2026, 7 December or next Monday.'],
    ])('a first day typed as "%s" is asked again: %s', async (typed, message) => {
      const say = chat('dt');
      await toDecision(say);
      const replies = await say({ verb: 'answer', question: 'decision', kind: 'suspension', startDate: typed, days: '2' });
      expect(texts(replies)).toEqual([message]);
      expect(questionOf(lastCard(replies))).toBe('decision');
      expect(cardText(lastCard(replies))).toContain(message);
    });

    it.each([
      [{ attendancePercent: '150' }, 'Attendance must be between 0 and 100%'],
      [{ attendancePercent: '-5' }, 'Attendance must be between 0 and 100%'],
      [{ consecutiveUnauthorisedDays: '-3' }, 'Days in a row must be between 0 and 400'],
      [{ sessionsMissed: '401' }, 'Sessions missed must be between 0 and 400'],
    ])('%j is asked again with the range, not changed to fit', async (numbers, message) => {
      const say = chat();
      await say('attendance');
      await say(pickSam);
      const replies = await say({ verb: 'answer', question: 'details', what: 'missedSessions', absenceType: 'notKnown', reasons: '', sessionsMissed: '', attendancePercent: '', consecutiveUnauthorisedDays: '', alreadyDone: '', ...numbers });
      expect(texts(replies)).toEqual([message]);
      expect(questionOf(lastCard(replies))).toBe('details');
    });

    it('the number boxes carry no min or max a client could clamp to, and show their range', async () => {
      const say = chat('dt');
      await say('attendance');
      const details = lastCard(await say(pickSam));
      const decision = lastCard(await toDecision(chat('dt')));
      const inputs = [...numberInputs(details), ...numberInputs(decision)];
      expect(inputs.map((i) => i.id)).toEqual(['sessionsMissed', 'attendancePercent', 'consecutiveUnauthorisedDays', 'days']);
      for (const input of inputs) {
        expect(input).not.toHaveProperty('min');
        expect(input).not.toHaveProperty('max');
        expect(String(input.placeholder)).toMatch(/^\d+(\.\d+)? to \d+$/);
      }
    });
  });
});

describe('two children with the same first name', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
    const second = pupilSchema.parse({ id: 'demo-p90', schoolId: 'oakfield-demo', givenName: 'Sam', familyName: 'Ashcombe', yearGroup: '2', dateOfBirth: '2019-02-02', synthetic: true });
    await h.parts.pupilRepo.saveAll('oakfield-demo', [second]);
    h.parts.pupils.invalidate('oakfield-demo');
  });

  it('"I am worried Sam might get excluded" asks which Sam, with a button for each', async () => {
    let replies: Partial<Activity>[] = await h.say('I am worried Sam might get excluded');
    expect(texts(replies)).toEqual(['More than one child could be meant. Which one?']);
    const card = lastCard(replies);
    expect(cardText(card)).toContain('You typed:\nSam');
    const buttons = buttonsOf(card);
    expect(buttons.map((b) => b.title)).toEqual(['Sam Ashcombe (Year 2)', 'Sam Thistlewood (Year 4)']);
    replies = await h.say(buttons[1]!.data);
    expect(questionOf(lastCard(replies))).toBe('whatHappened');
    expect(cardText(lastCard(replies))).toContain('About: Sam Thistlewood (Year 4)');
  });

  it('typing "Sam" at the name step offers both as buttons', async () => {
    await h.say('attendance', 'teacher', 'two-sams-typed');
    const replies = await h.say('Sam', 'teacher', 'two-sams-typed');
    expect(buttonsOf(lastCard(replies)).map((b) => b.title)).toEqual(['Sam Ashcombe (Year 2)', 'Sam Thistlewood (Year 4)']);
  });
});
