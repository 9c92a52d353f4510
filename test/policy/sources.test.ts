import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CaseAnswersInput } from '../../policy/cases';
import { CohortStatus } from '../../policy/pupil';
import { routingPlan } from '../../policy/routingPlan';
import { PolicyPack } from '../../policy/schoolProfile';
import { SEED_POLICIES, SOURCES, SourceKey } from '../../policy/sources';
import { CLA, CLA_HOME, CPLA, CWSW_CIN, CWSW_CP, CWSW_PAST, KINSHIP, MONDAY, profile, pupil } from './fixtures';

/** Copies of ../shared/policies, kept in the repository so the check runs anywhere (CI has no shared/). */
const POLICIES = path.join(__dirname, '..', '..', 'policy', 'seeds');
const normalise = (s: string) => s.replace(/[’‘]/g, "'").replace(/\s+/g, ' ').trim();

describe('every quoted sentence is really in its policy', () => {
  const quoted = Object.entries(SOURCES).filter(([, s]) => s.kind === 'policy');
  it.each(quoted.map(([key, s]) => [key, s] as const))('%s', (_key, source) => {
    if (source.kind !== 'policy') return;
    const text = normalise(readFileSync(path.join(POLICIES, SEED_POLICIES[source.policy].file), 'utf8'));
    expect(text).toContain(normalise(source.quote));
  });
});

describe('every source is cited by some rule', () => {
  it('no source in the register is dead, so none can drift from the rules', () => {
    const cited = new Set<SourceKey>();
    const statuses: CohortStatus[][] = [[CLA], [CLA_HOME], [CPLA], [CWSW_CIN], [CWSW_CP], [CWSW_PAST], [KINSHIP], []];
    const answers: CaseAnswersInput[] = [
      { caseType: 'attendance', unexplainedToday: true, reasons: ['placementMove'], attendancePercent: 40, consecutiveUnauthorisedDays: 12 },
      { caseType: 'attendance', attendancePercent: 85 },
      { caseType: 'suspension', stage: 'atRisk', whatHappened: 'x', history: { suspensionsThisYear: 2 } },
      { caseType: 'suspension', stage: 'decided', whatHappened: 'x', decision: { kind: 'suspension', startDate: '2026-11-24', days: 6 }, history: { daysThisYear: 44, daysThisTerm: 14 } },
      { caseType: 'suspension', stage: 'decided', whatHappened: 'x', decision: { kind: 'suspension', startDate: '2026-11-24', days: 2 } },
      { caseType: 'admission', startDate: '2026-12-01' },
    ];
    for (const pack of ['hertfordshire', 'cambridgeshire'] as PolicyPack[])
      for (const s of statuses)
        for (const send of ['none', 'ehcp'] as const)
          for (const a of answers) {
            const plan = routingPlan(a.caseType, a, pupil(s, { send }), profile(pack), MONDAY);
            for (const step of plan.steps) [step.source, ...(step.alsoSources ?? [])].forEach((k) => cited.add(k));
          }
    // Cited by the need-to-know views rather than by a routing step.
    cited.add('offordNeedToKnow');
    const dead = (Object.keys(SOURCES) as SourceKey[]).filter((k) => !cited.has(k));
    expect(dead).toEqual([]);
  });
});
