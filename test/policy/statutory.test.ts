import { SchoolCalendar } from '../../policy/calendar';
import { CaseAnswersInput } from '../../policy/cases';
import { IsoDate, isoDate } from '../../policy/dates';
import { pepStatus } from '../../policy/pep';
import { POLICY_PROFILE_IDS, PolicyProfileId } from '../../policy/profiles';
import { STATUTORY } from '../../policy/profiles/citations';
import { Pupil } from '../../policy/pupil';
import { routingPlan, RoutingPlan, RoutingStep } from '../../policy/routingPlan';
import { CLA, CPLA, CWSW_ASSESSMENT, CWSW_CIN, CWSW_CP, CWSW_PAST, MONDAY, profile, pupil, SOCIAL_WORKER } from './fixtures';

/**
 * The statutory base: duties every school in England has, whatever its own policy says. Each test
 * names the law or guidance it comes from (see policy/profiles/citations.ts), and runs under all five
 * policy profiles.
 */

const ALL = POLICY_PROFILE_IDS.map((p) => [p] as const);

const plan = (p: PolicyProfileId, child: Pupil | null, answers: CaseAnswersInput, today: IsoDate = MONDAY): RoutingPlan => routingPlan(answers.caseType, answers, child, profile(p), today);
const ids = (p: RoutingPlan) => p.steps.map((s) => s.id);
function step(p: RoutingPlan, id: string): RoutingStep {
  const s = p.steps.find((x) => x.id === id);
  if (!s) throw new Error(`no step ${id}; steps: ${ids(p).join(', ')}`);
  return s;
}
const cites = (s: RoutingStep, c: (typeof STATUTORY)[keyof typeof STATUTORY]) => [s.source, ...(s.alsoSources ?? [])].some((x) => JSON.stringify(x) === JSON.stringify(c));

const decided = (days: number, o: { history?: object; kind?: 'suspension' | 'permanentExclusion'; startDate?: string; consulted?: string[]; missesExam?: boolean } = {}): CaseAnswersInput => ({
  caseType: 'suspension',
  stage: 'decided',
  whatHappened: 'A serious incident.',
  decision: { kind: o.kind ?? 'suspension', startDate: o.startDate ?? '2026-11-24', days, missesExam: o.missesExam ?? false },
  history: o.history ?? {},
  consultedBeforeDecision: (o.consulted ?? ['virtualSchool', 'parentsCarers', 'socialWorker']) as Array<'virtualSchool' | 'parentsCarers' | 'socialWorker'>,
});
const atRisk = (a: object = {}): CaseAnswersInput => ({ caseType: 'suspension', stage: 'atRisk', whatHappened: 'Threw a chair after a change of routine.', ...a });

describe('suspension: education from the sixth school day (Education (Provision of Full-Time Education for Excluded Pupils) Regulations 2007, reg. 3, as amended by SI 2014/3216 reg. 2(2))', () => {
  it.each(ALL)('%s: a suspension of more than five school days has the sixth-day step, in every county', (p) => {
    // Tuesday 24 November + 5 school days: the sixth school day is Tuesday 1 December.
    const s = step(plan(p, pupil([CWSW_CIN]), decided(6)), 'suspension.decided.provisionDaySix');
    expect([s.deadline, s.source]).toEqual(['2026-12-01', STATUTORY.daySixSchool]);
    expect(ids(plan(p, pupil([CWSW_CIN]), decided(5)))).not.toContain('suspension.decided.provisionDaySix');
  });

  it.each(ALL)('%s: back-to-back suspensions add up: 3 days straight after 4 gives the duty, on the sixth consecutive day', (p) => {
    const s = step(plan(p, pupil([CWSW_CIN]), decided(3, { history: { consecutiveDaysBefore: 4 } })), 'suspension.decided.provisionDaySix');
    // Days 1-4 before Tuesday; Tuesday is day 5, Wednesday 25 November day 6.
    expect(s.deadline).toBe('2026-11-25');
    expect(s.rationale).toMatch(/4 school days of suspension straight before this one/);
    expect(ids(plan(p, pupil([CWSW_CIN]), decided(1, { history: { consecutiveDaysBefore: 4 } })))).not.toContain('suspension.decided.provisionDaySix');
  });

  it('a school policy promising provision from day one (Offord, children in care) adds a step: it never replaces the sixth-day duty', () => {
    const offord = plan('offord', pupil([CLA]), decided(7));
    expect(ids(offord)).toEqual(expect.arrayContaining(['suspension.decided.provisionDayOne', 'suspension.decided.provisionDaySix']));
    expect(step(offord, 'suspension.decided.provisionDayOne').deadline).toBe('2026-11-24');
    // The Cambridgeshire provider template has no such clause.
    expect(ids(plan('cambridgeshireModel', pupil([CLA]), decided(7)))).not.toContain('suspension.decided.provisionDayOne');
  });

  it.each(ALL)('%s: for a permanent exclusion the sixth-day duty is the local authority\'s (Education Act 1996 s.19(3A)), and the step says so', (p) => {
    const s = step(plan(p, pupil([CWSW_CIN]), decided(1, { kind: 'permanentExclusion' })), 'suspension.decided.provisionDaySixLocalAuthority');
    expect(s.what).toMatch(/the local authority must arrange suitable full-time education from the sixth school day/);
    expect(s.source).toEqual(STATUTORY.daySixLocalAuthority);
    expect(s.deadline).toBe('2026-12-01');
  });
});

describe('before acting (suspension guidance 2023/24, Part Four: looked-after children; each school\'s own rules): checked at every stage', () => {
  it.each(ALL)('%s: a decided suspension of a child in care whose Virtual School was not consulted puts it first, before the suspension starts, flagged to the DSL and headteacher', (p) => {
    const plan1 = plan(p, pupil([CLA]), decided(2, { startDate: '2026-11-26', consulted: [] }));
    const missed = step(plan1, 'suspension.cla.virtualSchoolBeforeDecision');
    expect(missed.flag).toBe('missedBeforeDecision');
    expect(missed.timing).toEqual({ kind: 'byDate', label: 'before the suspension starts on Thu 26 Nov 2026' });
    // The school day before Thursday 26th.
    expect(missed.deadline).toBe('2026-11-25');
    const flagged = step(plan1, 'suspension.decided.consultationMissed');
    expect([flagged.who, flagged.owner, flagged.flag]).toEqual(['headteacher', 'DSL', 'missedBeforeDecision']);
    expect(flagged.what).toMatch(/The DSL and the headteacher review the decision/);
    // Consulted: nothing missed.
    expect(ids(plan(p, pupil([CLA]), decided(2, { consulted: ['virtualSchool', 'socialWorker'] })))).not.toContain('suspension.decided.consultationMissed');
  });

  it('a decided case never shows a "before any decision" step (the SEND check becomes a check that adjustments were made)', () => {
    const p = plan('leys', pupil([CLA], { send: 'ehcp' }), decided(2, { consulted: [] }));
    expect(p.steps.filter((s) => s.timing.kind === 'beforeDecision')).toEqual([]);
    expect(step(p, 'suspension.send').what).toMatch(/were in place before the decision/);
  });
});

describe('notifications once decided (School Discipline (Pupil Exclusions and Reviews) Regulations 2012, reg. 5, as amended by SI 2022/788; guidance para. 63)', () => {
  it.each(ALL)('%s: parents, the local authority (its exclusions contact), the social worker and the Virtual School Head, each without delay, each a duty', (p) => {
    const s = plan(p, pupil([CLA], { socialWorker: SOCIAL_WORKER }), decided(2));
    for (const id of ['suspension.decided.parents', 'suspension.decided.localAuthority', 'suspension.decided.socialWorker', 'suspension.decided.virtualSchool']) {
      expect([id, step(s, id).deadline, step(s, id).duty]).toEqual([id, MONDAY, true]);
    }
    expect(step(s, 'suspension.decided.localAuthority').contact).toEqual({ name: 'Hertfordshire exclusions team (demo)', email: 'exclusions@herts-la.example.org', phone: '01632 960010' });
    expect(step(s, 'suspension.decided.parents').what).toMatch(/right to make representations/);
  });
});

describe('the 45-school-day limit (suspension guidance 2023/24, Part Three)', () => {
  it.each(ALL)('%s: a decision that would pass it is blocked until the headteacher changes it, and the plan says why', (p) => {
    const blocked = plan(p, pupil([CWSW_CIN]), decided(6, { history: { daysThisYear: 40 } }));
    expect(blocked.blocked?.reason).toMatch(/would bring suspensions this school year to 46 school days: the legal maximum is 45/);
    expect(blocked.blocked?.reason).toMatch(/at most 5 more days/);
    expect(plan(p, pupil([CWSW_CIN]), decided(5, { history: { daysThisYear: 40 } })).blocked).toBeUndefined();
  });
});

describe("the governing board's duties (School Discipline Regulations 2012, reg. 6(1); academies reg. 24(1))", () => {
  const cal = new SchoolCalendar(profile('leys').calendar);
  it.each(ALL)('%s: all four cases, with their time limits', (p) => {
    const over15 = step(plan(p, pupil([CWSW_CIN]), decided(4, { history: { daysThisTerm: 12 } })), 'suspension.decided.governorsReinstatement');
    expect(over15.deadline).toBe(cal.addSchoolDays(MONDAY, 15));
    expect(ids(plan(p, pupil([CWSW_CIN]), decided(1, { kind: 'permanentExclusion' })))).toContain('suspension.decided.governorsReinstatement');
    const exam = step(plan(p, pupil([CWSW_CIN]), decided(2, { missesExam: true })), 'suspension.decided.governorsExam');
    expect(exam.what).toMatch(/before the date of the examination or test where reasonably practicable/);
    const reps = step(plan(p, pupil([CWSW_CIN]), decided(3, { history: { daysThisTerm: 3 } })), 'suspension.decided.governorsRepresentations');
    expect(reps.deadline).toBe(cal.addSchoolDays(MONDAY, 50));
    expect(ids(plan(p, pupil([CWSW_CIN]), decided(3, { history: { daysThisTerm: 2 } })))).not.toContain('suspension.decided.governorsRepresentations');
  });
});

describe('unexplained absence (Working together to improve school attendance 2024; Keeping children safe in education, children absent from education)', () => {
  it.each(ALL)('%s: every child with a social worker: the social worker told the same day; a child in care: the Virtual School too', (p) => {
    const cin = plan(p, pupil([CWSW_CIN], { socialWorker: SOCIAL_WORKER }), { caseType: 'attendance', unexplainedToday: true });
    expect(step(cin, 'attendance.unexplained.socialWorkerToday').deadline).toBe(MONDAY);
    expect(ids(cin)).not.toContain('attendance.unexplained.virtualSchoolToday');
    const cla = plan(p, pupil([CLA]), { caseType: 'attendance', unexplainedToday: true });
    expect(step(cla, 'attendance.unexplained.virtualSchoolToday').deadline).toBe(MONDAY);
    expect(step(cla, 'attendance.unexplained.socialWorkerToday').deadline).toBe(MONDAY);
  });

  it.each(ALL)('%s: a child on a CP plan stays a same-day safeguarding matter for the DSL, first in the plan', (p) => {
    const cp = plan(p, pupil([CWSW_CP]), { caseType: 'attendance', unexplainedToday: true });
    expect(cp.steps[0]).toMatchObject({ id: 'attendance.cp.unexplainedAbsence', who: 'DSL', deadline: MONDAY, flag: 'safeguarding' });
  });

  it.each(ALL)('%s: a child assessed under section 17 with a social worker allocated but no plan yet has a social worker (VSH role extension, "Defining the cohort")', (p) => {
    const s = plan(p, pupil([CWSW_ASSESSMENT]), { caseType: 'attendance', unexplainedToday: true });
    expect(s.inScope).toBe(true);
    expect(ids(s)).toContain('attendance.unexplained.socialWorkerToday');
    expect(s.statusLabels).toContain('Has a social worker: assessed under section 17 (no plan yet)');
  });
});

describe('joining (KCSIE Annex C, child protection files; Part two, children who need a social worker)', () => {
  it.each(ALL)('%s: a child on a CIN or CP plan joining: the social worker is told and their details recorded', (p) => {
    const withSw = step(plan(p, pupil([CWSW_CP], { socialWorker: SOCIAL_WORKER }), { caseType: 'admission', startDate: '2026-11-30' }), 'admission.socialWorker');
    expect([withSw.who, withSw.needsApprovalBy, withSw.contact?.email]).toEqual(['socialWorker', 'DSL', SOCIAL_WORKER.email]);
    expect(step(plan(p, pupil([CWSW_CIN]), { caseType: 'admission', startDate: '2026-11-30' }), 'admission.socialWorker').what).toMatch(/details are not on the register: ask the previous school or the local authority, and record them/);
  });

  it.each(ALL)('%s: the child protection file clock follows KCSIE: within 5 days in year, within the first 5 days of a new term', (p) => {
    const inYear = step(plan(p, pupil([CWSW_CP]), { caseType: 'admission', startDate: '2026-11-30' }), 'admission.cpFileFiveDays');
    expect(inYear.what).toMatch(/^An in-year transfer: .* within 5 days/);
    expect(inYear.deadline).toBe('2026-12-07');
    // Spring term starts Tuesday 5 January 2027 (after the INSET day on the 4th).
    const newTerm = step(plan(p, pupil([CWSW_CP]), { caseType: 'admission', startDate: '2027-01-05' }), 'admission.cpFileFiveDays');
    expect(newTerm.what).toMatch(/within the first 5 days of the term/);
  });
});

describe('PEPs (Promoting the education of looked-after children 2018; the care planning guidance, volume 2)', () => {
  const leys = profile('leys');
  const cal = new SchoolCalendar(leys.calendar);
  it('a new starter\'s PEP that has not happened stays overdue until it does, however long ago they joined', () => {
    const child = pupil([CLA], { onRollSince: isoDate('2026-09-03') });
    expect(pepStatus(child, undefined, cal, isoDate('2026-09-10'), 10)?.state).toBe('newPepDue');
    expect(pepStatus(child, undefined, cal, isoDate('2027-03-01'), 10)).toMatchObject({ state: 'overdue', dueBy: '2026-09-17' });
    expect(pepStatus(child, isoDate('2026-09-15'), cal, isoDate('2026-09-20'), 10)?.state).not.toBe('overdue');
  });

  it('a child who comes into care while on roll starts a PEP clock: 20 school days from entering care', () => {
    const child = pupil([{ kind: 'CLA', legalBasis: 's31', placingAuthority: 'ESSEX', since: isoDate('2026-11-02') }], { onRollSince: isoDate('2025-09-03') });
    expect(pepStatus(child, isoDate('2026-06-01'), cal, MONDAY, 10)).toMatchObject({ state: 'newPepDue', dueBy: cal.addSchoolDays(isoDate('2026-11-02'), 20) });
    expect(pepStatus(child, isoDate('2026-06-01'), cal, isoDate('2026-12-15'), 10)?.state).toBe('overdue');
    expect(pepStatus(child, isoDate('2026-11-20'), cal, isoDate('2026-12-15'), 10)?.state).not.toBe('overdue');
  });
});

describe('suspension risk (suspension guidance 2023/24, Part Four: pupils with a social worker; Working together to improve school attendance, part-time timetables)', () => {
  it.each(ALL)('%s: parents or carers are involved at the at-risk stage for every child in the cohort', (p) => {
    for (const status of [CLA, CPLA, CWSW_CIN]) expect(step(plan(p, pupil([status]), atRisk()), 'suspension.parentsCarers').who).toBe('parentsCarers');
  });

  it.each(ALL)('%s: a reduced timetable only with its safeguards: agreed with parents and social care, time-limited, reviewed', (p) => {
    const s = step(plan(p, pupil([CWSW_CIN]), atRisk({ tried: ['reducedTimetable'] })), 'suspension.reducedTimetableSafeguards');
    expect(s.what).toMatch(/agreed with the parents and with social care/);
    expect(s.what).toMatch(/for the shortest time with a date by which the child is back full time, and reviewed regularly/);
    expect(cites(s, STATUTORY.partTimeTimetable)).toBe(true);
  });
});

describe('term dates (deadlines are counted in school days)', () => {
  it('after the last term date the school has entered, deadlines are estimates and the plan says term dates are missing', () => {
    // The demo school's terms end on 21 July 2027: 15 school days from 12 July runs past it.
    const p = plan('leys', pupil([CPLA]), { caseType: 'admission', startDate: '2027-07-12' }, isoDate('2027-07-05'));
    const records = step(p, 'admission.recordsFifteenDays');
    expect(records.estimated).toBe(true);
    const note = step(p, 'lead.dsl.termDates');
    expect(note.what).toMatch(/term dates end on Wed 21 Jul 2027/);
    expect(note.what).toMatch(/Add the next term dates to the school profile/);
    expect(ids(plan('leys', pupil([CPLA]), { caseType: 'admission', startDate: '2026-11-30' }))).not.toContain('lead.dsl.termDates');
  });
});

describe('one date format in what people read', () => {
  it('statuses and census dates are written "Thu 21 Jan 2027", never ISO', () => {
    const p = plan('leys', pupil([CWSW_PAST]), atRisk());
    expect(p.statusLabels.join(' ')).toMatch(/ended Sun 1 May 2022/);
    const census = step(plan('leys', pupil([CPLA]), { caseType: 'admission', startDate: '2026-11-30' }), 'admission.cpla.ppPlusDeclaration');
    expect(census.what).toMatch(/January census on Thu 21 Jan 2027/);
    for (const s of [...p.steps, census]) expect(s.what).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  });
});
