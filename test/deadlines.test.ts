import { cardText, createHarness, draftIdOf, Harness, lastCard } from './support/botHarness';
import { act, raiseSuspensionRisk } from './support/flows';
import { azuriteConnectionString, uniquePrefix } from './support/store';
import { TABLES, TableStore } from '../storage/tableStore';
import { DEMO_STAFF } from '../demo/demoSchool';

/** Kai (in care, placed by Essex) joins on Monday 30 November 2026. */
async function raiseAdmission(h: Harness): Promise<string> {
  await h.say('new starter', 'dt');
  await h.say({ verb: 'answer', question: 'onRegister', onRegister: 'yes' }, 'dt');
  await h.say({ verb: 'answer', question: 'pupil', pupilId: 'demo-p02', pupilName: '' }, 'dt');
  const confirm = lastCard(
    await h.say({ verb: 'answer', question: 'details', startDate: '2026-11-30', previousSchool: '', transitionMeetingDate: '2026-11-27', keyAdult: 'Mrs Example', peerBuddy: 'A classmate', send: 'none', statusEvidenceSeen: 'true' }, 'dt'),
  );
  await h.say({ verb: 'answer', question: 'confirm', draftId: draftIdOf(confirm) }, 'dt');
  return (await h.parts.cases.findByDraft('oakfield-demo', draftIdOf(confirm)!))!.caseId;
}

describe('tracked actions and their deadlines (fixed clock, school days)', () => {
  let now = Date.parse('2026-11-23T09:00:00Z');
  let h: Harness;
  let caseId: string;
  const at = (iso: string) => (now = Date.parse(iso));
  const cardsTo = (aad: string) => h.sender.sent.filter((s) => s.ref.aadObjectId === aad).map((s) => cardText(s.activity.attachments?.[0]?.content));

  beforeAll(async () => {
    h = await createHarness({ clock: () => new Date(now) });
    for (const who of ['dsl', 'dt'] as const) await h.install(who);
    caseId = await raiseAdmission(h);
  });

  it('every step with a deadline is tracked with its owner; "told" steps are not', async () => {
    const actions = await h.parts.cases.actions('oakfield-demo', caseId);
    const byStep = Object.fromEntries(actions.map((a) => [a.stepId, a]));
    expect(byStep['admission.cpFileFiveDays']).toMatchObject({ owner: 'DSL', deadline: '2026-12-07', statutory: true, status: 'open' });
    expect(byStep['admission.cla.pepTenDays']).toMatchObject({ owner: 'DT', deadline: '2026-12-14', statutory: true });
    // Fifteen school days from 30 November skip the Christmas holiday and the INSET day on 4 January.
    expect(byStep['admission.recordsFifteenDays']).toMatchObject({ deadline: '2027-01-05' });
    expect(actions.some((a) => a.stepId.startsWith('lead.'))).toBe(false);
  });

  it('reminds the owner the school day before and on the day, then tells the DSL once it is overdue', async () => {
    at('2026-12-03T09:00:00Z'); // Thursday: the CP file is due Monday, not tomorrow
    await h.parts.deadlines.runOnce();
    expect((await h.parts.cases.getAction('oakfield-demo', caseId, 'admission.cpFileFiveDays'))!.action.stage).toBe(0);
    at('2026-12-04T09:00:00Z'); // Friday: the next school day is Monday 7th
    expect(await h.parts.deadlines.runOnce()).toBeGreaterThanOrEqual(1);
    await h.parts.outbox.runOnce();
    expect(cardsTo('00000000-0000-0000-0000-0000000000021').some((c) => c.startsWith('Due tomorrow: ADM-'))).toBe(true);
    at('2026-12-05T10:00:00Z'); // Saturday: no reminders at weekends
    expect(await h.parts.deadlines.runOnce()).toBe(0);
    at('2026-12-07T08:00:00Z'); // Monday before school opens
    expect(await h.parts.deadlines.runOnce()).toBe(0);
    at('2026-12-07T09:00:00Z');
    await h.parts.deadlines.runOnce();
    at('2026-12-08T09:00:00Z');
    await h.parts.deadlines.runOnce();
    await h.parts.outbox.runOnce();
    const dsl = cardsTo('00000000-0000-0000-0000-0000000000021');
    expect(dsl.some((c) => c.startsWith('Due today: ADM-'))).toBe(true);
    expect(dsl.some((c) => c.startsWith('Overdue: ADM-'))).toBe(true);
    const trail = (await h.parts.cases.auditTrail('oakfield-demo', caseId)).filter((e) => e.detail.step === 'admission.cpFileFiveDays');
    expect(trail.map((e) => [e.action, e.detail.state])).toEqual([
      ['deadlineReminder', 'dueTomorrow'],
      ['deadlineReminder', 'dueToday'],
      ['overdue', 'overdue'],
    ]);
    // A second pass the same day changes nothing.
    await h.parts.deadlines.runOnce();
    expect((await h.parts.cases.auditTrail('oakfield-demo', caseId)).filter((e) => e.detail.step === 'admission.cpFileFiveDays')).toHaveLength(3);
  });

  it('"Mark done" closes the action for good (the DT may, a class teacher may not)', async () => {
    const refused = await act(h, 'completeAction', { caseId, stepId: 'admission.cpFileFiveDays' }, 'teacher');
    expect(cardText(refused.value)).toMatch(/^Due today/);
    expect((await h.parts.cases.getAction('oakfield-demo', caseId, 'admission.cpFileFiveDays'))!.action.status).toBe('open');
    const res = await act(h, 'completeAction', { caseId, stepId: 'admission.cpFileFiveDays' }, 'dt');
    expect(cardText(res.value)).toContain('Marked done by');
    expect(cardText(res.value)).toContain('Adele Vance');
    expect((await h.parts.cases.getAction('oakfield-demo', caseId, 'admission.cpFileFiveDays'))!.action).toMatchObject({ status: 'done', closedBy: 'person' });
    const open = await h.parts.cases.openActionsDueBy('oakfield-demo', '2027-12-31');
    expect(open.some((o) => o.stepId === 'admission.cpFileFiveDays')).toBe(false);
    expect((await h.parts.cases.auditTrail('oakfield-demo', caseId)).some((e) => e.action === 'actionDone')).toBe(true);
  });

  it('the end of term respects the holiday: on the last day of term, "tomorrow" is 5 January', async () => {
    at('2026-12-18T09:00:00Z');
    await h.parts.deadlines.runOnce();
    expect((await h.parts.cases.getAction('oakfield-demo', caseId, 'admission.recordsFifteenDays'))!.action.stage).toBe(1);
  });
});

/**
 * The deadline job runs every minute. Once it has reminded what is due, a pass that finds nothing
 * new must not read each open action again: a school with a few hundred open actions would
 * otherwise pay hundreds of reads a minute, all day, for nothing.
 */
describe('a deadline pass with nothing new to remind', () => {
  it('reads the open list and nothing else; when a stage is due, it acts again', async () => {
    let now = Date.parse('2026-11-23T09:00:00Z');
    const calls: string[] = [];
    const store = new TableStore({ connectionString: azuriteConnectionString(), tablePrefix: uniquePrefix(), onCall: (c) => calls.push(`${c.method} ${c.table}`) });
    await store.ensureTables();
    const h = await createHarness({ store, clock: () => new Date(now) });
    for (const who of ['dsl', 'dt'] as const) await h.install(who);
    const caseId = await raiseAdmission(h);
    now = Date.parse('2026-12-04T09:00:00Z'); // Friday: the CP file is due on Monday 7th
    const open = (await h.parts.cases.openActionsDueBy('oakfield-demo', '2026-12-07')).length;
    expect(open).toBeGreaterThanOrEqual(1);
    expect(await h.parts.deadlines.runOnce()).toBe(open);

    now = Date.parse('2026-12-04T09:01:00Z');
    calls.length = 0;
    expect(await h.parts.deadlines.runOnce()).toBe(0);
    expect(calls.filter((c) => c.endsWith(store.tableName(TABLES.cases)))).toEqual([`GET ${store.tableName(TABLES.cases)}`]);

    now = Date.parse('2026-12-07T09:00:00Z'); // Monday: due today, the next stage
    expect(await h.parts.deadlines.runOnce()).toBeGreaterThanOrEqual(1);
    expect((await h.parts.cases.getAction('oakfield-demo', caseId, 'admission.cpFileFiveDays'))!.action.stage).toBe(2);
  });
});

/**
 * The card that tells the DSL and DT about a new case lists each step with its deadline ("today",
 * "tomorrow"). A reminder a minute later saying the same again is noise that teaches staff to skim
 * the bot's cards: that card is the day's reminder, so the first reminder is the next one due.
 */
describe('an action announced on the day it is due, or the school day before', () => {
  it('is not reminded again that day: the next school day brings "due today" and "overdue"', async () => {
    let now = Date.parse('2026-11-24T10:00:00Z'); // Tuesday
    const h = await createHarness({ clock: () => new Date(now) });
    for (const who of ['dsl', 'dt'] as const) await h.install(who);
    const caseId = await raiseSuspensionRisk(h);
    const actions = await h.parts.cases.actions('oakfield-demo', caseId);
    expect(actions.filter((a) => a.deadline === '2026-11-24').length).toBeGreaterThanOrEqual(1);
    expect(actions.filter((a) => a.deadline === '2026-11-25').length).toBeGreaterThanOrEqual(1);
    await h.parts.background.settled();
    await h.parts.outbox.runOnce();
    const cards = (who: 'dsl' | 'dt') => h.sender.sent.filter((s) => s.ref.aadObjectId === DEMO_STAFF[who].aadObjectId).map((s) => cardText(s.activity.attachments?.[0]?.content));
    const reminders = (who: 'dsl' | 'dt') => cards(who).filter((c) => /^(Due today|Due tomorrow|Overdue): SUS-/.test(c));
    expect(cards('dsl').length).toBeGreaterThanOrEqual(1);
    expect(cards('dt').length).toBeGreaterThanOrEqual(1);

    now = Date.parse('2026-11-24T10:01:00Z'); // the next pass, a minute later
    expect(await h.parts.deadlines.runOnce()).toBe(0);
    now = Date.parse('2026-11-24T15:00:00Z');
    expect(await h.parts.deadlines.runOnce()).toBe(0);
    await h.parts.outbox.runOnce();
    expect([...reminders('dsl'), ...reminders('dt')]).toEqual([]);

    now = Date.parse('2026-11-25T09:00:00Z'); // Wednesday
    expect(await h.parts.deadlines.runOnce()).toBe(actions.length);
    await h.parts.outbox.runOnce();
    expect(reminders('dsl').some((c) => c.startsWith('Overdue: SUS-'))).toBe(true);
    expect(reminders('dt').some((c) => c.startsWith('Due today: SUS-'))).toBe(true);
    expect([...reminders('dsl'), ...reminders('dt')].some((c) => c.startsWith('Due tomorrow: SUS-'))).toBe(false);
    const trail = (await h.parts.cases.auditTrail('oakfield-demo', caseId)).filter((e) => e.action === 'deadlineReminder' || e.action === 'overdue');
    expect(trail.map((e) => e.detail.state).sort()).toEqual(actions.map((a) => (a.deadline === '2026-11-24' ? 'overdue' : 'dueToday')).sort());
  });
});

describe('actions for emails close themselves', () => {
  it('a delivered email closes its step; a withheld one is recorded as not needed', async () => {
    const h = await createHarness();
    const caseId = await raiseSuspensionRisk(h);
    const [vs, sw] = (await h.parts.cases.notifications('oakfield-demo', caseId)).filter((n) => n.channel === 'email');
    await act(h, 'amendCase', { caseId, amendSend: vs!.id, amendReason: 'Social worker already informed by phone.' }, 'dsl');
    await h.parts.background.settled();
    await h.parts.outbox.runOnce();
    const step = (id: string) => h.parts.cases.getAction('oakfield-demo', caseId, id).then((f) => f!.action);
    expect(await step(vs!.stepIds[0]!)).toMatchObject({ status: 'done', closedBy: 'email' });
    expect(await step(sw!.stepIds[0]!)).toMatchObject({ status: 'notNeeded', closedBy: 'decision' });
  });
});

describe('a deadline pass when the instance is stopping', () => {
  it('ends after the action in hand, and the next pass reminds the rest, each once', async () => {
    let now = Date.parse('2026-11-23T09:00:00Z');
    const h = await createHarness({ clock: () => new Date(now) });
    for (const who of ['dsl', 'dt'] as const) await h.install(who);
    const caseId = await raiseAdmission(h);
    now = Date.parse('2026-12-15T09:00:00Z'); // Tuesday: the CP file (due 7th) and the PEP (due 14th) are overdue
    const due = (await h.parts.cases.openActionsDueBy('oakfield-demo', '2026-12-16')).filter((a) => a.caseId === caseId);
    expect(due.length).toBeGreaterThanOrEqual(2);

    // The stop comes while the first action is being moved on.
    const stopping = new AbortController();
    const advance = h.parts.cases.advanceAction.bind(h.parts.cases);
    const moved = jest.spyOn(h.parts.cases, 'advanceAction').mockImplementation(async (...args) => {
      stopping.abort();
      return advance(...args);
    });
    expect(await h.parts.deadlines.runOnce(stopping.signal)).toBe(1);
    moved.mockRestore();

    // The next pass (this instance's after a restart, or another's) does the rest, and nothing twice.
    const rest = await h.parts.deadlines.runOnce();
    expect(rest).toBeGreaterThanOrEqual(1);
    expect(await h.parts.deadlines.runOnce()).toBe(0);
    const reminded = (await h.parts.cases.auditTrail('oakfield-demo', caseId)).filter((e) => e.action === 'overdue' || e.action === 'deadlineReminder');
    const steps = reminded.map((e) => String((e.detail as { step?: string } | undefined)?.step));
    expect(reminded).toHaveLength(1 + rest);
    expect(new Set(steps).size).toBe(steps.length);
  });
});
