import { SchoolCalendar } from '../policy/calendar';
import { isoDate } from '../policy/dates';
import { latestPep, pepStatus } from '../policy/pep';
import { CLA, profile, pupil } from './policy/fixtures';
import { cardText, createHarness, lastCard, MONDAY_9AM, texts } from './support/botHarness';

const cal = new SchoolCalendar(profile('leys').calendar);
const status = (peps: string[], today: string, onRollSince?: string) =>
  pepStatus(pupil([CLA], { peps: peps.map((date) => ({ date })), ...(onRollSince ? { onRollSince } : {}) }), latestPep(pupil([CLA], { peps: peps.map((date) => ({ date })) }), undefined), cal, isoDate(today), 10);

describe('PEP status of a child in care (termly, three a year; new PEP within 10 school days)', () => {
  it('a PEP meeting this term is enough until next term', () => {
    expect(status(['2026-10-06'], '2026-11-23')).toMatchObject({ state: 'ok', dueBy: '2026-12-18' });
  });
  it('none yet this term: due this term, then a reminder 10 school days before the term ends', () => {
    expect(status(['2026-07-01'], '2026-11-23')).toMatchObject({ state: 'dueThisTerm', dueBy: '2026-12-18' });
    expect(status(['2026-07-01'], '2026-12-04')).toMatchObject({ state: 'dueSoon' });
  });
  it('none last term either: overdue', () => {
    expect(status(['2026-02-05'], '2026-11-23')).toMatchObject({ state: 'overdue' });
  });
  it('a new starter needs a PEP within 10 school days of joining', () => {
    expect(status([], '2026-11-25', '2026-11-23')).toMatchObject({ state: 'newPepDue', dueBy: '2026-12-07' });
    expect(status([], '2026-12-08', '2026-11-23')).toMatchObject({ state: 'overdue', dueBy: '2026-12-07' });
  });
  it('is not asked of a child who is not in care', () => {
    expect(pepStatus(pupil([{ kind: 'CWSW', plan: 'CIN' }]), undefined, cal, isoDate('2026-11-23'), 10)).toBeUndefined();
  });
});

describe('recording a PEP meeting, and the reminders', () => {
  it('the DT records one in a short dialog; a class teacher cannot; a child not in care is refused', async () => {
    const h = await createHarness();
    expect(texts(await h.say('record a pep', 'teacher'))[0]).toMatch(/^Recording a PEP meeting is for the Designated Teacher/);

    await h.say('record a pep', 'dt');
    let replies = await h.say({ verb: 'answer', question: 'pupil', pupilId: 'demo-p07', pupilName: '' }, 'dt');
    expect(texts(replies)[0]).toMatch(/^That child is not recorded as in care/);
    replies = await h.say({ verb: 'answer', question: 'pupil', pupilId: 'demo-p02', pupilName: '' }, 'dt');
    expect(cardText(lastCard(replies))).toContain('The personal education plan (PEP) meeting');
    replies = await h.say({ verb: 'answer', question: 'details', date: '2026-12-01', note: '' }, 'dt');
    expect(texts(replies)[0]).toBe('That date is in the future: please record the PEP meeting once it has happened.');
    replies = await h.say({ verb: 'answer', question: 'details', date: '2026-11-20', note: 'Attended by carer and VS adviser' }, 'dt');
    expect(texts(replies)[0]).toBe('Recorded: a PEP meeting for Kai Marchbank (Year 6) on Fri 20 Nov 2026. The next one is due next term.');
    expect((await h.parts.peps.status('oakfield-demo', 'demo-p02'))?.lastPep).toBe('2026-11-20');
  });

  it('reminds the DT once a term about each child in care whose PEP is due or overdue, and once a year about the SDQ', async () => {
    const h = await createHarness({ clock: () => MONDAY_9AM });
    await h.install('dt');
    // PEPs: Kai (none since February) and Ellis (new starter, none yet); SDQs: Kai and Ellis (none recorded; Sam's was in May).
    expect(await h.parts.pepReminders.runOnce()).toBe(4);
    const cards = h.sender.sent.map((s) => cardText(s.activity.attachments?.[0]?.content));
    expect(cards.filter((c) => c.startsWith('PEP overdue'))).toHaveLength(2);
    const sdq = cards.filter((c) => c.startsWith('Annual SDQ due'));
    expect(sdq).toHaveLength(2);
    expect(sdq.every((c) => c.includes('Source: Promoting the health and well-being of looked-after children'))).toBe(true);
    // The demo school runs The Leys' policy, which asks for it too.
    expect(sdq.every((c) => c.includes('Source: The Leys Primary & Nursery School'))).toBe(true);
    expect(cards.some((c) => c.includes('Kai Marchbank (Year 6)'))).toBe(true);
    expect(cards.some((c) => c.includes('Ellis Fairweather (Year 2)'))).toBe(true);
    expect(cards.some((c) => c.includes('Sam Thistlewood'))).toBe(false); // had one in October
    expect(await h.parts.pepReminders.runOnce()).toBe(0);
  });
});
