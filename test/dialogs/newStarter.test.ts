import { Activity } from 'botbuilder';
import { ExternalNotification } from '../../policy/caseRecord';
import { pupilSchema } from '../../policy/pupil';
import { cardText, createHarness, draftIdOf, Harness, lastCard, questionOf, texts } from '../support/botHarness';
import { act } from '../support/flows';
import { checkCard } from '../support/validateCard';

/**
 * A child joining who is not on the register yet (issue 18): asked about in the dialog, routed on
 * the status staff report, tracked, and matched to the register by the DSL once it is loaded.
 * Every child here is made up.
 */
const SCHOOL = 'oakfield-demo';
const AAD = { dsl: '00000000-0000-0000-0000-0000000000021', dt: '00000000-0000-0000-0000-0000000000022', deputyDsl: '00000000-0000-0000-0000-0000000000023' } as const;

/** Jordan, in care under a care order, placed by Essex (DfE code 881), joining Year 3. */
const JORDAN = {
  verb: 'answer',
  question: 'newStarter',
  givenName: 'Jordan',
  familyName: 'Notonroll',
  yearGroup: '3',
  dateOfBirth: '2018-05-04',
  status: 'inCare',
  legalBasis: 's31',
  placingAuthority: '881',
  previousSchool: 'Brookside Primary (made up)',
};
const DETAILS = { verb: 'answer', question: 'details', startDate: '2026-11-30', transitionMeetingDate: '', keyAdult: '', peerBuddy: '', send: 'none', statusEvidenceSeen: 'false' };

async function startNewStarter(h: Harness, as: 'teacher' | 'dt' = 'teacher'): Promise<Partial<Activity>[]> {
  const first = await h.say('new starter', as);
  expect(questionOf(lastCard(first))).toBe('onRegister');
  return h.say({ verb: 'answer', question: 'onRegister', onRegister: 'no' }, as);
}

/** Raises the admission and returns the saved case's id (and the confirmation card the teacher saw). */
async function raise(h: Harness, child: Record<string, unknown>, as: 'teacher' | 'dt' = 'teacher'): Promise<{ caseId: string; confirm: Record<string, unknown> }> {
  await startNewStarter(h, as);
  const details = await h.say(child, as);
  expect(questionOf(lastCard(details))).toBe('details');
  const confirm = lastCard(await h.say(DETAILS, as))!;
  expect(questionOf(confirm)).toBe('confirm');
  const receipt = await h.say({ verb: 'answer', question: 'confirm', draftId: draftIdOf(confirm) }, as);
  expect(cardText(lastCard(receipt))).toMatch(/ADM-\w{5}/);
  const saved = await h.parts.cases.findByDraft(SCHOOL, draftIdOf(confirm)!);
  return { caseId: saved!.caseId, confirm };
}

function cardsTo(h: Harness, aad: string): Array<Record<string, unknown>> {
  return h.sender.sent.filter((s) => s.ref.aadObjectId === aad).map((s) => s.activity.attachments?.[0]?.content as Record<string, unknown>);
}

/** The list of pupils inside a card's "Match to the register" button. */
function matchPicker(card: unknown): { value?: string; choices: Array<{ title: string; value: string }> } | undefined {
  const actions = ((card as { actions?: Array<{ title: string; card?: { body: Array<{ id?: string }> } }> }).actions ?? []);
  const body = actions.find((a) => a.title === 'Match to the register')?.card?.body ?? [];
  return body.find((e) => e.id === 'matchPupilId') as { value?: string; choices: Array<{ title: string; value: string }> } | undefined;
}

/** Jordan on the register, as the MIS export brings them in on their first day. */
async function loadOntoRegister(h: Harness, extra: Record<string, unknown> = {}): Promise<void> {
  const pupil = pupilSchema.parse({ id: 'mis-jn-001', schoolId: SCHOOL, givenName: 'Jordan', familyName: 'Notonroll', yearGroup: '3', dateOfBirth: '2018-05-04', synthetic: true, ...extra });
  await h.parts.pupilRepo.saveAll(SCHOOL, [pupil]);
  h.parts.pupils.invalidate(SCHOOL);
}

describe('a new starter not on the register, in care and placed by another authority', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
    for (const who of ['dsl', 'dt', 'deputyDsl'] as const) await h.install(who);
  });

  it('asks who they are and their status, with England’s authorities to pick from', async () => {
    const first = lastCard(await h.say('new starter'));
    expect(checkCard(first).errors).toEqual([]);
    expect(cardText(first)).toContain('Is the child on our register yet?');
    await h.say('cancel');
    const card = lastCard(await startNewStarter(h));
    expect(questionOf(card)).toBe('newStarter');
    const check = checkCard(card);
    expect(check.errors).toEqual([]);
    // All 153 authorities, and still well inside what Teams takes in one message (about 28 KB).
    expect(check.bytes).toBeLessThan(20_000);
    const authorities = (card!.body as Array<{ id?: string; style?: string; choices?: Array<{ title: string; value: string }> }>).find((e) => e.id === 'placingAuthority')!;
    expect(authorities.style).toBe('filtered');
    expect(authorities.choices).toHaveLength(153);
    expect(authorities.choices).toContainEqual({ title: 'Essex (881)', value: '881' });
    const years = (card!.body as Array<{ id?: string; choices?: Array<{ title: string }> }>).find((e) => e.id === 'yearGroup')!.choices!.map((c) => c.title);
    expect(years.slice(0, 3)).toEqual(['Nursery', 'Reception', 'Year 1']);
    expect(years.at(-1)).toBe('Year 13');
    expect(cardText(card)).toContain('Previously in care: special guardianship order (SGO)');
    expect(cardText(card)).toContain('Living with relatives or family friends (kinship care)');
    expect(cardText(card)).toContain('Care order (section 31)');
    expect(cardText(card)).toContain('None of these, or not known yet');
  });

  it('tells the DT and the placing authority’s Virtual School, gives the DSL a card with the match button, and tracks the admission', async () => {
    const { caseId, confirm } = await raise(h, JORDAN);
    // The teacher sees who is told, not why the child qualifies.
    const shown = cardText(confirm);
    expect(shown).toContain('Jordan Notonroll (Year 3), not on the register yet');
    expect(shown).toContain('Adele Vance, Designated Teacher');
    expect(shown).toContain('The Designated Teacher (DT) is told.');
    expect(shown).toContain('The Virtual School is told.');
    expect(shown).not.toMatch(/in care|looked after|Essex|section 31/i);

    const record = (await h.parts.cases.get(SCHOOL, caseId))!;
    expect(record.subject).toMatchObject({ kind: 'newStarter', givenName: 'Jordan', familyName: 'Notonroll', statuses: [{ kind: 'CLA', legalBasis: 's31', placingAuthority: '881' }] });
    expect(record.plan.inScope).toBe(true);
    expect(record.plan.statusLabels).toContain('Looked after: section 31 (care order), placed by Essex (881)');
    const ids = record.plan.steps.map((s) => s.id);
    expect(ids).toEqual(expect.arrayContaining(['lead.dsl', 'lead.dt', 'admission.cla.virtualSchool', 'admission.cla.pepTenDays', 'admission.cpFileFiveDays']));
    expect(record.plan.steps.find((s) => s.id === 'admission.cla.virtualSchool')!.contact).toMatchObject({ email: 'virtualschool@essex-vs.example.org' });

    const emails = (await h.parts.cases.notifications(SCHOOL, caseId)).filter((n): n is ExternalNotification & { etag: string } => n.channel === 'email');
    expect(emails.find((n) => n.to.recipient === 'virtualSchool')).toMatchObject({ status: 'awaitingApproval', to: { email: 'virtualschool@essex-vs.example.org' } });

    // The DT is told, with the plan and its reasons (a lead's card), and may match the child too.
    const dtCard = cardsTo(h, AAD.dt)[0]!;
    expect(cardText(dtCard)).toContain('Status as reported (confidential)');
    expect(JSON.stringify(dtCard)).toContain('"verb":"matchNewStarter"');
    // The DSL's card: Approve, and Match to the register; never "not in the group this policy covers".
    const dslCard = cardsTo(h, AAD.dsl)[0]!;
    expect(checkCard(dslCard).errors).toEqual([]);
    const json = JSON.stringify(dslCard);
    expect(json).toContain('"verb":"approveCase"');
    expect(json).toContain('"verb":"matchNewStarter"');
    expect(cardText(dslCard)).toContain('Match to the register');
    expect(cardText(dslCard)).toContain('Reported as: Jordan Notonroll, Year 3, born Fri 4 May 2018');
    expect(cardText(dslCard)).not.toContain('not in the group this policy covers');

    // Tracked: each step with an owner and a deadline in school days, and counted as in transition.
    const tracked = await h.parts.cases.actions(SCHOOL, caseId);
    expect(tracked.find((a) => a.stepId === 'admission.cla.pepTenDays')).toMatchObject({ owner: 'DT', deadline: '2026-12-14', status: 'open' });
    expect(tracked.find((a) => a.stepId === 'admission.cpFileFiveDays')).toMatchObject({ owner: 'DSL', deadline: '2026-12-07' });
    const { digest } = await h.parts.digests.build((await h.parts.directory.school(SCHOOL)), new Date('2026-11-23T09:00:00Z'));
    expect(digest.admissionsInTransition.value).toBe(1);
  });

  it('an authority the school has no Virtual School contact for: the plan says to phone, and the DSL is asked for the contact', async () => {
    const { caseId } = await raise(h, { ...JORDAN, placingAuthority: '886' });
    const vs = (await h.parts.cases.get(SCHOOL, caseId))!.plan.steps.find((s) => s.id === 'admission.cla.virtualSchool')!;
    expect(vs.contact!.name).toContain("Kent (886)'s Virtual School: no contact recorded yet, so phone them");
    const asked = cardsTo(h, AAD.dsl).map(cardText).find((t) => t.includes('placed by Kent (886)'));
    expect(asked).toBeDefined();
  });

  it('once on the register, the DSL matches the child: the case follows them, and the match is audited', async () => {
    const { caseId } = await raise(h, JORDAN);
    await loadOntoRegister(h);
    // The card as the DSL opens it now (Teams refreshes an approval card): Jordan is offered, and
    // chosen already (same name and date of birth), for the DSL to confirm.
    const refreshed = await act(h, 'refreshApproval', { caseId }, 'dsl');
    expect(checkCard(refreshed.value).errors).toEqual([]);
    expect(matchPicker(refreshed.value)).toMatchObject({ value: 'mis-jn-001', choices: [{ title: 'Jordan Notonroll (Year 3)', value: 'mis-jn-001' }] });

    const res = await act(h, 'matchNewStarter', { caseId, school: SCHOOL, matchPupilId: 'mis-jn-001', matchPupilName: '' }, 'dsl');
    expect(res.statusCode).toBe(200);
    expect(checkCard(res.value).errors).toEqual([]);
    expect(cardText(res.value)).toContain('Matched to the register');
    expect(cardText(res.value)).toContain('Jordan Notonroll (Year 3): matched by Megan Bowen at Mon 23 Nov 2026, 09:00');
    expect(JSON.stringify(res.value)).not.toContain('matchNewStarter');
    // The approval is still the DSL's to give.
    expect(JSON.stringify(res.value)).toContain('"verb":"approveCase"');

    const record = (await h.parts.cases.get(SCHOOL, caseId))!;
    expect(record.subject).toEqual({ kind: 'onRegister', pupilId: 'mis-jn-001', matched: { by: 'Megan Bowen', at: '2026-11-23T09:00:00.000Z' } });
    expect((await h.parts.cases.listForPupil(SCHOOL, 'mis-jn-001')).map((c) => c.caseId)).toEqual([caseId]);
    const open = (await h.parts.cases.openActionsDueBy(SCHOOL, '9999-12-31')).filter((a) => a.caseId === caseId);
    expect(open.length).toBeGreaterThan(0);
    expect(open.every((a) => a.pupilId === 'mis-jn-001')).toBe(true);
    const trail = await h.parts.cases.auditTrail(SCHOOL, caseId);
    expect(trail.find((e) => e.action === 'matchedToRegister')).toMatchObject({ actor: { aadObjectId: AAD.dsl, name: 'Megan Bowen' }, detail: { pupilId: 'mis-jn-001', statusDiffers: true } });
    expect((await h.parts.cases.verifyAuditChain(SCHOOL)).ok).toBe(true);

    // Pressed again (another copy of the card): nothing changes, and it says who matched them.
    const again = await act(h, 'matchNewStarter', { caseId, school: SCHOOL, matchPupilId: 'mis-jn-001' }, 'deputyDsl');
    expect(cardText(again.value)).toContain('matched by Megan Bowen');
    expect((await h.parts.cases.auditTrail(SCHOOL, caseId)).filter((e) => e.action === 'matchedToRegister')).toHaveLength(1);
  });

  it('a name typed where no list appears finds the child; a name on nobody leaves the case unmatched and says so', async () => {
    const { caseId } = await raise(h, JORDAN);
    const nobody = await act(h, 'matchNewStarter', { caseId, school: SCHOOL, matchPupilId: '', matchPupilName: 'Jordan Notonroll' }, 'dsl');
    expect(cardText(nobody.value)).toContain('No child on our register has that name');
    expect((await h.parts.cases.get(SCHOOL, caseId))!.subject.kind).toBe('newStarter');

    await loadOntoRegister(h, { statuses: [{ kind: 'CLA', legalBasis: 's31', placingAuthority: 'ESSEX' }] });
    const found = await act(h, 'matchNewStarter', { caseId, school: SCHOOL, matchPupilId: 'notListed', matchPupilName: 'jordan notonroll' }, 'dt');
    expect(cardText(found.value)).toContain('matched by Adele Vance');
    const entry = (await h.parts.cases.auditTrail(SCHOOL, caseId)).find((e) => e.action === 'matchedToRegister')!;
    // The register agrees with what was reported.
    expect(entry.detail).toEqual({ pupilId: 'mis-jn-001' });
  });

  it('refuses a class teacher, a case of no school of theirs, and a malformed pupil id', async () => {
    const { caseId } = await raise(h, JORDAN);
    await loadOntoRegister(h);
    const teacher = await act(h, 'matchNewStarter', { caseId, school: SCHOOL, matchPupilId: 'mis-jn-001' }, 'teacher');
    expect(cardText(teacher.value)).toContain('Only the DSL, a deputy DSL or the headteacher');
    expect(JSON.stringify(teacher.value)).not.toContain('Notonroll');
    const unknownCase = await act(h, 'matchNewStarter', { caseId: '20261123T090000Z-ZZZZZZ', school: SCHOOL, matchPupilId: 'mis-jn-001' }, 'dsl');
    expect(unknownCase.statusCode).toBe(404);
    const forged = await act(h, 'matchNewStarter', { caseId, school: SCHOOL, matchPupilId: '../../x' }, 'dsl');
    expect(forged.statusCode).toBe(400);
    expect((await h.parts.cases.get(SCHOOL, caseId))!.subject.kind).toBe('newStarter');
    expect((await h.parts.cases.auditTrail(SCHOOL, caseId)).some((e) => e.action === 'matchedToRegister')).toBe(false);
  });
});

describe('a new starter with no status known', () => {
  it('goes to the DSL to check with the previous school, is tracked, and is not called outside the policy', async () => {
    const h = await createHarness();
    for (const who of ['dsl', 'dt'] as const) await h.install(who);
    const { caseId } = await raise(h, { ...JORDAN, status: 'noneKnown', legalBasis: '', placingAuthority: '' });
    const record = (await h.parts.cases.get(SCHOOL, caseId))!;
    expect(record.subject).toMatchObject({ kind: 'newStarter', statuses: [] });
    expect(record.plan).toMatchObject({ inScope: false, statusReported: true });
    expect(record.plan.steps.map((s) => s.id)).toEqual(['lead.dsl.outOfScope', 'admission.checkStatus', 'admission.recordsFifteenDays']);
    expect(record.plan.steps[1]!.what).toContain("Ask the previous school (Brookside Primary (made up))'s DSL whether the child has, or has had, a social worker");

    expect(cardsTo(h, AAD.dt)).toHaveLength(0);
    // Nor may the DT open it by pressing the button on someone else's card: this child is not theirs to know about.
    const dt = await act(h, 'matchNewStarter', { caseId, school: SCHOOL, matchPupilName: 'Jordan Notonroll' }, 'dt');
    expect(cardText(dt.value)).toContain('Only the DSL, a deputy DSL or the headteacher');
    expect(JSON.stringify(dt.value)).not.toContain('Notonroll');
    const dslCard = cardsTo(h, AAD.dsl)[0]!;
    expect(checkCard(dslCard).errors).toEqual([]);
    expect(cardText(dslCard)).toContain('No status this policy covers was reported for this new starter');
    expect(cardText(dslCard)).not.toContain('not in the group this policy covers');
    expect(cardText(dslCard)).not.toContain('The register shows no status');
    expect(JSON.stringify(dslCard)).toContain('"verb":"matchNewStarter"');

    expect((await h.parts.cases.actions(SCHOOL, caseId)).map((a) => [a.stepId, a.owner, a.deadline])).toEqual([
      ['admission.checkStatus', 'DSL', '2026-12-07'],
      // Fifteen school days from Mon 30 Nov, with the Christmas holiday between.
      ['admission.recordsFifteenDays', 'DSL', '2027-01-05'],
    ]);
    const { digest } = await h.parts.digests.build(await h.parts.directory.school(SCHOOL), new Date('2026-11-23T09:00:00Z'));
    expect(digest.admissionsInTransition.value).toBe(1);
  });
});

describe('the new-starter questions refuse what cannot be right, and say why', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });

  it.each([
    ['no first name', { givenName: '' }, "Please give the child's first name."],
    ['a name that is not a name', { familyName: '<b>x</b>' }, 'Please type the name in letters'],
    ['no year group', { yearGroup: '' }, 'Please choose their year group.'],
    ['no status', { status: '' }, 'Please choose what you know of their status'],
    ['in care with no placing authority', { placingAuthority: '' }, 'please choose the placing authority'],
    ['an authority code England does not have', { placingAuthority: '999' }, "That placing authority is not one of England's local authorities. Please choose it from the list."],
    ['an authority misspelt', { placingAuthority: 'Esex' }, 'did you mean Essex (881)?'],
    ['in care with no legal basis', { legalBasis: '' }, 'please choose the section of the Children Act 1989'],
    ['a date of birth in the future', { dateOfBirth: '2027-01-01' }, 'The date of birth must be in the past'],
  ])('%s', async (_case, change, message) => {
    await startNewStarter(h);
    const replies = await h.say({ ...JORDAN, ...change });
    expect(texts(replies).join(' ')).toContain(message);
    expect(questionOf(lastCard(replies))).toBe('newStarter');
    await h.say('cancel');
  });

  it('a typed "yes"/"no" answers the first question, and anything else is asked again', async () => {
    await h.say('new starter');
    const unclear = await h.say('maybe');
    expect(texts(unclear).join(' ')).toContain('Please choose "Yes" or "No"');
    expect(questionOf(lastCard(await h.say('not yet')))).toBe('newStarter');
    await h.say('cancel');
  });

  it('a name already on the register is asked about before a second record is started', async () => {
    await startNewStarter(h);
    const replies = await h.say({ ...JORDAN, givenName: 'Sam', familyName: 'Thistlewood', yearGroup: '4' });
    expect(texts(replies).join(' ')).toContain('A child with that name is already on our register');
    expect(cardText(lastCard(replies))).toContain('Sam Thistlewood (Year 4)');
    expect(questionOf(lastCard(await h.say({ ...JORDAN, givenName: 'Sam', familyName: 'Thistlewood', yearGroup: '4', sameNameConfirmed: 'true' })))).toBe('details');
    await h.say('cancel');
  });

  it('said to be on the register but not found: "Report anyway" asks about them as a new starter, with the name typed', async () => {
    await h.say('new starter');
    await h.say({ verb: 'answer', question: 'onRegister', onRegister: 'yes' });
    await h.say('Jordan Notonroll');
    const card = lastCard(await h.say({ verb: 'answer', question: 'pupil', notOnRegister: 'Jordan Notonroll, Year 3' }));
    expect(questionOf(card)).toBe('newStarter');
    const inputs = card!.body as Array<{ id?: string; value?: string }>;
    expect(inputs.find((e) => e.id === 'givenName')!.value).toBe('Jordan');
    expect(inputs.find((e) => e.id === 'familyName')!.value).toBe('Notonroll');
    await h.say('cancel');
  });
});
