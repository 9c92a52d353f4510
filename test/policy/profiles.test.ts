import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CaseAnswersInput } from '../../policy/cases';
import { Citation, POLICY_PROFILE_IDS, POLICY_PROFILES, PolicyProfileId, resolvePolicy, SchoolRuleId } from '../../policy/profiles';
import { SCHOOL_RULE_IDS } from '../../policy/profiles/schoolRules';
import { profilesTable, TABLE_END, TABLE_START } from '../../policy/profiles/table';
import { CohortStatus, Pupil } from '../../policy/pupil';
import { routingPlan, RoutingPlan, RoutingStep } from '../../policy/routingPlan';
import { sdqDue } from '../../policy/sdq';
import { CLA, CPLA, CWSW_CIN, CWSW_EXPIRED, CWSW_PAST, KINSHIP, MONDAY, profile, pupil } from './fixtures';

/** Copies of the five seed policies, kept in the repository so the check runs anywhere. */
const SEEDS = path.join(__dirname, '..', '..', 'policy', 'seeds');
const normalise = (s: string) => s.replace(/[’‘]/g, "'").replace(/\s+/g, ' ').trim();
const fileText = (id: PolicyProfileId) => normalise(readFileSync(path.join(SEEDS, POLICY_PROFILES[id].file), 'utf8'));

const atRisk = (a: object = {}): CaseAnswersInput => ({ caseType: 'suspension', stage: 'atRisk', whatHappened: 'Threw a chair after a change of routine.', ...a });
const decided = (days: number): CaseAnswersInput => ({
  caseType: 'suspension',
  stage: 'decided',
  whatHappened: 'A serious incident.',
  decision: { kind: 'suspension', startDate: '2026-11-24', days },
  consultedBeforeDecision: ['virtualSchool', 'parentsCarers', 'socialWorker'],
});
const admission = (a: object = {}): CaseAnswersInput => ({ caseType: 'admission', startDate: '2026-11-30', ...a });

const planFor = (id: PolicyProfileId, statuses: CohortStatus[], answers: CaseAnswersInput, extra: Partial<Pupil> = {}): RoutingPlan =>
  routingPlan(answers.caseType, answers, pupil(statuses, extra), profile(id), MONDAY);
const citationsOf = (s: RoutingStep): Citation[] => [s.source, ...(s.alsoSources ?? [])];
const quoteOf = (id: PolicyProfileId, rule: SchoolRuleId) => POLICY_PROFILES[id].rules[rule]!.quote;

/**
 * For each rule of the catalogue, a situation where it applies, and what shows that the plan applied
 * it: a step that exists only because of it ("step"), or a step (there anyway, from the statute) that
 * cites the school's sentence ("cites"). Checked for every school whose policy states the rule, and,
 * the other way, for every school whose policy does not.
 */
interface Scenario {
  statuses: CohortStatus[];
  answers: CaseAnswersInput;
  extra?: Partial<Pupil>;
  step: string;
  shows: 'step' | 'cites' | 'inScope' | 'sdq';
}

const SCENARIOS: Record<SchoolRuleId, Scenario> = {
  'scope.kinship': { statuses: [KINSHIP], answers: { caseType: 'attendance' }, step: 'lead.dsl', shows: 'inScope' },
  'scope.hadSocialWorkerSixYears': { statuses: [CWSW_PAST], answers: { caseType: 'attendance' }, step: 'lead.dsl', shows: 'inScope' },
  'scope.hadSocialWorkerEver': { statuses: [CWSW_EXPIRED], answers: { caseType: 'attendance' }, step: 'lead.dsl', shows: 'inScope' },
  'lead.referForAdvice': { statuses: [CWSW_CIN], answers: { caseType: 'attendance' }, step: 'lead.dsl', shows: 'cites' },
  'attendance.contactSocialWorker': { statuses: [CWSW_CIN], answers: { caseType: 'attendance' }, step: 'attendance.socialWorker', shows: 'cites' },
  'attendance.contactParents': { statuses: [CWSW_CIN], answers: { caseType: 'attendance' }, step: 'attendance.parentsCarers', shows: 'cites' },
  'attendance.speakToChild': { statuses: [CWSW_CIN], answers: { caseType: 'attendance' }, step: 'attendance.child', shows: 'cites' },
  'attendance.virtualSchool': { statuses: [CLA], answers: { caseType: 'attendance' }, step: 'attendance.cla.virtualSchool', shows: 'step' },
  'attendance.placementMoveAdjustments': { statuses: [CLA], answers: { caseType: 'attendance', reasons: ['placementMove'] }, step: 'attendance.reasonableAdjustments', shows: 'step' },
  'attendance.lowerThresholdsBeforeDiscipline': { statuses: [CLA], answers: { caseType: 'attendance' }, step: 'attendance.noFormalActionFirst', shows: 'step' },
  'suspension.everyEffortToAvoid': { statuses: [CLA], answers: atRisk(), step: 'suspension.alternativesFirst', shows: 'cites' },
  'suspension.alternativesList': { statuses: [CWSW_CIN], answers: atRisk({ tried: ['softStart'] }), step: 'suspension.alternativesFirst', shows: 'cites' },
  'suspension.exploreAlternatives': { statuses: [CWSW_CIN], answers: atRisk(), step: 'suspension.alternativesFirst', shows: 'cites' },
  'suspension.childInCareVirtualSchool': { statuses: [CLA], answers: atRisk(), step: 'suspension.cla.virtualSchoolBeforeDecision', shows: 'cites' },
  'suspension.virtualSchoolAdviserBeforeActing': { statuses: [CWSW_CIN], answers: atRisk(), step: 'suspension.cwsw.virtualSchoolBeforeActing', shows: 'step' },
  'suspension.previouslyInCareParentsFirst': { statuses: [CPLA], answers: atRisk(), step: 'suspension.cpla.parentsFirst', shows: 'step' },
  'suspension.previouslyInCareConsent': { statuses: [CPLA], answers: atRisk(), step: 'suspension.cpla.askConsent', shows: 'step' },
  'suspension.minimumDays': { statuses: [CWSW_CIN], answers: atRisk(), step: 'suspension.minimumDays', shows: 'step' },
  'suspension.lastResort': { statuses: [CLA], answers: atRisk(), step: 'suspension.lastResort', shows: 'step' },
  'suspension.planReintegration': { statuses: [CWSW_CIN], answers: decided(3), step: 'suspension.decided.reintegration', shows: 'cites' },
  'suspension.sendProcedures': { statuses: [CWSW_CIN], answers: atRisk(), extra: { send: 'ehcp' }, step: 'suspension.send', shows: 'cites' },
  'suspension.riskAssessment': { statuses: [CWSW_CIN], answers: atRisk(), step: 'suspension.riskAssessment', shows: 'step' },
  'suspension.repeatedSuspensions': { statuses: [CWSW_CIN], answers: atRisk({ history: { suspensionsThisYear: 1 } }), step: 'suspension.repeated', shows: 'cites' },
  'suspension.provisionFromDayOne': { statuses: [CLA], answers: decided(2), step: 'suspension.decided.provisionDayOne', shows: 'step' },
  'suspension.partTimeAgreedAndTimeLimited': { statuses: [CWSW_CIN], answers: atRisk(), step: 'suspension.reducedTimetableSafeguards', shows: 'cites' },
  'admission.priority': { statuses: [CPLA], answers: admission(), step: 'admission.priority', shows: 'cites' },
  'admission.transitionMeeting': { statuses: [CWSW_CIN], answers: admission(), step: 'admission.transitionMeeting', shows: 'cites' },
  'admission.transitionSupport': { statuses: [CWSW_CIN], answers: admission(), step: 'admission.transitionMeeting', shows: 'cites' },
  'admission.swiftTransfer': { statuses: [CWSW_CIN], answers: admission(), step: 'admission.recordsFifteenDays', shows: 'cites' },
  'admission.staffMentor': { statuses: [CWSW_CIN], answers: admission(), step: 'admission.keyAdult', shows: 'step' },
  'admission.peerBuddy': { statuses: [CWSW_CIN], answers: admission(), step: 'admission.peerBuddy', shows: 'step' },
  'admission.sayGoodbye': { statuses: [CWSW_CIN], answers: admission(), step: 'admission.sayGoodbye', shows: 'step' },
  'admission.attachmentActivities': { statuses: [CWSW_CIN], answers: admission(), step: 'admission.attachmentActivities', shows: 'step' },
  'admission.ehcpReview': { statuses: [CWSW_CIN], answers: admission({ send: 'ehcp' }), step: 'admission.send', shows: 'cites' },
  'pep.threeAYear': { statuses: [CLA], answers: admission(), step: 'admission.cla.pepTenDays', shows: 'cites' },
  'pep.ppPlusLinkedToPep': { statuses: [CLA], answers: admission(), step: 'admission.cla.pepTenDays', shows: 'cites' },
  'sdq.annual': { statuses: [CLA], answers: { caseType: 'attendance' }, step: '', shows: 'sdq' },
};

/** Whether a plan (for this school and scenario) shows that the rule was applied, citing its sentence. */
function applied(id: PolicyProfileId, rule: SchoolRuleId, sc: Scenario): boolean {
  if (sc.shows === 'sdq') {
    const sdq = sdqDue(pupil(sc.statuses), MONDAY, resolvePolicy({ profile: id, adds: [], omits: [] }));
    return sdq?.sources.some((c) => c.kind === 'policy') ?? false;
  }
  const p = planFor(id, sc.statuses, sc.answers, sc.extra);
  if (sc.shows === 'inScope') return p.inScope;
  const s = p.steps.find((x) => x.id === sc.step);
  if (!s) return false;
  if (sc.shows === 'step') return true;
  const own = POLICY_PROFILES[id].rules[rule];
  return own !== undefined && citationsOf(s).some((c) => c.kind === 'policy' && c.quote === own.quote);
}

const STATED = POLICY_PROFILE_IDS.flatMap((id) => SCHOOL_RULE_IDS.filter((r) => POLICY_PROFILES[id].rules[r]).map((r) => [id, r, POLICY_PROFILES[id].rules[r]!.quote] as const));
/** A broader rule a school states covers a narrower one it does not (no window covers six years). */
const COVERED_BY: Partial<Record<SchoolRuleId, SchoolRuleId>> = { 'scope.hadSocialWorkerSixYears': 'scope.hadSocialWorkerEver' };
const NOT_STATED = POLICY_PROFILE_IDS.flatMap((id) =>
  SCHOOL_RULE_IDS.filter((r) => !POLICY_PROFILES[id].rules[r] && SCENARIOS[r].shows !== 'cites' && !(COVERED_BY[r] && POLICY_PROFILES[id].rules[COVERED_BY[r]!])).map((r) => [id, r] as const),
);

describe("each school's own policy, rule by rule", () => {
  it.each(STATED)('%s states %s: "%s" (quoted verbatim from its own file)', (id, rule, quote) => {
    expect(fileText(id)).toContain(normalise(quote));
    expect(applied(id, rule, SCENARIOS[rule])).toBe(true);
  });

  it.each(NOT_STATED)('%s does not state %s, so its plans do not do it', (id, rule) => {
    expect(applied(id, rule, SCENARIOS[rule])).toBe(false);
  });

  it('every rule of the catalogue has a situation that shows it, and is stated by at least one school', () => {
    expect(Object.keys(SCENARIOS).sort()).toEqual([...SCHOOL_RULE_IDS].sort());
    for (const rule of SCHOOL_RULE_IDS) expect(POLICY_PROFILE_IDS.some((id) => POLICY_PROFILES[id].rules[rule])).toBe(true);
  });
});

describe('no step of one school cites another school\'s policy', () => {
  const statuses: CohortStatus[][] = [[CLA], [CPLA], [CWSW_CIN], [CWSW_PAST], [CWSW_EXPIRED], [KINSHIP], [CLA, KINSHIP]];
  const answers: CaseAnswersInput[] = [
    { caseType: 'attendance', unexplainedToday: true, reasons: ['placementMove'], attendancePercent: 40, consecutiveUnauthorisedDays: 12 },
    { caseType: 'attendance', attendancePercent: 85 },
    atRisk({ history: { suspensionsThisYear: 2 }, tried: ['reducedTimetable'] }),
    decided(6),
    { ...decided(2), consultedBeforeDecision: [] } as CaseAnswersInput,
    admission({ send: 'ehcp' }),
  ];
  it.each(POLICY_PROFILE_IDS.map((id) => [id] as const))('%s: every policy citation is its own document, and its quote is in its own file', (id) => {
    const text = fileText(id);
    let policyCitations = 0;
    for (const s of statuses)
      for (const a of answers)
        for (const send of ['none', 'ehcp'] as const) {
          const p = planFor(id, s, a, { send });
          expect(p.policy).toEqual({ profile: id, document: POLICY_PROFILES[id].document });
          for (const step of p.steps)
            for (const c of citationsOf(step)) {
              if (c.kind !== 'policy') continue;
              policyCitations++;
              expect(c.document).toBe(POLICY_PROFILES[id].document);
              expect(text).toContain(normalise(c.quote));
            }
        }
    expect(policyCitations).toBeGreaterThan(20);
  });
});

describe('the differences an independent read found', () => {
  it('Bushey Heath: no kinship care, no parents first, no Virtual School before an exclusion; its part-time safeguard is there', () => {
    expect(planFor('busheyHeath', [KINSHIP], { caseType: 'attendance' }).inScope).toBe(false);
    const cpla = planFor('busheyHeath', [CPLA], atRisk()).steps.map((s) => s.id);
    expect(cpla).not.toContain('suspension.cpla.parentsFirst');
    expect(cpla.filter((s) => s.includes('irtualSchool'))).toEqual([]);
    const partTime = planFor('busheyHeath', [CWSW_CIN], atRisk()).steps.find((s) => s.id === 'suspension.reducedTimetableSafeguards')!;
    expect(partTime.source).toEqual({ kind: 'policy', document: POLICY_PROFILES.busheyHeath.document, section: 'Alternative Provision', quote: quoteOf('busheyHeath', 'suspension.partTimeAgreedAndTimeLimited') });
  });

  it('the Cambridgeshire provider template has no provision from day one; Offord does, for children in care', () => {
    expect(planFor('cambridgeshireModel', [CLA], decided(2)).steps.map((s) => s.id)).not.toContain('suspension.decided.provisionDayOne');
    expect(planFor('offord', [CLA], decided(2)).steps.map((s) => s.id)).toContain('suspension.decided.provisionDayOne');
  });

  it('a looked-after child at risk: the Virtual School before any decision for every school (statutory), in each school\'s own words where it has them', () => {
    for (const id of POLICY_PROFILE_IDS) {
      const s = planFor(id, [CLA], atRisk()).steps.find((x) => x.id === 'suspension.cla.virtualSchoolBeforeDecision')!;
      expect(s.timing.kind).toBe('beforeDecision');
      const own = POLICY_PROFILES[id].rules['suspension.childInCareVirtualSchool'];
      if (own) expect(s.source).toMatchObject({ kind: 'policy', quote: own.quote });
      else if (id !== 'holyFamily') expect(s.source.kind).toBe('statute');
    }
  });
});

describe("a school's own document", () => {
  it('cites its own title for the rules it keeps and adds, and leaves out what it omits', () => {
    const policy = resolvePolicy({
      profile: 'offord',
      ownDocument: 'Anytown Primary School, Children with a Social Worker Policy (2026)',
      adds: [{ rule: 'scope.kinship', section: 'Who this policy is for', quote: 'This policy also covers children in kinship care.' }],
      omits: ['suspension.provisionFromDayOne'],
    });
    expect(policy.cite('scope.kinship')).toEqual({ kind: 'policy', document: 'Anytown Primary School, Children with a Social Worker Policy (2026)', section: 'Who this policy is for', quote: 'This policy also covers children in kinship care.' });
    expect(policy.cite('suspension.childInCareVirtualSchool')?.kind === 'policy' && policy.cite('suspension.childInCareVirtualSchool')?.document).toBe('Anytown Primary School, Children with a Social Worker Policy (2026)');
    expect(policy.has('suspension.provisionFromDayOne')).toBe(false);
  });
});

describe('policy/README.md', () => {
  it('carries the table generated from the profiles (npm run policy:table rewrites it)', () => {
    const readme = readFileSync(path.join(__dirname, '..', '..', 'policy', 'README.md'), 'utf8');
    const block = readme.slice(readme.indexOf(TABLE_START), readme.indexOf(TABLE_END) + TABLE_END.length);
    expect(block).toBe(profilesTable());
  });
});

