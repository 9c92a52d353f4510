import { routingPlan } from '../../policy/routingPlan';
import { CaseAnswersInput } from '../../policy/cases';
import { Pupil } from '../../policy/pupil';
import { PolicyPack } from '../../policy/schoolProfile';
import { CLA, CPLA, CWSW_CIN, CWSW_EXPIRED, KINSHIP, MONDAY, profile, pupil } from './fixtures';

const ids = (pack: PolicyPack, child: Pupil | null, answers: CaseAnswersInput) =>
  routingPlan(answers.caseType, answers, child, profile(pack), MONDAY).steps.map((s) => s.id);
const atRisk: CaseAnswersInput = { caseType: 'suspension', stage: 'atRisk', whatHappened: 'Left the classroom and would not come back in.' };

/** The Hertfordshire and Cambridgeshire packs differ exactly where their seed policies differ. */
describe('where the two policy packs disagree', () => {
  it('previously looked-after child at risk: Hertfordshire talks to parents then the Virtual School; Cambridgeshire needs the family\'s consent first', () => {
    const herts = ids('hertfordshire', pupil([CPLA]), atRisk);
    const cambs = ids('cambridgeshire', pupil([CPLA]), atRisk);
    expect(herts).toContain('suspension.cpla.parentsFirst');
    expect(herts).not.toContain('suspension.cpla.askConsent');
    expect(cambs).toContain('suspension.cpla.askConsent');
    expect(cambs).not.toContain('suspension.cpla.parentsFirst');
  });

  it('child with a social worker at risk: Hertfordshire (Holy Family) consults the Virtual School before acting; Cambridgeshire only for children in care', () => {
    expect(ids('hertfordshire', pupil([CWSW_CIN]), atRisk)).toContain('suspension.cwsw.virtualSchoolBeforeActing');
    expect(ids('cambridgeshire', pupil([CWSW_CIN]), atRisk)).not.toContain('suspension.cwsw.virtualSchoolBeforeActing');
    expect(ids('cambridgeshire', pupil([CWSW_CIN]), atRisk).filter((id) => id.includes('irtualSchool'))).toEqual([]);
  });

  it('looked-after child suspended for 3 days: Cambridgeshire arranges provision from day one; Hertfordshire follows the statutory sixth day', () => {
    const decided: CaseAnswersInput = { caseType: 'suspension', stage: 'decided', whatHappened: 'x', decision: { kind: 'suspension', startDate: '2026-11-24', days: 3 } };
    expect(ids('cambridgeshire', pupil([CLA]), decided)).toContain('suspension.decided.provisionDayOne');
    expect(ids('hertfordshire', pupil([CLA]), decided)).not.toContain('suspension.decided.provisionDayOne');
    expect(ids('hertfordshire', pupil([CLA]), decided)).not.toContain('suspension.decided.provisionDaySix');
  });

  it('kinship care alone: in the Hertfordshire model (Leys), outside the Cambridgeshire model\'s definitions', () => {
    const attendance: CaseAnswersInput = { caseType: 'attendance' };
    expect(routingPlan('attendance', attendance, pupil([KINSHIP]), profile('hertfordshire'), MONDAY).inScope).toBe(true);
    const cambs = routingPlan('attendance', attendance, pupil([KINSHIP]), profile('cambridgeshire'), MONDAY);
    expect(cambs.inScope).toBe(false);
    expect(cambs.steps.map((s) => s.id)).toEqual(['lead.dsl.outOfScope']);
  });
});

describe('who the policy covers', () => {
  it('a past plan drops out six years after it ended', () => {
    // Ended 1 May 2020: six years later is 1 May 2026, before our Monday.
    const p = routingPlan('attendance', { caseType: 'attendance' }, pupil([CWSW_EXPIRED]), profile('hertfordshire'), MONDAY);
    expect(p.inScope).toBe(false);
    const stillIn = routingPlan('attendance', { caseType: 'attendance' }, pupil([CWSW_EXPIRED]), profile('hertfordshire'), '2026-04-30' as typeof MONDAY);
    expect(stillIn.inScope).toBe(true);
  });

  it('a child not on the register goes to the DSL for triage the same day', () => {
    const p = routingPlan('suspension', atRisk, null, profile('cambridgeshire'), MONDAY);
    expect(p.steps).toHaveLength(1);
    expect(p.steps[0]).toMatchObject({ id: 'lead.dsl.notOnRegister', who: 'DSL', deadline: MONDAY });
  });

  it('external steps need DSL approval unless the school profile says otherwise', () => {
    const child = pupil([CLA]);
    const withApproval = routingPlan('suspension', atRisk, child, profile('hertfordshire'), MONDAY);
    expect(withApproval.steps.filter((s) => ['virtualSchool', 'socialWorker', 'localAuthority'].includes(s.who)).every((s) => s.needsApprovalBy === 'DSL')).toBe(true);
    expect(withApproval.steps.filter((s) => !['virtualSchool', 'socialWorker', 'localAuthority'].includes(s.who)).some((s) => s.needsApprovalBy)).toBe(false);
    const without = routingPlan('suspension', atRisk, child, profile('hertfordshire', { externalStepsNeedApproval: false }), MONDAY);
    expect(without.steps.some((s) => s.needsApprovalBy)).toBe(false);
  });

  it('refuses answers for a different case type', () => {
    expect(() => routingPlan('attendance', atRisk, pupil([CLA]), profile('hertfordshire'), MONDAY)).toThrow(/answers are for a suspension case/);
  });
});
