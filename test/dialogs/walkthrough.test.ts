import { odata } from '@azure/data-tables';
import { DIALOG_SPECS } from '../../dialogs/registry';
import { CASE_REF_PATTERN } from '../../policy/caseIds';
import { TABLES } from '../../storage/tableStore';
import { cardText, createHarness, draftIdOf, Harness, lastCard, questionOf } from '../support/botHarness';

type Subject = 'cla' | 'cpla' | 'cwswCurrent' | 'cwswPast' | 'kinship' | 'notOnRegister';
type Dialog = 'attendance' | 'suspension' | 'admission';

/** Demo pupils (synthetic) for each status; some are picked from the list, some by typing a name. */
const PICK: Record<Subject, Record<string, unknown> | string> = {
  cla: { verb: 'answer', question: 'pupil', pupilId: 'demo-p02', pupilName: '' }, // Kai Marchbank, placed by ESSEX
  cpla: 'Jude Brightwater', // special guardianship order, evidence not seen, EHCP
  cwswCurrent: { verb: 'answer', question: 'pupil', pupilId: 'demo-p07', pupilName: '' }, // Amara Windmere, CP plan
  cwswPast: { verb: 'answer', question: 'pupil', pupilName: 'copperfield' }, // Isla Copperfield, CP plan ended 2023
  kinship: 'Maya', // Maya Rowanberry, kinship care
  notOnRegister: 'Jordan Notonroll',
};

const ANSWERS: Record<Dialog, Array<string | Record<string, unknown>>> = {
  attendance: [
    { verb: 'answer', question: 'details', what: 'missedSessions,pattern', absenceType: 'unauthorised', reasons: 'contact', sessionsMissed: '6', attendancePercent: '88', consecutiveUnauthorisedDays: '', alreadyDone: 'Spoke to carer at pick-up' },
  ],
  suspension: [
    'She ran out of the classroom after the fire alarm and hid in the toilets; she seemed very frightened.',
    { verb: 'answer', question: 'tried', tried: 'softStart,additionalAdult', triedOther: '', sendConsiderations: '' },
    'no',
  ],
  admission: [
    { verb: 'answer', question: 'details', startDate: '2026-11-30', previousSchool: 'Brookside Primary (made up)', transitionMeetingDate: '', keyAdult: '', peerBuddy: '', send: 'none', statusEvidenceSeen: 'false' },
  ],
};

/** Step ids each saved plan must contain, and ones it must not. */
const EXPECT: Record<Dialog, Record<Subject, { has: string[]; not: string[]; staffSees: string[] }>> = {
  attendance: {
    // The demo school runs The Leys' policy: no placement-move adjustments (Offord's rule).
    cla: { has: ['lead.dt', 'attendance.socialWorker', 'attendance.cla.virtualSchool', 'attendance.persistentAbsence'], not: ['attendance.reasonableAdjustments'], staffSees: ['Virtual School', 'Social worker'] },
    cpla: { has: ['lead.dt', 'attendance.parentsCarers'], not: ['attendance.cla.virtualSchool', 'attendance.socialWorker'], staffSees: ['Parents or carers'] },
    cwswCurrent: { has: ['attendance.socialWorker'], not: ['lead.dt', 'attendance.cla.virtualSchool'], staffSees: ['Social worker'] },
    cwswPast: { has: ['lead.dsl', 'attendance.parentsCarers'], not: ['attendance.socialWorker'], staffSees: ['Parents or carers'] },
    kinship: { has: ['attendance.parentsCarers', 'attendance.child'], not: ['attendance.socialWorker', 'lead.dt'], staffSees: ['The child'] },
    notOnRegister: { has: ['lead.dsl.notOnRegister'], not: ['attendance.parentsCarers'], staffSees: ['Designated Safeguarding Lead (DSL)'] },
  },
  suspension: {
    cla: { has: ['suspension.cla.virtualSchoolBeforeDecision', 'suspension.socialWorkerEarly', 'suspension.alternativesFirst'], not: ['suspension.decided.parents'], staffSees: ['Virtual School'] },
    cpla: { has: ['suspension.cpla.parentsFirst', 'suspension.cpla.virtualSchoolAdvice', 'suspension.send'], not: ['suspension.socialWorkerEarly'], staffSees: ['Parents or carers', 'Virtual School'] },
    // The Leys' policy has no Virtual School step for a child with a social worker who is not in care (Holy Family's rule).
    cwswCurrent: { has: ['suspension.socialWorkerEarly', 'suspension.parentsCarers'], not: ['lead.dt', 'suspension.cwsw.virtualSchoolBeforeActing'], staffSees: ['Social worker', 'Parents or carers'] },
    cwswPast: { has: ['suspension.alternativesFirst', 'suspension.parentsCarers'], not: ['suspension.socialWorkerEarly', 'suspension.cwsw.virtualSchoolBeforeActing'], staffSees: ['Parents or carers'] },
    kinship: { has: ['suspension.alternativesFirst', 'suspension.reducedTimetableSafeguards'], not: ['suspension.cwsw.virtualSchoolBeforeActing', 'suspension.riskAssessment'], staffSees: ['Class teacher or key adult'] },
    notOnRegister: { has: ['lead.dsl.notOnRegister'], not: ['suspension.alternativesFirst'], staffSees: ['Designated Safeguarding Lead (DSL)'] },
  },
  admission: {
    cla: { has: ['admission.cla.pepTenDays', 'admission.cla.virtualSchool', 'admission.cpFileFiveDays', 'admission.keyAdult'], not: ['admission.cpla.ppPlusDeclaration'], staffSees: ['Virtual School'] },
    cpla: { has: ['admission.cpla.ppPlusDeclaration', 'admission.send', 'admission.priority'], not: ['admission.cpFileFiveDays'], staffSees: ['Parents or carers'] },
    cwswCurrent: { has: ['admission.cpFileFiveDays', 'admission.recordsFifteenDays'], not: ['admission.cla.pepTenDays'], staffSees: ['Previous school'] },
    cwswPast: { has: ['admission.cpFileFiveDays'], not: ['admission.priority'], staffSees: ['Previous school'] },
    kinship: { has: ['admission.keyAdult', 'admission.peerBuddy', 'admission.sayGoodbye'], not: ['admission.cpFileFiveDays'], staffSees: ['Class teacher or key adult'] },
    notOnRegister: { has: ['lead.dsl.outOfScope', 'admission.checkStatus', 'admission.recordsFifteenDays'], not: ['lead.dsl.notOnRegister'], staffSees: ['Designated Safeguarding Lead (DSL)'] },
  },
};

const START: Record<Dialog, string> = { attendance: "worried about a child's attendance", suspension: 'suspension', admission: 'new starter' };
const STATUS_WORDS = /looked after|in care|adopt|guardianship|protection plan|child in need|kinship|ESSEX|section 3/i;

async function rows(h: Harness, prefix: string, schoolId = 'oakfield-demo') {
  const out: Array<Record<string, unknown>> = [];
  for await (const row of h.store.client(TABLES.cases).listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`PartitionKey eq ${schoolId}` } })) {
    if (String(row.rowKey).startsWith(prefix)) out.push(row);
  }
  return out;
}

describe.each(['attendance', 'suspension', 'admission'] as Dialog[])('%s dialog, end to end, as a class teacher', (dialog) => {
  it.each(Object.keys(PICK) as Subject[])('for a %s child: shows the routing a teacher may see and saves the case', async (subject) => {
    const h = await createHarness();
    await h.install('dsl');
    await h.install('dt');
    await h.install('senco');

    let replies = await h.say(START[dialog]);
    // A new starter is asked first whether they are on the register yet (see newStarter.test.ts for "no").
    if (dialog === 'admission') replies = await h.say('yes');
    expect(questionOf(lastCard(replies))).toBe('pupil');

    replies = await h.say(PICK[subject]);
    if (subject === 'notOnRegister') {
      expect(cardText(lastCard(replies))).toContain('I could not find that child on the register');
      replies = await h.say({ verb: 'answer', question: 'pupil', notOnRegister: 'Jordan Notonroll, Year 3' });
      // Not found on the register when joining: asked about as a new starter, status not known.
      if (dialog === 'admission') replies = await h.say({ verb: 'answer', question: 'newStarter', givenName: 'Jordan', familyName: 'Notonroll', yearGroup: '3', status: 'noneKnown' });
    }
    for (const answer of ANSWERS[dialog]) {
      expect(questionOf(lastCard(replies))).not.toBe('confirm');
      replies = await h.say(answer);
    }
    const confirm = lastCard(replies);
    expect(questionOf(confirm)).toBe('confirm');
    const shown = cardText(confirm);
    // Grouped by the person who acts; whoever is told is named in what that person does.
    for (const who of EXPECT[dialog][subject].staffSees) expect(shown.toLowerCase()).toContain(who.toLowerCase());
    // Need to know: a teacher sees who is told, never why the child qualifies.
    expect(shown).not.toMatch(STATUS_WORDS);
    expect(shown).not.toContain('Why:');

    replies = await h.say({ verb: 'answer', question: 'confirm', draftId: draftIdOf(confirm) });
    const receipt = cardText(lastCard(replies));
    const ref = /Sent: ((ATT|SUS|ADM)-\w{5})/.exec(receipt)?.[1];
    expect(ref).toMatch(CASE_REF_PATTERN);

    // Saved: the case with its plan, its audit entries and its notifications, together.
    const caseRows = await rows(h, 'case|');
    expect(caseRows).toHaveLength(1);
    const record = (await h.parts.cases.get('oakfield-demo', String(caseRows[0]!.rowKey).slice(5)))!;
    expect(record.ref).toBe(ref);
    expect(record.caseType).toBe(dialog);
    expect(record.subject.kind).toBe(subject !== 'notOnRegister' ? 'onRegister' : dialog === 'admission' ? 'newStarter' : 'notOnRegister');
    const ids = record.plan.steps.map((s) => s.id);
    expect(ids).toEqual(expect.arrayContaining(EXPECT[dialog][subject].has));
    for (const absent of EXPECT[dialog][subject].not) expect(ids).not.toContain(absent);
    const trail = await h.parts.cases.auditTrail('oakfield-demo', record.id);
    expect(trail.slice(0, 2).map((e) => e.action)).toEqual(['raised', 'routed']);
    expect(trail[0]!.actor).toEqual({ aadObjectId: '00000000-0000-0000-0000-0000000000020', name: 'Alex Wilber' });

    // The DSL (installed) got a card; external messages wait for approval.
    const toDsl = h.sender.sent.filter((s) => s.ref.aadObjectId === '00000000-0000-0000-0000-0000000000021');
    expect(toDsl).toHaveLength(1);
    // With steps waiting for approval the DSL gets the approval card (buttons); otherwise the case card.
    const dslCard = JSON.stringify(toDsl[0]!.activity.attachments?.[0]?.content);
    if (record.approval.required) expect(dslCard).toContain('"verb":"approveCase"');
    else expect(dslCard).toContain(`New: ${DIALOG_SPECS[dialog].title} (${ref})`);
    const notes = await h.parts.cases.notifications('oakfield-demo', record.id);
    const external = notes.filter((n) => n.channel === 'email');
    expect(external.every((n) => n.status === 'awaitingApproval')).toBe(true);
    expect(external.length).toBe(record.plan.steps.filter((s) => ['virtualSchool', 'socialWorker', 'localAuthority'].includes(s.who)).length);
    // The deputy DSL has not installed the app: their card waits, pending.
    const deputy = notes.find((n) => n.channel === 'teams' && n.to.aadObjectId === '00000000-0000-0000-0000-0000000000023');
    if (deputy) expect(deputy.status).toBe('pending');
    expect(trail.filter((e) => e.action === 'notified').length).toBe(h.sender.sent.length);
  });
});
