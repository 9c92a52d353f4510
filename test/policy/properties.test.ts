import fc from 'fast-check';
import { SchoolCalendar } from '../../policy/calendar';
import { ALTERNATIVES, CaseAnswersInput } from '../../policy/cases';
import { addDays, IsoDate, isoDate } from '../../policy/dates';
import { CohortStatus, Pupil } from '../../policy/pupil';
import { routingPlan } from '../../policy/routingPlan';
import { POLICY_PROFILE_IDS, PolicyProfileId } from '../../policy/profiles';
import { decide } from '../../policy/approval';
import { externalNotifications, CaseRecord } from '../../policy/caseRecord';
import { leadView, sltSummary, staffView } from '../../policy/views';
import { profile, pupil } from './fixtures';

const FIRST = isoDate('2025-09-01');
const dateArb = fc.integer({ min: 0, max: 700 }).map((n) => addDays(FIRST, n));
const laArb = fc.constantFrom('HERTS', 'ESSEX', 'LUTON', 'NOWHERE');

const statusArb: fc.Arbitrary<CohortStatus> = fc.oneof(
  fc.record({ kind: fc.constant('CLA' as const), legalBasis: fc.constantFrom('s20', 's31', 's38', 's44', 's46', 's21' as const), placingAuthority: laArb }),
  fc.record({ kind: fc.constant('CPLA' as const), route: fc.constantFrom('adoption', 'SGO', 'CAO' as const), evidenceSeen: fc.boolean() }),
  fc.record({ kind: fc.constant('CWSW' as const), plan: fc.constantFrom('CIN', 'CP' as const) }),
  fc.record({ kind: fc.constant('CWSW' as const), plan: fc.constantFrom('CIN', 'CP' as const), endedOn: fc.integer({ min: 0, max: 3650 }).map((n) => addDays(isoDate('2017-01-01'), n)) }),
  fc.record({ kind: fc.constant('KINSHIP' as const), arrangement: fc.constantFrom('formal', 'informal' as const) }),
);

const NAMES = fc.constantFrom('Zebediah', 'Quillon', 'Marigold', 'Thaddeus', 'Wrenna');
const pupilArb: fc.Arbitrary<Pupil | null> = fc.option(
  fc.record({ statuses: fc.array(statusArb, { maxLength: 3 }), send: fc.constantFrom('none', 'senSupport', 'ehcp' as const), given: NAMES, family: NAMES, pct: fc.option(fc.double({ min: 0, max: 100, noNaN: true }), { nil: undefined }), sw: fc.boolean() }).map((r) =>
    pupil(r.statuses, {
      send: r.send,
      givenName: r.given,
      familyName: `${r.family}son`,
      attendancePercent: r.pct,
      socialWorker: r.sw ? { name: 'Made-up Worker', email: 'sw@socialcare.example.org' } : undefined,
    }),
  ),
  { nil: null, freq: 8 },
);

const decidedArb = fc.record({
  caseType: fc.constant('suspension' as const),
  stage: fc.constant('decided' as const),
  whatHappened: fc.constant('Something happened in class.'),
  decision: fc.record({ kind: fc.constantFrom('suspension', 'permanentExclusion' as const), startDate: dateArb, days: fc.integer({ min: 1, max: 15 }), missesExam: fc.boolean() }),
  history: fc.record({ suspensionsThisYear: fc.integer({ min: 0, max: 5 }), daysThisYear: fc.integer({ min: 0, max: 45 }), daysThisTerm: fc.integer({ min: 0, max: 20 }), consecutiveDaysBefore: fc.integer({ min: 0, max: 8 }) }),
  consultedBeforeDecision: fc.subarray(['virtualSchool', 'parentsCarers', 'socialWorker'] as const),
});

const answersArb: fc.Arbitrary<CaseAnswersInput> = fc.oneof(
  fc.record({
    caseType: fc.constant('attendance' as const),
    unexplainedToday: fc.boolean(),
    attendancePercent: fc.option(fc.double({ min: 0, max: 100, noNaN: true }), { nil: undefined }),
    consecutiveUnauthorisedDays: fc.option(fc.integer({ min: 0, max: 30 }), { nil: undefined }),
    reasons: fc.subarray(['placementMove', 'contact', 'court', 'review', 'illness', 'unknown'] as const),
  }),
  fc.record({
    caseType: fc.constant('suspension' as const),
    stage: fc.constant('atRisk' as const),
    whatHappened: fc.constant('Something happened in class.'),
    tried: fc.subarray([...ALTERNATIVES]),
    history: fc.record({ suspensionsThisYear: fc.integer({ min: 0, max: 5 }), daysThisYear: fc.integer({ min: 0, max: 45 }), daysThisTerm: fc.integer({ min: 0, max: 20 }) }),
  }),
  decidedArb,
  fc.record({
    caseType: fc.constant('admission' as const),
    startDate: dateArb,
    statusEvidenceSeen: fc.boolean(),
    keyAdult: fc.constantFrom('notYet', 'Mrs Example'),
    peerBuddy: fc.constantFrom('notYet', 'A classmate'),
    send: fc.constantFrom('none', 'senSupport', 'ehcp' as const),
  }),
);

const packArb = fc.constantFrom<PolicyProfileId>(...POLICY_PROFILE_IDS);
const PROFILES = Object.fromEntries(POLICY_PROFILE_IDS.map((id) => [id, profile(id)])) as Record<PolicyProfileId, ReturnType<typeof profile>>;
const CALENDAR = new SchoolCalendar(PROFILES.leys.calendar);

const STATUS_WORDS = /looked.after|in care\b|adopt|guardianship|arrangements order|protection plan|child in need|kinship|EHCP|SEN support|placed by|section \d/i;

describe('properties of every routing plan (random pupils, answers, packs and dates)', () => {
  it('has a step for the DSL or DT, and every deadline is a school day on or after today', () => {
    fc.assert(
      fc.property(packArb, pupilArb, answersArb, dateArb, (pack, child, answers, today: IsoDate) => {
        const plan = routingPlan(answers.caseType, answers, child, PROFILES[pack], today);
        expect(plan.steps.some((s) => s.who === 'DSL' || s.who === 'DT')).toBe(true);
        for (const s of plan.steps) {
          expect(CALENDAR.isSchoolDay(s.deadline)).toBe(true);
          expect(s.deadline >= today).toBe(true);
          // Every step cites this school's own policy or the statute, never another school's.
          for (const c of [s.source, ...(s.alsoSources ?? [])]) if (c.kind === 'policy') expect(c.document).toBe(plan.policy.document);
        }
        // Every step a plan depends on comes earlier in the plan.
        const position = new Map(plan.steps.map((s, i) => [s.id, i]));
        for (const [i, s] of plan.steps.entries()) for (const dep of s.after ?? []) expect(position.get(dep) ?? -1).toBeLessThan(i);
        // Step ids are unique within a plan.
        expect(new Set(plan.steps.map((s) => s.id)).size).toBe(plan.steps.length);
      }),
      { numRuns: 3000 },
    );
  });

  it('the SLT view names no child and carries no status or free text; the staff view never says why the child qualifies', () => {
    fc.assert(
      fc.property(packArb, fc.array(fc.tuple(pupilArb, answersArb), { minLength: 1, maxLength: 6 }), dateArb, (pack, cases, today) => {
        const plans = cases.map(([child, answers]) => ({ child, plan: routingPlan(answers.caseType, answers, child, PROFILES[pack], today) }));
        const slt = JSON.stringify(sltSummary(plans.map((p) => p.plan)));
        for (const { child, plan } of plans) {
          if (child) {
            for (const secret of [child.givenName, child.familyName, child.id, child.dateOfBirth]) expect(slt).not.toContain(secret);
          }
          expect(slt).not.toMatch(STATUS_WORDS);
          const staff = JSON.stringify(staffView(plan));
          expect(staff).not.toMatch(STATUS_WORDS);
          for (const label of plan.statusLabels) expect(staff).not.toContain(label);
          for (const s of plan.steps) expect(staff).not.toContain(s.rationale);
          // The lead view has everything the plan has.
          expect(leadView(plan).steps.map((s) => s.id)).toEqual(plan.steps.map((s) => s.id));
        }
      }),
      { numRuns: 1000 },
    );
  });
});

/** Properties the statutory corrections promise, over random children, decisions and profiles. */
describe('properties of decided suspensions (statutory base)', () => {
  it('every decided suspension of more than five consecutive school days (back-to-back ones added) has a sixth-day step, and a permanent exclusion the local authority\'s', () => {
    fc.assert(
      fc.property(packArb, pupilArb, decidedArb, dateArb, (pack, child, answers, today) => {
        const plan = routingPlan('suspension', answers, child, PROFILES[pack], today);
        if (!plan.inScope) return;
        const ids = plan.steps.map((s) => s.id);
        if (answers.decision.kind === 'permanentExclusion') expect(ids).toContain('suspension.decided.provisionDaySixLocalAuthority');
        else if (answers.history.consecutiveDaysBefore + answers.decision.days > 5) expect(ids).toContain('suspension.decided.provisionDaySix');
        else expect(ids).not.toContain('suspension.decided.provisionDaySix');
      }),
      { numRuns: 2000 },
    );
  });

  it('no plan for a decided case has a "before any decision" step, except one flagged as missed', () => {
    fc.assert(
      fc.property(packArb, pupilArb, decidedArb, dateArb, (pack, child, answers, today) => {
        const plan = routingPlan('suspension', answers, child, PROFILES[pack], today);
        for (const s of plan.steps) if (s.timing.kind === 'beforeDecision') expect(s.flag).toBe('missedBeforeDecision');
      }),
      { numRuns: 2000 },
    );
  });

  const requestArb = fc.oneof(
    fc.record({ verb: fc.constant('approve' as const), note: fc.option(fc.constant('A note.'), { nil: undefined }) }),
    fc.record({ verb: fc.constant('amend' as const), reason: fc.constant('Changed for a reason.'), sendSome: fc.array(fc.boolean(), { maxLength: 6 }) }),
    fc.record({ verb: fc.constant('decline' as const), reason: fc.constant('Declined for a reason.') }),
  );

  it('the statutory notifications of a decided suspension survive every approval path (approve, amend with any ticks, decline)', () => {
    fc.assert(
      fc.property(packArb, pupilArb, decidedArb, requestArb, (pack, child, answers, request) => {
        const plan = routingPlan('suspension', answers, child, PROFILES[pack], MONDAY_DATE);
        const external = externalNotifications('c1', plan);
        const awaiting = external.filter((n) => n.status === 'awaitingApproval');
        const dutyIds = awaiting.filter((n) => plan.steps.some((s) => s.duty && n.stepIds.includes(s.id))).map((n) => n.id);
        const record = { plan, approval: { required: awaiting.length > 0 } } as unknown as CaseRecord;
        const req =
          request.verb === 'amend'
            ? { verb: 'amend' as const, reason: request.reason, send: awaiting.filter((_n, i) => request.sendSome[i] ?? false).map((n) => n.id) }
            : request;
        const outcome = decide(record, awaiting, req, { aadObjectId: 'dsl', name: 'DSL' }, ['DSL'], new Date('2026-11-23T10:00:00Z'));
        if (outcome.ok) for (const id of dutyIds) expect(outcome.decision.sendNotificationIds).toContain(id);
        else if (dutyIds.length > 0) expect(['dutiesCannotBeDeclined', 'nothingToApprove']).toContain(outcome.problem);
      }),
      { numRuns: 2000 },
    );
  });
});

const MONDAY_DATE = isoDate('2026-11-23');
