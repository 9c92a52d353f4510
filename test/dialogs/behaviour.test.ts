import { DEMO_STAFF } from '../../demo/demoSchool';
import { TABLES } from '../../storage/tableStore';
import { checkCard } from '../support/validateCard';
import { cardText, createHarness, draftIdOf, Harness, lastCard, questionOf, texts } from '../support/botHarness';

async function caseCount(h: Harness): Promise<number> {
  let n = 0;
  for await (const row of h.store.client(TABLES.cases).listEntities({ queryOptions: { select: ['RowKey'] } })) if (String(row.rowKey).startsWith('case|')) n++;
  return n;
}

const pickSam = { verb: 'answer', question: 'pupil', pupilId: 'demo-p01', pupilName: '' };
const details = { verb: 'answer', question: 'details', what: 'unexplainedToday', absenceType: 'notKnown', reasons: '', sessionsMissed: '', attendancePercent: '', consecutiveUnauthorisedDays: '', alreadyDone: '' };

describe('guided dialogs: the controls a teacher relies on', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });

  it('"cancel" at any step stops, says nothing was sent, and saves nothing', async () => {
    await h.say('attendance');
    await h.say(pickSam);
    const replies = await h.say('cancel');
    expect(texts(replies)).toEqual(['Stopped. Nothing has been saved or sent. Type "menu" to start again.']);
    expect(await caseCount(h)).toBe(0);
    // The Cancel button does the same on the confirmation card.
    await h.say('attendance');
    await h.say(pickSam);
    await h.say(details);
    expect(texts(await h.say({ verb: 'cancel', question: 'confirm' }))).toEqual(['Stopped. Nothing has been saved or sent. Type "menu" to start again.']);
    expect(await caseCount(h)).toBe(0);
  });

  it('"back" returns to the previous question with the answer filled in, and forward again keeps the later answer', async () => {
    await h.say('attendance');
    await h.say(pickSam);
    let replies = await h.say({ ...details, attendancePercent: '72', alreadyDone: 'Phoned carer' });
    expect(questionOf(lastCard(replies))).toBe('confirm');
    replies = await h.say({ verb: 'back', question: 'confirm' });
    const card = lastCard(replies);
    expect(questionOf(card)).toBe('details');
    expect(JSON.stringify(card)).toContain('"value":72');
    expect(JSON.stringify(card)).toContain('Phoned carer');
    replies = await h.say('back');
    expect(questionOf(lastCard(replies))).toBe('pupil');
    replies = await h.say('back');
    expect(texts(replies)).toContain('This is the first question.');
    replies = await h.say(pickSam);
    expect(questionOf(lastCard(replies))).toBe('details');
  });

  it('"back" to the child keeps the child chosen: named on the card, and Next with nothing new goes on with them', async () => {
    await h.say('attendance');
    await h.say(pickSam);
    const replies = await h.say({ verb: 'back', question: 'details' });
    const card = lastCard(replies);
    expect(questionOf(card)).toBe('pupil');
    expect(checkCard(card).errors).toEqual([]);
    expect(cardText(card)).toMatch(/Chosen:\s+Sam Thistlewood \(Year 4\)\s+Press Next to keep them, or choose another child\./);
    // Next sends the form as it stands: nothing chosen in the list, the name box empty.
    const next = await h.say({ verb: 'answer', question: 'pupil', pupilId: '', pupilName: '' });
    expect(texts(next)).toEqual([]);
    expect(questionOf(lastCard(next))).toBe('details');
    expect(cardText(lastCard(next))).toContain('Sam Thistlewood');
  });

  it('"back" to the child, then another child chosen: the concern is about the new one', async () => {
    await h.say('attendance');
    await h.say(pickSam);
    await h.say({ verb: 'back', question: 'details' });
    const next = await h.say({ verb: 'answer', question: 'pupil', pupilId: 'demo-p02', pupilName: '' });
    expect(questionOf(lastCard(next))).toBe('details');
    expect(cardText(lastCard(next))).not.toContain('Sam Thistlewood');
    // Nothing chosen at the first asking is still asked again.
    const fresh = await createHarness();
    await fresh.say('attendance');
    expect(texts(await fresh.say({ verb: 'answer', question: 'pupil', pupilId: '', pupilName: '' }))).toEqual(['Please choose a child from the list, or type their name.']);
  });

  it('"back" to the child, and the child has left the register meanwhile: Next asks again instead of going on', async () => {
    await h.say('attendance');
    await h.say(pickSam);
    await h.say({ verb: 'back', question: 'details' });
    await h.store.client(TABLES.pupils).deleteEntity('oakfield-demo', 'demo-p01');
    h.parts.pupils.invalidate('oakfield-demo');
    const next = await h.say({ verb: 'answer', question: 'pupil', pupilId: '', pupilName: '' });
    expect(texts(next)).toEqual(["I could not find that child on your school's register. Please choose again, or type their name."]);
    expect(questionOf(lastCard(next))).toBe('pupil');
  });

  it('"help" explains the current step and asks it again', async () => {
    await h.say('suspension');
    await h.say(pickSam);
    const replies = await h.say('help');
    expect(texts(replies)[0]).toMatch(/^Describe what happened in your own words/);
    expect(questionOf(lastCard(replies))).toBe('whatHappened');
  });

  it('a description that starts with "Back" is an answer, not a command', async () => {
    await h.say('suspension');
    await h.say(pickSam);
    const replies = await h.say('Back in class after lunch he pushed over a table.');
    expect(questionOf(lastCard(replies))).toBe('tried');
  });

  it('bad answers are re-asked with a clear message', async () => {
    await h.say('attendance');
    await h.say(pickSam);
    let replies = await h.say({ ...details, attendancePercent: '150' });
    expect(texts(replies)).toEqual(['Attendance must be between 0 and 100%']);
    expect(questionOf(lastCard(replies))).toBe('details');
    expect(cardText(lastCard(replies))).toContain('Attendance must be between 0 and 100%');
    replies = await h.say({ ...details, what: '' });
    expect(texts(replies)).toEqual(['Please tick at least one thing that has been happening.']);
    replies = await h.say({ ...details, what: 'notAThing' });
    expect(texts(replies)[0]).toMatch(/please choose from the list/);
    replies = await h.say({ ...details, sessionsMissed: 'lots' });
    expect(texts(replies)).toEqual(['Sessions missed must be a number']);
  });

  it('typed text where a form is needed gets a plain explanation and the form again', async () => {
    await h.say('attendance');
    await h.say(pickSam);
    const replies = await h.say('he has been off a lot');
    expect(texts(replies)[0]).toMatch(/^Please use the form above/);
    expect(questionOf(lastCard(replies))).toBe('details');
  });

  it('a click on a card from an earlier step is recognised and the current step asked again', async () => {
    await h.say('attendance');
    await h.say(pickSam);
    const replies = await h.say({ ...pickSam, pupilId: 'demo-p02' });
    expect(texts(replies)).toEqual(['That card is from an earlier step. Here is where we are now:']);
    expect(questionOf(lastCard(replies))).toBe('details');
  });

  it('typing a name finds the child; several matches offer a choice; an unknown name offers DSL triage', async () => {
    await h.say('attendance');
    let replies = await h.say('sam thistle');
    expect(questionOf(lastCard(replies))).toBe('details');
    await h.say('cancel');
    await h.say('attendance');
    replies = await h.say('a'); // too short
    expect(texts(replies)).toEqual(['Please type at least two letters of their name.']);
    replies = await h.say('ma');
    expect(cardText(lastCard(replies))).toContain('Which of these children do you mean?');
    expect(cardText(lastCard(replies))).toContain('Maya Rowanberry (Year 3)');
    expect(cardText(lastCard(replies))).toContain('Kai Marchbank (Year 6)');
    replies = await h.say({ verb: 'answer', question: 'pupil', pupilId: 'demo-p11' });
    expect(questionOf(lastCard(replies))).toBe('details');
    await h.say('cancel');
    await h.say('attendance');
    replies = await h.say('Nobody Atall');
    expect(cardText(lastCard(replies))).toContain('I could not find that child on the register');
    expect(cardText(lastCard(replies))).toContain('Nobody Atall');
  });

  it('Send pressed twice saves one case and says it was already sent', async () => {
    await h.say('attendance');
    await h.say(pickSam);
    const confirm = lastCard(await h.say(details));
    const first = await h.say({ verb: 'answer', question: 'confirm', draftId: draftIdOf(confirm) });
    const ref = /Sent: (ATT-\w{5})/.exec(cardText(lastCard(first)))?.[1];
    const second = await h.say({ verb: 'answer', question: 'confirm', draftId: draftIdOf(confirm) });
    expect(cardText(lastCard(second))).toContain(`Already sent: ${ref}`);
    expect(await caseCount(h)).toBe(1);
  });

  it('someone in the school\'s tenant but not on its staff list cannot start a dialog (deny by default)', async () => {
    const stranger = { aadObjectId: '99999999-0000-0000-0000-000000000099', name: 'Visitor' };
    const replies = await h.say('attendance', stranger);
    expect(texts(replies)[0]).toMatch(/^I cannot find you on the staff list/);
    expect(lastCard(replies)).toBeUndefined();
    const viaButton = await h.say({ verb: 'startDialog', dialog: 'suspension' }, stranger);
    expect(texts(viaButton)[0]).toMatch(/^I cannot find you on the staff list/);
  });

  it('the DT sees the full rationale and records a decided suspension with its statutory steps', async () => {
    await h.install('dsl');
    await h.say('suspension', 'dt');
    await h.say({ verb: 'answer', question: 'pupil', pupilId: 'demo-p02', pupilName: '' }, 'dt');
    await h.say('After a change of carer he threw a chair; nobody was hurt.', 'dt');
    await h.say({ verb: 'answer', question: 'tried', tried: 'softStart', triedOther: '', sendConsiderations: '' }, 'dt');
    let replies = await h.say('yes', 'dt');
    expect(questionOf(lastCard(replies))).toBe('decision');
    replies = await h.say({ verb: 'answer', question: 'decision', kind: 'suspension', startDate: '2026-11-24', days: '6' }, 'dt');
    expect(questionOf(lastCard(replies))).toBe('consulted');
    replies = await h.say({ verb: 'answer', question: 'consulted', consulted: 'virtualSchool,socialWorker' }, 'dt');
    const shown = cardText(lastCard(replies));
    expect(shown).toContain('Looked after: section 20 (voluntary agreement with parents), placed by Essex (881)');
    expect(shown).toContain('Why:');
    expect(shown).toContain('Source: Suspension and permanent exclusion');
    expect(shown).toContain('virtualschool@essex-vs.example.org');
    replies = await h.say({ verb: 'answer', question: 'confirm', draftId: draftIdOf(lastCard(replies)) }, 'dt');
    expect(cardText(lastCard(replies))).toMatch(/Sent: SUS-/);
    const [summary] = await h.parts.cases.listForPupil('oakfield-demo', 'demo-p02');
    expect(summary).toMatchObject({ caseType: 'suspension', suspensionStart: '2026-11-24', suspensionDays: 6 });
    const record = await h.parts.cases.get('oakfield-demo', summary!.caseId);
    expect(record!.plan.steps.map((s) => s.id)).toEqual(
      expect.arrayContaining(['suspension.decided.parents', 'suspension.decided.localAuthority', 'suspension.decided.virtualSchool', 'suspension.decided.provisionDaySix']),
    );
  });

  it('a teacher who says a suspension is decided is not asked for the dates; the headteacher is told to record it', async () => {
    await h.say('suspension');
    await h.say(pickSam);
    await h.say('Hit another child at lunch.');
    await h.say({ verb: 'answer', question: 'tried', tried: '', triedOther: '', sendConsiderations: '' });
    let replies = await h.say({ verb: 'answer', question: 'stage', stage: 'decided' });
    // Whether what the policy asks for before a decision happened: here, nobody was consulted.
    expect(questionOf(lastCard(replies))).toBe('consulted');
    replies = await h.say('none');
    expect(questionOf(lastCard(replies))).toBe('confirm');
    const shown = cardText(lastCard(replies));
    expect(shown).toContain('The headteacher records the decision.');
    // Sam is in care: the Virtual School discussion comes first, flagged, and the DSL and headteacher review the decision.
    expect(shown).toContain('The DSL and the headteacher review the decision.');
    expect(shown).toMatch(/By \w{3} \d{1,2} \w{3} \d{4}, before the suspension starts: [^"]*Virtual School/);
  });

  it('a first day in the past is questioned, and kept once confirmed', async () => {
    await h.say('suspension', 'dt');
    await h.say(pickSam, 'dt');
    await h.say('Hit another child at lunch.', 'dt');
    await h.say({ verb: 'answer', question: 'tried', tried: '', triedOther: '', sendConsiderations: '' }, 'dt');
    await h.say('yes', 'dt');
    let replies = await h.say({ verb: 'answer', question: 'decision', kind: 'suspension', startDate: '2026-11-20', days: '2' }, 'dt');
    expect(texts(replies)[0]).toBe('Fri 20 Nov 2026 is in the past. A suspension is recorded on the day it is decided, before it starts. Please check the first day: if it is right, tick "Yes, that first day is right".');
    expect(questionOf(lastCard(replies))).toBe('decision');
    // Ticking the box for another date confirms nothing.
    replies = await h.say({ verb: 'answer', question: 'decision', kind: 'suspension', startDate: '2026-11-21', days: '2', confirmDate: '2026-11-20' }, 'dt');
    expect(texts(replies)[0]).toMatch(/^Sat 21 Nov 2026 is in the past/);
    replies = await h.say({ verb: 'answer', question: 'decision', kind: 'suspension', startDate: '2026-11-20', days: '2', confirmDate: '2026-11-20' }, 'dt');
    expect(questionOf(lastCard(replies))).toBe('consulted');
  });

  it('an admission on a Saturday is questioned', async () => {
    await h.say('new starter', 'dt');
    await h.say('yes', 'dt');
    await h.say(pickSam, 'dt');
    const replies = await h.say({ verb: 'answer', question: 'details', startDate: '2026-11-28', previousSchool: '', transitionMeetingDate: '', keyAdult: '', peerBuddy: '', send: 'none', statusEvidenceSeen: 'false' }, 'dt');
    expect(texts(replies)[0]).toBe('Sat 28 Nov 2026 is a Saturday. Please check the start date: if it is right, tick "Yes, that start date is right".');
  });
});

describe('pupil type-ahead search (application/search invoke)', () => {
  it('returns only the caller\'s school\'s children, names and year only, at most 15', async () => {
    const h = await createHarness();
    const results = await invokeSearch(h, 'sam', DEMO_STAFF.teacher.aadObjectId);
    expect(results).toEqual([{ title: 'Sam Thistlewood (Year 4)', value: 'demo-p01' }]);
    const many = await invokeSearch(h, 'a', DEMO_STAFF.teacher.aadObjectId);
    expect(many.length).toBeGreaterThan(1);
    expect(many.length).toBeLessThanOrEqual(15);
    expect(JSON.stringify(many)).not.toMatch(/CLA|looked|care|CP|CIN/);
  });

  it('returns nothing to someone who is not on a staff list', async () => {
    const h = await createHarness();
    expect(await invokeSearch(h, 'sam', 'not-a-member-of-staff')).toEqual([]);
  });
});

async function invokeSearch(h: Harness, queryText: string, aadObjectId: string): Promise<Array<{ title: string; value: string }>> {
  const body = (await h.invoke('application/search', { kind: 'search', queryText, queryOptions: { skip: 0, top: 15 }, dataset: 'pupils' }, { aadObjectId, name: 'Someone' })) as {
    type?: string;
    value?: { results?: Array<{ title: string; value: string }> };
  };
  expect(body.type).toBe('application/vnd.microsoft.search.searchResponse');
  return body.value?.results ?? [];
}
