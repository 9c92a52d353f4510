import { DEMO_STAFF, PLAYGROUND_TENANT_ID } from '../demo/demoSchool';
import { ActionTracker } from '../services/actionTracker';
import { cardText, createHarness, Harness } from './support/botHarness';
import { raiseSuspensionRisk } from './support/flows';

/**
 * An action given to someone else in the dashboard is theirs from then on: the reminders go to them
 * (not to the role it was the DSL's by), their card names them, and they may close it.
 */
describe('an action handed on is the new owner’s', () => {
  let now = Date.parse('2026-11-23T09:00:00Z');
  let h: Harness;
  let caseId: string;
  let step: string;
  let deadline: string;
  const cardsTo = (aad: string) => h.sender.sent.filter((s) => s.ref.aadObjectId === aad).map((s) => cardText(s.activity.attachments?.[0]?.content));

  beforeAll(async () => {
    h = await createHarness({ clock: () => new Date(now) });
    for (const who of ['dsl', 'dt', 'senco'] as const) await h.install(who);
    // A worry about a suspension for Kai (in care): one of its steps is the DSL's.
    caseId = await raiseSuspensionRisk(h);
    const dsls = (await h.parts.cases.actions('oakfield-demo', caseId)).filter((a) => a.status === 'open' && a.owner === 'DSL');
    expect(dsls.length).toBeGreaterThan(0);
    ({ stepId: step, deadline } = dsls[0]!);
  });

  it('the DSL gives one of her steps to the SENCO: the reminder goes to her, not the DSL, and names her', async () => {
    const tracker = new ActionTracker({ cases: h.parts.cases, clock: () => new Date(now), pupils: h.parts.pupils });
    const dsl = (await h.parts.directory.membership(PLAYGROUND_TENANT_ID, DEMO_STAFF.dsl.aadObjectId))!;
    const given = await tracker.change(dsl, DEMO_STAFF.dsl, caseId, step, { kind: 'reassign', to: DEMO_STAFF.senco.aadObjectId });
    expect(given).toMatchObject({ result: 'changed', action: { assigneeName: 'Lynne Robbins' } });

    now = Date.parse(`${deadline}T10:00:00Z`); // the day it is due, in school hours
    const dslBefore = cardsTo(DEMO_STAFF.dsl.aadObjectId).length;
    await h.parts.deadlines.runOnce();
    await h.parts.background.settled();
    await h.parts.outbox.runOnce();
    const lynne = cardsTo(DEMO_STAFF.senco.aadObjectId).filter((c) => c.startsWith('Due today: SUS-'));
    expect(lynne).toHaveLength(1);
    expect(lynne[0]).toContain('Lynne Robbins');
    expect(cardsTo(DEMO_STAFF.dsl.aadObjectId).slice(dslBefore).filter((c) => c.startsWith('Due today: SUS-'))).toEqual([]);
  });

  it('she may close it with the card’s "Mark done"; a class teacher still may not', async () => {
    const tracker = new ActionTracker({ cases: h.parts.cases, clock: () => new Date(now), pupils: h.parts.pupils });
    const teacher = (await h.parts.directory.membership(PLAYGROUND_TENANT_ID, DEMO_STAFF.teacher.aadObjectId))!;
    expect((await tracker.change(teacher, DEMO_STAFF.teacher, caseId, step, { kind: 'close', outcome: 'done' })).result).toBe('refused');
    const senco = (await h.parts.directory.membership(PLAYGROUND_TENANT_ID, DEMO_STAFF.senco.aadObjectId))!;
    const card = await tracker.complete(senco, DEMO_STAFF.senco, caseId, step);
    expect(cardText(card)).toContain('Marked done by');
    expect((await h.parts.cases.getAction('oakfield-demo', caseId, step))!.action).toMatchObject({ status: 'done', doneByName: 'Lynne Robbins', outcome: 'done' });
  });
});

describe('an action handed on after its reminder', () => {
  it('reminded on the day by the card that announced it, then handed on the same day: the new owner is reminded at the next pass', async () => {
    let now = Date.parse('2026-11-23T09:00:00Z');
    const h = await createHarness({ clock: () => new Date(now) });
    for (const who of ['dsl', 'dt', 'senco'] as const) await h.install(who);
    const caseId = await raiseSuspensionRisk(h);
    const { stepId, deadline } = (await h.parts.cases.actions('oakfield-demo', caseId)).find((a) => a.status === 'open' && a.owner === 'DSL')!;
    expect(deadline).toBe('2026-11-23');
    const dueToday = (aad: string) => h.sender.sent.filter((s) => s.ref.aadObjectId === aad).map((s) => cardText(s.activity.attachments?.[0]?.content)).filter((c) => c.startsWith('Due today: SUS-'));

    now = Date.parse(`${deadline}T10:00:00Z`);
    await h.parts.deadlines.runOnce();
    await h.parts.background.settled();
    await h.parts.outbox.runOnce();
    // The DSL's card about the case, an hour ago, listed the step as due today: that was the day's reminder.
    expect((await h.parts.cases.getAction('oakfield-demo', caseId, stepId))!.action.stage).toBe(2);
    expect(dueToday(DEMO_STAFF.dsl.aadObjectId)).toHaveLength(0);

    const tracker = new ActionTracker({ cases: h.parts.cases, clock: () => new Date(now), pupils: h.parts.pupils });
    const dsl = (await h.parts.directory.membership(PLAYGROUND_TENANT_ID, DEMO_STAFF.dsl.aadObjectId))!;
    expect(await tracker.change(dsl, DEMO_STAFF.dsl, caseId, stepId, { kind: 'reassign', to: DEMO_STAFF.senco.aadObjectId })).toMatchObject({ result: 'changed' });
    now += 60_000;
    expect(await h.parts.deadlines.runOnce()).toBe(1);
    await h.parts.outbox.runOnce();
    expect(dueToday(DEMO_STAFF.senco.aadObjectId)).toHaveLength(1);
    expect(dueToday(DEMO_STAFF.dsl.aadObjectId)).toHaveLength(0);
  });
});
