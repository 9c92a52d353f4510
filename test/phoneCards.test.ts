import { approvalCard, APPROVAL_PLAN_ID, ApprovalCardInput } from '../cards/approvalCard';
import { CardElement } from '../cards/adaptiveCard';
import { DEMO_STAFF, demoSchool } from '../demo/demoSchool';
import { caseAnswersSchema, CaseAnswersInput } from '../policy/cases';
import { staffNotifications } from '../policy/caseRecord';
import { IsoDate } from '../policy/dates';
import { Timing } from '../policy/routing/step';
import { routingPlan } from '../policy/routingPlan';
import { loadSchoolProfile } from '../policy/schoolProfile';
import { planByPerson } from '../policy/stepOwners';
import { leadView, whenLabel } from '../policy/views';
import { decisionLine } from '../services/approvalService';
import { postActivity, teamsMessage } from './support/activities';
import { startTestApp, TestApp } from './support/app';
import { ConnectorStub } from './support/connectorStub';
import { CLA, MONDAY, pupil } from './policy/fixtures';
import { checkCard } from './support/validateCard';

/**
 * Cards made for a phone (issue 18): the teacher's confirmation says who does what once per person,
 * "You" first; the DSL's approval card puts the buttons before the folded-away plan and, once
 * decided, the outcome first; a form card once used loses its buttons. SYNTHETIC data only.
 */

const school = loadSchoolProfile(demoSchool);
const teacher = DEMO_STAFF.teacher;

function suspensionPlan() {
  const answers: CaseAnswersInput = { caseType: 'suspension', stage: 'atRisk', whatHappened: 'Pushed a chair over.', tried: ['softStart'], consultedBeforeDecision: [] };
  return { plan: routingPlan('suspension', answers, pupil([CLA]), school, MONDAY), answers: caseAnswersSchema.parse(answers) };
}

const texts = (els: readonly CardElement[]): string => JSON.stringify(els);

describe('who does what, grouped by person', () => {
  const { plan } = suspensionPlan();
  const people = planByPerson(plan, school, teacher, teacher.aadObjectId);

  it('names each person once, by name and role, each with their own tasks, deadlines first', () => {
    const names = people.map((p) => p.who);
    expect(new Set(names).size).toBe(names.length);
    expect(names.some((n) => n.startsWith('Megan Bowen'))).toBe(true);
    expect(names.some((n) => n.startsWith('Adele Vance'))).toBe(true);
    expect(plan.steps.length).toBeGreaterThan(people.length);
    for (const p of people) for (const t of p.tasks) expect(t.when).not.toMatch(/\(.*\(/);
  });

  it('puts "You" first for what falls to the teacher who raised it, and never for what others own', () => {
    const answers: CaseAnswersInput = { caseType: 'attendance', unexplainedToday: true, pattern: false, punctuality: false, absenceType: 'notKnown', reasons: [] };
    const attendance = routingPlan('attendance', answers, pupil([CLA]), school, MONDAY);
    const mine = attendance.steps.filter((s) => s.owner === 'teacher');
    expect(mine.length).toBeGreaterThan(0);
    const lines = planByPerson(attendance, school, teacher, teacher.aadObjectId);
    expect(lines[0]!.who).toBe('You');
    expect(lines[0]!.tasks.map((t) => t.what)).toEqual(mine.map((s) => s.staffWhat));
    // The DSL reading the same plan sees their own tasks as "You", and the teacher's by name.
    const forDsl = planByPerson(attendance, school, teacher, DEMO_STAFF.dsl.aadObjectId);
    expect(forDsl.find((p) => p.you)?.tasks.length).toBeGreaterThan(0);
    expect(forDsl.some((p) => p.who.startsWith('Megan Bowen'))).toBe(false);
    expect(forDsl.some((p) => p.who === 'Alex Wilber, member of staff')).toBe(true);
  });

  it('names the same people the cards go to (one source of truth for owners)', () => {
    const carded = new Set(staffNotifications(school, 'case-1', plan, teacher).map((n) => n.to.name));
    const owners = people.filter((p) => !p.you).flatMap((p) => p.who.split(', ')[0]!.split(' or '));
    for (const name of owners) expect(carded).toContain(name);
  });
});

describe('deadline words', () => {
  const timings: Timing[] = [{ kind: 'immediately' }, { kind: 'sameDay' }, { kind: 'withoutDelay' }, { kind: 'promptly' }, { kind: 'schoolDays', days: 5, from: 'today' }, { kind: 'byDate', label: 'the last day of the suspension' }];
  it.each(timings)('%o reads without brackets inside brackets, and in one date format', (timing) => {
    const words = whenLabel(timing, '2026-12-01' as IsoDate, '2026-11-23' as IsoDate);
    expect(words).not.toMatch(/\(.*\(/);
    expect(words).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  });
});

describe("the DSL's approval card on a phone", () => {
  const { plan, answers } = suspensionPlan();
  const base: ApprovalCardInput = {
    ref: 'SUS-ABCDE',
    title: 'Worry about a suspension',
    subject: 'Sam Thistlewood (Year 4)',
    raisedBy: 'Alex Wilber',
    raisedAt: 'Mon 23 Nov 2026, 09:00',
    summary: [['What happened', String(answers.caseType === 'suspension' ? answers.whatHappened : '')]],
    caseId: '20261123090000Z0-ABCDEF',
    view: leadView(plan),
    external: [{ notificationId: 'n1', recipient: 'Hertfordshire Virtual School (demo)', summary: 'Told before any decision, by Tue 24 Nov 2026' }],
    approverMris: ['29:dsl'],
    forApprover: true,
  };

  it('has the buttons before the plan, and the plan folded away behind a toggle', () => {
    const card = approvalCard(base);
    expect(checkCard(card).errors).toEqual([]);
    expect(card.actions).toBeUndefined();
    const buttons = card.body.findIndex((e) => e.type === 'ActionSet' && texts([e]).includes('approveCase'));
    const planAt = card.body.findIndex((e) => e.id === APPROVAL_PLAN_ID);
    expect(buttons).toBeGreaterThan(0);
    expect(planAt).toBeGreaterThan(buttons);
    expect(card.body[planAt]!.isVisible).toBe(false);
    // Nothing about the plan's reasons and sources is above the buttons.
    expect(texts(card.body.slice(0, buttons))).not.toContain('Source:');
  });

  it('once decided, opens with the outcome and has no buttons', () => {
    const card = approvalCard({ ...base, forApprover: false, decided: { outcome: 'approved', by: 'Megan Bowen', at: 'Mon 23 Nov 2026, 09:12', sent: 1, withheld: 0 } });
    expect(checkCard(card).errors).toEqual([]);
    expect(card.body[1]!.text).toBe('Approved by Megan Bowen at Mon 23 Nov 2026, 09:12');
    expect(texts(card.body)).not.toContain('approveCase');
    expect(card.refresh).toBeUndefined();
  });

  it('the one line the DSL reads after deciding', () => {
    expect(decisionLine('SUS-ABCDE', 'approved', 2, 0)).toBe('Approved SUS-ABCDE: 2 messages going outside school now.');
    expect(decisionLine('SUS-ABCDE', 'amended', 1, 1)).toBe('Amended SUS-ABCDE: 1 message going outside school now, 1 not sent.');
    expect(decisionLine('SUS-ABCDE', 'declined', 0, 2)).toBe('Declined SUS-ABCDE: nothing goes outside school, 2 not sent.');
  });
});

describe('a form card once used (over HTTP, as Teams posts a card button press)', () => {
  let app: TestApp;
  const connector = new ConnectorStub();
  const conversationId = 'conv-used-cards';

  beforeAll(async () => {
    await connector.start();
    app = await startTestApp({ ALLOWED_SERVICE_URLS: connector.url });
  });
  afterAll(async () => {
    await app?.stop();
    await connector.stop();
  });

  const sentHere = () => connector.sent.filter((s) => s.conversationId === conversationId);
  /** The id the connector gave the last card sent here as a new message. */
  const lastCardId = () => `stub-${connector.sent.map((s) => s.conversationId).lastIndexOf(conversationId) + 1}`;
  /** Presses a button on a card, as Teams does: the message names the card it came from. */
  async function press(cardId: string, value: Record<string, unknown>): Promise<void> {
    const res = await postActivity(app.url, { ...teamsMessage({ serviceUrl: connector.url, conversationId, value }), replyToId: cardId });
    expect(res.status).toBe(200);
  }
  const updatesOf = (id: string) => connector.updated.filter((u) => u.activityId === id);
  const cardIn = (body: Record<string, unknown>) => (body.attachments as Array<{ content: { body: CardElement[]; actions?: Array<{ data?: Record<string, string> }> } }>)[0]!.content;
  /** The question a card asks, by the data its answer button sends. */
  const questionOf = (body: Record<string, unknown>) => cardIn(body).actions?.find((a) => a.data?.verb === 'answer')?.data?.question;

  it('moves through the form as one card, each answer replaced by the next question, ending as the receipt with the reference', async () => {
    expect((await postActivity(app.url, teamsMessage({ serviceUrl: connector.url, conversationId, text: 'attendance' }))).status).toBe(200);
    const formCard = lastCardId();
    const sentBefore = sentHere().length;
    expect(questionOf(sentHere().at(-1)!.body)).toBe('pupil');

    await press(formCard, { verb: 'answer', question: 'pupil', pupilName: 'Leo Hazelgrove' });
    const details = updatesOf(formCard).at(-1)!.body;
    expect(questionOf(details)).toBe('details');
    expect(JSON.stringify(cardIn(details).body)).toContain('Leo Hazelgrove');

    await press(formCard, { verb: 'answer', question: 'details', what: 'unexplainedToday', absenceType: 'notKnown', reasons: '' });
    const confirm = updatesOf(formCard).at(-1)!.body;
    expect(questionOf(confirm)).toBe('confirm');
    // Nothing new in the chat while the form moves on: the same card, asked again and again.
    expect(sentHere().length).toBe(sentBefore);

    const draftId = cardIn(confirm).actions!.find((a) => a.data?.verb === 'answer')!.data!.draftId!;
    await press(formCard, { verb: 'answer', question: 'confirm', draftId });
    const receipt = cardIn(updatesOf(formCard).at(-1)!.body);
    expect(receipt.actions).toBeUndefined();
    expect(receipt.body[0]!.text).toMatch(/^Sent: ATT-[A-Z2-9]{5}$/);
    expect(JSON.stringify(receipt.body)).toContain('It is saved with reference');
    expect(sentHere().length).toBe(sentBefore);
    for (const u of updatesOf(formCard)) expect(checkCard(cardIn(u.body) as never).errors).toEqual([]);
  });

  it('a card that can no longer be replaced: it is left as it was, and the next question comes as a new card', async () => {
    expect((await postActivity(app.url, teamsMessage({ serviceUrl: connector.url, conversationId, text: 'attendance' }))).status).toBe(200);
    const formCard = lastCardId();
    connector.fixedActivities.add(formCard);
    const sentBefore = sentHere().length;
    await press(formCard, { verb: 'answer', question: 'pupil', pupilName: 'Leo Hazelgrove' });
    expect(sentHere().length).toBe(sentBefore + 1);
    expect(questionOf(sentHere().at(-1)!.body)).toBe('details');
    expect(updatesOf(formCard)).toEqual([]);
    expect((await postActivity(app.url, teamsMessage({ serviceUrl: connector.url, conversationId, text: 'cancel' }))).status).toBe(200);
  });

  it('a button that stops the form puts the card away as a read-only line before saying so', async () => {
    expect((await postActivity(app.url, teamsMessage({ serviceUrl: connector.url, conversationId, text: 'attendance' }))).status).toBe(200);
    const formCard = lastCardId();
    await press(formCard, { verb: 'answer', question: 'pupil', pupilName: 'Leo Hazelgrove' });
    await press(formCard, { verb: 'cancel', question: 'details' });
    const used = cardIn(updatesOf(formCard).at(-1)!.body);
    expect(used.actions).toBeUndefined();
    expect(JSON.stringify(used.body)).toContain('Stopped: nothing was saved or sent.');
    expect(String(sentHere().at(-1)!.body.text)).toMatch(/^Stopped\. Nothing has been saved or sent\./);
  });

  it('Back on a card brings the earlier question back in its place', async () => {
    expect((await postActivity(app.url, teamsMessage({ serviceUrl: connector.url, conversationId, text: 'attendance' }))).status).toBe(200);
    const formCard = lastCardId();
    const sentBefore = sentHere().length;
    await press(formCard, { verb: 'answer', question: 'pupil', pupilName: 'Leo Hazelgrove' });
    await press(formCard, { verb: 'back', question: 'details' });
    const again = updatesOf(formCard).at(-1)!.body;
    expect(questionOf(again)).toBe('pupil');
    expect(cardIn(again).body[0]!.text).toBe('Attendance concern: step 1 of 3');
    expect(sentHere().length).toBe(sentBefore);
    expect((await postActivity(app.url, teamsMessage({ serviceUrl: connector.url, conversationId, text: 'cancel' }))).status).toBe(200);
  });

  it('a typed answer leaves the card alone (nothing says which card it answered)', async () => {
    const before = connector.updated.length;
    expect((await postActivity(app.url, teamsMessage({ serviceUrl: connector.url, conversationId, text: 'attendance' }))).status).toBe(200);
    expect((await postActivity(app.url, teamsMessage({ serviceUrl: connector.url, conversationId, text: 'cancel' }))).status).toBe(200);
    expect(connector.updated.length).toBe(before);
  });
});
