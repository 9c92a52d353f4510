import { cardText, createHarness, MONDAY_9AM } from './support/botHarness';
import { act, raiseSuspensionRisk } from './support/flows';

describe('approval reminders and escalation (fixed clock, school hours)', () => {
  it('reminds the DSL after 2 school hours, then escalates to the deputy and headteacher, and stops once decided', async () => {
    let now = MONDAY_9AM.getTime();
    const h = await createHarness({ clock: () => new Date(now) });
    for (const who of ['dsl', 'deputyDsl', 'headteacher'] as const) await h.install(who);
    const caseId = await raiseSuspensionRisk(h);
    const at = (hhmm: string) => Date.parse(`2026-11-23T${hhmm}:00Z`);
    const cardsTo = (aad: string) => h.sender.sent.filter((s) => s.ref.aadObjectId === aad).map((s) => cardText(s.activity.attachments?.[0]?.content));

    now = at('10:59');
    expect(await h.parts.reminders.runOnce()).toBe(0);
    now = at('11:00');
    expect(await h.parts.reminders.runOnce()).toBe(1);
    await h.parts.outbox.runOnce();
    const dsl = cardsTo('00000000-0000-0000-0000-0000000000021');
    expect(dsl).toHaveLength(2);
    expect(dsl[1]).toMatch(/^Reminder: this has been waiting for a decision since Mon 23 Nov 2026, 09:00\./);

    now = at('12:59');
    expect(await h.parts.reminders.runOnce()).toBe(0);
    now = at('13:00');
    expect(await h.parts.reminders.runOnce()).toBe(1);
    await h.parts.outbox.runOnce();
    const deputy = cardsTo('00000000-0000-0000-0000-0000000000023');
    expect(deputy.at(-1)).toMatch(/^Escalated: the DSL has not yet decided on this/);
    const head = h.sender.sent.filter((s) => s.ref.aadObjectId === '00000000-0000-0000-0000-0000000000024').map((s) => JSON.stringify(s.activity));
    expect(head.at(-1)).toContain('Escalated');
    expect(head.at(-1)).not.toContain('"verb":"approveCase"'); // the headteacher is told, not asked

    now = at('15:29');
    expect(await h.parts.reminders.runOnce()).toBe(0);
    const trail = (await h.parts.cases.auditTrail('oakfield-demo', caseId)).map((e) => e.action);
    expect(trail.filter((a) => a === 'reminded')).toHaveLength(1);
    expect(trail.filter((a) => a === 'escalated')).toHaveLength(1);

    await act(h, 'approveCase', { caseId }, 'deputyDsl');
    expect(await h.parts.cases.pendingApprovals('oakfield-demo')).toEqual([]);
  });

  it('two instances running the reminder job at the same moment send one reminder', async () => {
    let now = MONDAY_9AM.getTime();
    const a = await createHarness({ clock: () => new Date(now) });
    const b = await createHarness({ clock: () => new Date(now), store: a.store });
    const caseId = await raiseSuspensionRisk(a);
    now = Date.parse('2026-11-23T11:30:00Z');
    const [ra, rb] = await Promise.all([a.parts.reminders.runOnce(), b.parts.reminders.runOnce()]);
    expect(ra + rb).toBe(1);
    const trail = (await a.parts.cases.auditTrail('oakfield-demo', caseId)).map((e) => e.action);
    expect(trail.filter((x) => x === 'reminded')).toHaveLength(1);
  });

  it('an attendance approval waits until the end of the school day', async () => {
    let now = MONDAY_9AM.getTime();
    const h = await createHarness({ clock: () => new Date(now) });
    await h.say('attendance');
    await h.say({ verb: 'answer', question: 'pupil', pupilId: 'demo-p07', pupilName: '' });
    await h.say({ verb: 'answer', question: 'details', what: 'pattern' });
    const confirm = (await h.say('send'));
    expect(confirm.length).toBeGreaterThan(0);
    const [pending] = await h.parts.cases.pendingApprovals('oakfield-demo');
    expect(pending?.dueAt).toBe('2026-11-23T15:30:00.000Z');
    now = Date.parse('2026-11-23T15:29:00Z');
    expect(await h.parts.reminders.runOnce()).toBe(0);
  });
});
