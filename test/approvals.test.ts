import { ExternalNotification } from '../policy/caseRecord';
import { cardText, createHarness, Harness, MONDAY_9AM, RecordingMailer } from './support/botHarness';
import { act, raiseSuspensionRisk, recordDecidedSuspension } from './support/flows';
import { checkCard } from './support/validateCard';

async function externals(h: Harness, caseId: string): Promise<ExternalNotification[]> {
  return (await h.parts.cases.notifications('oakfield-demo', caseId)).filter((n): n is ExternalNotification & { etag: string } => n.channel === 'email');
}
async function actions(h: Harness, caseId: string): Promise<string[]> {
  return (await h.parts.cases.auditTrail('oakfield-demo', caseId)).map((e) => e.action);
}

describe('DSL approvals (Action.Execute)', () => {
  let h: Harness;
  let mailer: RecordingMailer;
  let caseId: string;

  beforeEach(async () => {
    mailer = new RecordingMailer();
    h = await createHarness({ mailer });
    for (const who of ['dsl', 'deputyDsl', 'dt'] as const) await h.install(who);
    caseId = await raiseSuspensionRisk(h);
  });

  it('the DSL and the deputy get the approval card with buttons; the DT gets the case without them', async () => {
    const byPerson = (aad: string) => h.sender.sent.filter((s) => s.ref.aadObjectId === aad).map((s) => JSON.stringify(s.activity));
    expect(byPerson('00000000-0000-0000-0000-0000000000021')[0]).toContain('"verb":"approveCase"');
    expect(byPerson('00000000-0000-0000-0000-0000000000023')[0]).toContain('"verb":"approveCase"');
    expect(byPerson('00000000-0000-0000-0000-0000000000022')[0]).not.toContain('approveCase');
    const card = h.sender.sent.find((s) => s.ref.aadObjectId === '00000000-0000-0000-0000-0000000000021')!.activity.attachments![0]!.content;
    expect(checkCard(card).errors).toEqual([]);
    // refresh.userIds carries the approvers' Teams ids (MRIs), not their Entra object ids.
    expect((card as { refresh: { userIds: string[] } }).refresh.userIds).toEqual(['29:00000000-0000-0000-0000-0000000000021', '29:00000000-0000-0000-0000-0000000000023']);
  });

  it('approve: every external message is released, sent once, and the chronology says who and when', async () => {
    const res = await act(h, 'approveCase', { caseId }, 'dsl');
    expect(res.statusCode).toBe(200);
    expect(cardText(res.value)).toContain('Approved by Megan Bowen at Mon 23 Nov 2026, 09:00');
    expect(JSON.stringify(res.value)).not.toContain('approveCase');
    expect((await externals(h, caseId)).map((n) => n.status)).toEqual(['pending', 'pending']);
    await h.parts.background.settled();
    const pass = await h.parts.outbox.runOnce();
    expect(pass.delivered).toBe(2);
    expect(mailer.sent.map((m) => m.email.to.address).sort()).toEqual(['priya.castell@essex-socialcare.example.org', 'virtualschool@essex-vs.example.org']);
    expect((await externals(h, caseId)).map((n) => n.status)).toEqual(['delivered', 'delivered']);
    expect(await h.parts.outbox.runOnce()).toMatchObject({ delivered: 0 });
    expect(mailer.sent).toHaveLength(2);
    const trail = await h.parts.cases.auditTrail('oakfield-demo', caseId);
    const approved = trail.find((e) => e.action === 'approved')!;
    expect(approved.actor).toEqual({ aadObjectId: '00000000-0000-0000-0000-0000000000021', name: 'Megan Bowen' });
    expect(trail.filter((e) => e.action === 'delivered')).toHaveLength(2);
  });

  it('the email carries only what its recipient needs: never the teacher\'s words or the child\'s other statuses', async () => {
    await act(h, 'amendCase', { caseId, amendSend: (await externals(h, caseId)).map((n) => n.id).join(','), amendReason: 'Adding context for the Virtual School', amendNote: 'Please call Adele before Wednesday.' }, 'dsl');
    await h.parts.background.settled();
    await h.parts.outbox.runOnce();
    const vs = mailer.sent.find((m) => m.email.to.address === 'virtualschool@essex-vs.example.org')!.email;
    expect(vs.text).toContain('  Child: Kai Marchbank\n  Date of birth: Thu 22 Jan 2015\n  Year group: Year 6');
    expect(vs.text).toContain('No decision has been made. Before any decision, we would like to discuss with you the reasons and the support that could avoid it.');
    expect(vs.text).toContain('A note from Megan Bowen, our Designated Safeguarding Lead:\nPlease call Adele before Wednesday.');
    expect(vs.text).toContain('Please reply to Adele Vance (Designated Teacher), adele.vance@oakfield.example.org.');
    expect(vs.subject).toMatch(/^Oakfield Primary \(demo\): risk of suspension – please reply by Mon 23 Nov 2026 – ref SUS-[A-Z2-9]{5}$/);
    expect(vs.text).not.toContain('Jamie Example');
    expect(vs.text).not.toContain('pushed a chair');
    expect(vs.text).not.toMatch(/section 20|voluntary agreement|SEN support|Child in Need/);
  });

  it('amend: a reason is required; then only the chosen messages go and the others are recorded as not sent', async () => {
    const [vs, sw] = await externals(h, caseId);
    const noReason = await act(h, 'amendCase', { caseId, amendSend: vs!.id, amendReason: '' }, 'dsl');
    expect(cardText(noReason.value)).toContain('Please give a reason');
    expect(JSON.stringify(noReason.value)).toContain('approveCase');
    expect(await actions(h, caseId)).not.toContain('amended');
    const res = await act(h, 'amendCase', { caseId, amendSend: vs!.id, amendReason: 'The social worker already knows; spoke this morning.' }, 'dsl');
    expect(cardText(res.value)).toContain('Amended by Megan Bowen');
    expect(cardText(res.value)).toContain('The social worker already knows; spoke this morning.');
    const after = await externals(h, caseId);
    expect(after.find((n) => n.id === vs!.id)!.status).toBe('pending');
    expect(after.find((n) => n.id === sw!.id)!.status).toBe('notSent');
    const entry = (await h.parts.cases.auditTrail('oakfield-demo', caseId)).find((e) => e.action === 'amended')!;
    expect(entry.detail).toMatchObject({ send: 1, withheld: 1, reason: 'The social worker already knows; spoke this morning.' });
  });

  it('decline: a reason is required; then nothing leaves the school', async () => {
    const noReason = await act(h, 'declineCase', { caseId }, 'dsl');
    expect(cardText(noReason.value)).toContain('Please give a reason');
    const res = await act(h, 'declineCase', { caseId, declineReason: 'Already discussed with the Virtual School by phone today.' }, 'dsl');
    expect(cardText(res.value)).toContain('Declined by Megan Bowen');
    expect((await externals(h, caseId)).map((n) => n.status)).toEqual(['notSent', 'notSent']);
    await h.parts.background.settled();
    await h.parts.outbox.runOnce();
    expect(mailer.sent).toEqual([]);
    expect(await actions(h, caseId)).toContain('declined');
  });

  it('a non-approver\'s click changes nothing and gets a clear, read-only card', async () => {
    for (const who of ['teacher', 'dt', 'headteacher'] as const) {
      const res = await act(h, 'approveCase', { caseId }, who);
      expect(res.statusCode).toBe(200);
      expect(cardText(res.value)).toContain('Only the Designated Safeguarding Lead (DSL) or a deputy can decide this. Nothing has changed.');
      expect(JSON.stringify(res.value)).not.toContain('"verb":"approveCase"');
    }
    expect((await externals(h, caseId)).map((n) => n.status)).toEqual(['awaitingApproval', 'awaitingApproval']);
  });

  it('someone not on the staff list is refused with 403', async () => {
    const body = (await h.invoke('adaptiveCard/action', { action: { type: 'Action.Execute', verb: 'approveCase', data: { caseId } } }, { aadObjectId: 'stranger', name: 'Stranger' })) as { statusCode: number };
    expect(body.statusCode).toBe(403);
  });

  it('the same invoke delivered three times makes exactly one decision; the repeats are told who decided', async () => {
    const responses = [];
    for (let i = 0; i < 3; i++) responses.push(await act(h, 'approveCase', { caseId }, 'dsl'));
    expect(cardText(responses[0]!.value)).toContain('Approved by Megan Bowen');
    expect(cardText(responses[1]!.value)).toContain('Already approved by Megan Bowen at Mon 23 Nov 2026, 09:00.');
    expect(cardText(responses[2]!.value)).toContain('Already approved by Megan Bowen');
    expect((await actions(h, caseId)).filter((a) => a === 'approved')).toHaveLength(1);
  });

  it('after a decision every approver\'s copy of the card is updated in place', async () => {
    await act(h, 'approveCase', { caseId }, 'deputyDsl');
    await h.parts.background.settled();
    const updated = h.sender.updates.map((u) => u.ref.aadObjectId).sort();
    expect(updated).toEqual(['00000000-0000-0000-0000-0000000000021', '00000000-0000-0000-0000-0000000000023']);
    for (const u of h.sender.updates) expect(cardText(u.activity.attachments![0]!.content)).toContain('Approved by Isaiah Langer');
  });

  it('refresh shows buttons to an approver and the status to anyone else', async () => {
    expect(JSON.stringify((await act(h, 'refreshApproval', { caseId }, 'dsl')).value)).toContain('"verb":"approveCase"');
    expect(JSON.stringify((await act(h, 'refreshApproval', { caseId }, 'teacher')).value)).not.toContain('"verb":"approveCase"');
  });

  it('malformed or unknown card actions get a 400, not a stack trace', async () => {
    expect((await act(h, 'approveCase', { caseId: "x' or 1 eq 1" }, 'dsl')).statusCode).toBe(400);
    expect((await act(h, 'deleteEverything', { caseId }, 'dsl')).statusCode).toBe(400);
    expect((await act(h, 'approveCase', {}, 'dsl')).statusCode).toBe(400);
    expect((await externals(h, caseId)).map((n) => n.status)).toEqual(['awaitingApproval', 'awaitingApproval']);
  });
});

/**
 * Once a suspension is decided the law requires the local authority, the social worker and the
 * Virtual School Head to be told without delay (School Discipline Regulations 2012, reg. 5): a DSL
 * may change their wording, never decline them; not approved in time, they go to the headteacher.
 */
describe('approvals of the notifications the law requires', () => {
  let h: Harness;
  let mailer: RecordingMailer;
  let caseId: string;
  let now: Date;

  beforeEach(async () => {
    mailer = new RecordingMailer();
    now = MONDAY_9AM;
    h = await createHarness({ mailer, clock: () => now });
    for (const who of ['dsl', 'deputyDsl', 'headteacher'] as const) await h.install(who);
    caseId = await recordDecidedSuspension(h);
    await h.parts.background.settled();
  });

  it('the approval card marks them as required by law; a decline is refused, saying why', async () => {
    const card = h.sender.sent.find((s) => s.ref.aadObjectId === '00000000-0000-0000-0000-0000000000021')!.activity.attachments![0]!.content;
    expect(cardText(card)).toContain('Required by law: it can be amended, not declined.');
    const res = await act(h, 'declineCase', { caseId, declineReason: 'I do not want to send these' }, 'dsl');
    expect(cardText(res.value)).toContain('These notifications are required by law once a suspension is decided, so they cannot be declined.');
    expect((await externals(h, caseId)).every((n) => n.status === 'awaitingApproval')).toBe(true);
  });

  it('an amend that unticks them still sends them', async () => {
    const res = await act(h, 'amendCase', { caseId, amendSend: '', amendReason: 'Changing the wording only', amendNote: 'We will phone you as well.' }, 'dsl');
    expect(cardText(res.value)).toContain('Amended by Megan Bowen');
    await h.parts.background.settled();
    await h.parts.outbox.runOnce();
    expect(mailer.sent.map((m) => m.email.to.address).sort()).toEqual(['exclusions@herts-la.example.org', 'priya.castell@essex-socialcare.example.org', 'virtualschool@essex-vs.example.org']);
    expect(mailer.sent.every((m) => m.email.text.includes('We will phone you as well.'))).toBe(true);
  });

  it('the headteacher, whose duty they are, may approve them; not approved within the window, they are escalated to the headteacher at once', async () => {
    const HEAD = '00000000-0000-0000-0000-0000000000024';
    expect(h.sender.sent.some((s) => s.ref.aadObjectId === HEAD && JSON.stringify(s.activity).includes('"verb":"approveCase"'))).toBe(true);
    // The suspension window is 2 school hours: at 11:30 the first move is the escalation, not a reminder to the DSL.
    now = new Date(MONDAY_9AM.getTime() + 150 * 60_000);
    expect(await h.parts.reminders.runOnce()).toBe(1);
    const trail = await h.parts.cases.auditTrail('oakfield-demo', caseId);
    expect(trail.filter((e) => e.action === 'escalated')).toHaveLength(1);
    expect(trail.filter((e) => e.action === 'reminded')).toHaveLength(0);
    await h.parts.outbox.runOnce();
    expect(h.sender.sent.filter((s) => s.ref.aadObjectId === HEAD && cardText(s.activity.attachments?.[0]?.content).startsWith('Escalated'))).toHaveLength(1);
    const res = await act(h, 'approveCase', { caseId }, 'headteacher');
    expect(cardText(res.value)).toContain('Approved by Patti Fernandez');
    await h.parts.background.settled();
    await h.parts.outbox.runOnce();
    expect(mailer.sent).toHaveLength(3);
  });
});
