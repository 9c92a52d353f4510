import { caseSummaryRows } from '../cards/caseSummary';
import { FormCardFrame } from '../cards/formCard';
import { caseNotificationCard, confirmCard, receiptCard } from '../cards/planCards';
import { admissionDetailsCard } from '../cards/questions/admissionCards';
import { attendanceDetailsCard } from '../cards/questions/attendanceCards';
import { pupilChoicesCard, pupilNotFoundCard, pupilSearchCard } from '../cards/questions/pupilCards';
import { decisionCard, stageCard, triedCard, whatHappenedCard } from '../cards/questions/suspensionCards';
import { ALTERNATIVES, CaseAnswersInput, caseAnswersSchema } from '../policy/cases';
import { routingPlan } from '../policy/routingPlan';
import { planByPerson } from '../policy/stepOwners';
import { leadView, staffView } from '../policy/views';
import { CLA, CWSW_CP, KINSHIP, MONDAY, profile, pupil } from './policy/fixtures';
import { checkCard } from './support/validateCard';

const MAX_BYTES = 40 * 1024;
const frame: FormCardFrame = { title: 'Worry about a suspension', questionId: 'q', step: 6, total: 6, canGoBack: true, error: 'E'.repeat(300), submitData: { draftId: '0f8fad5b-d9cb-469f-a165-70867728950e' } };
const long = (n: number) => 'Aa *bold* _it_ [link](http://x.example) <at>Head</at> ${x} 😀 '.repeat(Math.ceil(n / 60)).slice(0, n);

/** The biggest plan the engine makes: a looked-after child with an EHCP, a decided suspension over every limit, repeated. */
function biggestPlan() {
  const answers: CaseAnswersInput = {
    caseType: 'suspension',
    stage: 'decided',
    whatHappened: long(4000),
    tried: [...ALTERNATIVES],
    triedOther: long(2000),
    sendConsiderations: long(2000),
    history: { suspensionsThisYear: 4, daysThisYear: 44, daysThisTerm: 14 },
    decision: { kind: 'suspension', startDate: '2026-11-24', days: 10 },
  };
  const child = pupil([CLA, CWSW_CP, KINSHIP], { send: 'ehcp', socialWorker: { name: 'N'.repeat(120), email: 'sw@socialcare.example.org', phone: '0'.repeat(40) } });
  return { plan: routingPlan('suspension', answers, child, profile('offord'), MONDAY), answers: caseAnswersSchema.parse(answers) };
}

describe('every guided-dialog card is a valid Adaptive Card 1.5 under 40 KB at the largest realistic input', () => {
  const { plan, answers } = biggestPlan();
  const summary = caseSummaryRows(answers);
  const raiser = { aadObjectId: '00000000-0000-0000-0000-00000000abcd', name: 'N'.repeat(120) };
  const people = planByPerson(plan, profile('offord'), raiser, raiser.aadObjectId);
  const subject = `${'Alexandria-Maximiliana'.repeat(3)} (Year 6)`;
  const matches = Array.from({ length: 10 }, (_, i) => ({ id: `p${i}`, label: `${'Longname'.repeat(8)} ${i} (Reception)` }));
  const cases: Array<[string, unknown]> = [
    ['pupil search', pupilSearchCard(frame, { typedName: long(120) })],
    ['pupil search, a child chosen before', pupilSearchCard(frame, { chosen: { id: 'demo-p01', label: long(120) } })],
    ['pupil choices (10 matches)', pupilChoicesCard(frame, long(120), matches)],
    ['pupil not found', pupilNotFoundCard(frame, long(200))],
    ['attendance details (all filled)', attendanceDetailsCard(frame, { what: ['unexplainedToday', 'pattern'], sessionsMissed: 400, absenceType: 'mixed', reasons: ['court', 'contact'], attendancePercent: 12.5, consecutiveUnauthorisedDays: 30, alreadyDone: long(2000) })],
    ['what happened (4,000 characters)', whatHappenedCard(frame, long(4000))],
    ['tried (everything ticked)', triedCard(frame, { tried: [...ALTERNATIVES], triedOther: long(2000), sendConsiderations: long(2000) })],
    ['stage', stageCard(frame, 'decided')],
    ['decision', decisionCard(frame, { kind: 'permanentExclusion', startDate: '2026-11-24', days: 45 })],
    ['admission details (all filled)', admissionDetailsCard(frame, { startDate: '2026-11-30', previousSchool: long(200), statusEvidenceSeen: true, keyAdult: long(120), peerBuddy: long(120), transitionMeetingDate: '2026-11-26', send: 'ehcp' })],
    ['confirm (lead view, biggest plan)', confirmCard(frame, subject, summary, leadView(plan), people)],
    ['confirm (staff view, biggest plan)', confirmCard(frame, subject, summary, staffView(plan), people)],
    ['receipt (lead view)', receiptCard('SUS-ABCDE', 'Worry about a suspension', leadView(plan), false, people)],
    ['DSL notification (lead view)', caseNotificationCard({ ref: 'SUS-ABCDE', title: 'Worry about a suspension', subject, raisedBy: 'N'.repeat(120), raisedAt: 'Mon 23 Nov 2026, 09:00', summary, view: leadView(plan), externalAwaitingApproval: 9 })],
  ];

  it.each(cases)('%s', (_name, card) => {
    const { errors, bytes } = checkCard(card);
    expect(errors).toEqual([]);
    expect(bytes).toBeLessThan(MAX_BYTES);
  });

  it('user text stays in TextRuns, so Markdown, mentions and template syntax cannot change the card', () => {
    const card = JSON.stringify(confirmCard(frame, subject, summary, staffView(plan), people));
    const textBlocks = [...card.matchAll(/"type":"TextBlock","text":"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]!);
    expect(textBlocks.some((t) => t.includes('<at>'))).toBe(false);
    expect(textBlocks.some((t) => t.includes('${x}'))).toBe(false);
    expect(card).toContain('"type":"TextRun","text":"Aa *bold* _it_ [link](http://x.example) <at>Head</at> ${x}');
  });
});
