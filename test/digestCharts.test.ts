import { digestCard } from '../cards/digestCard';
import { demoSchool } from '../demo/demoSchool';
import { IsoDate, isoDate } from '../policy/dates';
import { buildDigest, DigestInput } from '../policy/digest';
import { governorsReport, reportCsv } from '../policy/governorsReport';
import { Pupil } from '../policy/pupil';
import { AttendanceWeek } from '../policy/schoolFigures';
import { loadSchoolProfile, SchoolProfile } from '../policy/schoolProfile';
import { cardText } from './support/botHarness';
import { cardProblems, elementsOfType } from './support/chartCards';
import { CLA, CPLA, CWSW_CIN, KINSHIP, pupil } from './policy/fixtures';

/**
 * What the digest's charts show a reader at a glance: counts as bars from 0 in whole numbers with
 * labels that fit, attendance as a line of the weeks, and every charted number in words as well.
 * Synthetic children only.
 */
const MONDAY = isoDate('2026-11-30');

function input(pupils: readonly Pupil[], o: Partial<DigestInput> = {}): DigestInput {
  return {
    school: loadSchoolProfile(demoSchool),
    now: new Date('2026-11-30T08:00:00Z'),
    today: MONDAY,
    weekStart: MONDAY,
    pupils,
    newCases: [],
    awaitingDecision: [],
    openActions: [],
    recordedPeps: new Map(),
    termSuspensions: [],
    waitingForInstall: 0,
    ...o,
  };
}

/** Four in care, three previously in care, one with a social worker, one in kinship care, twelve others. */
function register(): Pupil[] {
  return [
    ...[95, 88, 92, 45].map((a) => pupil([CLA], { attendancePercent: a })),
    ...[97, 89, 96].map((a) => pupil([CPLA], { attendancePercent: a })),
    pupil([CWSW_CIN], { attendancePercent: 93 }),
    pupil([KINSHIP], { attendancePercent: 99 }),
    ...Array.from({ length: 12 }, () => pupil([], { attendancePercent: 96 })),
  ];
}

const week = (weekOf: string, cohortAverage: number, schoolAverage: number): AttendanceWeek => ({ weekOf: isoDate(weekOf), cohortAverage, cohortWithFigures: 9, schoolAverage, schoolWithFigures: 21 });

const factsOf = (card: unknown) => new Map(elementsOfType(card, 'FactSet').flatMap((f) => (f.facts as Array<{ title: string; value: string }>).map((x) => [x.title, x.value] as const)));

describe('the digest card’s charts', () => {
  it('counts are bars from 0 in whole numbers, short labels that fit, and each number in words too; no chart with a fractional axis', () => {
    const card = digestCard(buildDigest(input(register())));
    expect(cardProblems(card)).toEqual([]);
    // Teams draws a vertical bar chart's axis in five even steps to the largest value (0.75 for 3).
    expect(elementsOfType(card, 'Chart.VerticalBar')).toEqual([]);
    const [bars, ...others] = elementsOfType(card, 'Chart.HorizontalBar');
    expect(others).toEqual([]);
    expect(bars).toMatchObject({ displayMode: 'AbsoluteNoAxis' });
    const data = bars!.data as Array<{ x: string; y: number }>;
    // Kinship care (1) and a social worker now (1) are "fewer than 3": no bar would keep that.
    expect(data).toEqual([
      { x: 'In care', y: 4 },
      { x: 'Previously in care', y: 3 },
    ]);
    for (const { x } of data) expect(x.length).toBeLessThanOrEqual(20);
    const facts = factsOf(card);
    expect(facts.get('In care')).toBe('4');
    expect(facts.get('Previously in care')).toBe('3');
    expect(facts.get('Kinship care')).toBe('fewer than 3');
  });

  it('attendance is one line per group over the weeks of this school year, oldest first, on a scale with whole-number gridlines', () => {
    const history = [
      week('2026-07-13', 70, 80), // last school year: a different year's attendance
      week('2026-09-28', 90, 95), // more than eight weeks ago
      week('2026-11-09', 88.1, 94.9),
      week('2026-11-16', 87.4, 94.8),
      week('2026-11-23', 86.9, 94.6),
    ];
    const card = digestCard(buildDigest(input(register(), { attendanceHistory: history })));
    expect(cardProblems(card)).toEqual([]);
    const [line] = elementsOfType(card, 'Chart.Line');
    const series = line!.data as Array<{ legend: string; values: Array<{ x: string; y: number }> }>;
    expect(series.map((s) => s.legend)).toEqual(['Covered by the policy', 'Whole school']);
    // This week's point is the register now: (95 + 88 + 92 + 45 + 97 + 89 + 96 + 93 + 99) / 9 = 88.2.
    expect(series[0]!.values).toEqual([
      { x: '9 Nov', y: 88.1 },
      { x: '16 Nov', y: 87.4 },
      { x: '23 Nov', y: 86.9 },
      { x: '30 Nov', y: 88.2 },
    ]);
    expect(series[1]!.values.map((v) => v.y)).toEqual([94.9, 94.8, 94.6, 92.7]);
    // However a kept figure was stored, it reads to one decimal place, as the register's do.
    const odd = digestCard(buildDigest(input(register(), { attendanceHistory: [week('2026-11-23', 88.1, 92.9 - 0.1)] })));
    expect(cardText(odd)).toContain('88.1% covered, 92.8% whole school');
    // Teams draws five gridlines above a floor that is not 0: from 75, every 5%.
    expect(line).toMatchObject({ yMin: 75, yMax: 100 });
    expect((100 - Number(line!.yMin)) % 5).toBe(0);
    // Every point in words as well, behind "Show the figures week by week".
    const weekly = elementsOfType(card, 'Container').find((c) => c.id === 'attendance-weeks')!;
    expect(cardText(weekly)).toContain('Week of Mon 9 Nov 2026');
    expect(cardText(weekly)).toContain('88.1% covered, 94.9% whole school');
    expect(cardText(weekly)).not.toContain('Sep 2026');
    expect(elementsOfType(card, 'Action.ToggleVisibility')).toEqual([expect.objectContaining({ title: 'Show the figures week by week', targetElements: ['attendance-weeks'] })]);
  });

  it('a point below 75% moves the scale to 50 (gridlines every 10), and below 50% to 0 (every 25)', () => {
    const low = digestCard(buildDigest(input(register(), { attendanceHistory: [week('2026-11-23', 62, 90)] })));
    expect(elementsOfType(low, 'Chart.Line')[0]).toMatchObject({ yMin: 50, yMax: 100 });
    const lower = digestCard(buildDigest(input(register(), { attendanceHistory: [week('2026-11-23', 42, 90)] })));
    expect(elementsOfType(lower, 'Chart.Line')[0]).toMatchObject({ yMin: 0, yMax: 100 });
  });

  it('with only this week recorded there is no line yet, and the card says when it starts', () => {
    const card = digestCard(buildDigest(input(register())));
    expect(elementsOfType(card, 'Chart.Line')).toEqual([]);
    expect(cardText(card)).toContain('The line of attendance week by week starts once a second week has been recorded.');
  });

  it('says persistently absent (10%+ missed), of whom severely absent (50%+), counting the severely absent among the persistently absent', () => {
    const facts = factsOf(digestCard(buildDigest(input(register()))));
    // Covered and at or below 90%: 88, 45 and 89; of them at or below 50%: 45.
    expect(facts.get('Persistently absent (10%+ missed), of the children covered')).toBe('3');
    expect(facts.get('of whom severely absent (50%+)')).toBe('fewer than 3');
  });

  it('a school with stricter thresholds says its own: 92% and 60% attendance are 8%+ and 40%+ missed', () => {
    const school: SchoolProfile = loadSchoolProfile({ ...demoSchool, thresholds: { persistentAbsencePercent: 92, severeAbsencePercent: 60, consecutiveUnauthorisedDays: 10 } });
    const facts = factsOf(digestCard(buildDigest(input(register(), { school }))));
    expect(facts.get('Persistently absent (8%+ missed), of the children covered')).toBe('4');
    expect(facts.get('of whom severely absent (40%+)')).toBe('fewer than 3');
  });

  it('no whole-school figure when it and the covered children\'s would give away the one or two pupils left over, in the card or the governors\' report', () => {
    // Nine covered and two not: the whole school's average less the covered children's is the two's.
    const pupils = [...register().slice(0, 9), pupil([], { attendancePercent: 70 }), pupil([], { attendancePercent: 98 })];
    const facts = factsOf(digestCard(buildDigest(input(pupils, { attendanceHistory: [week('2026-11-23', 88, 88.5)] }))));
    expect(facts.get('Average, children covered by the policy')).toBe('88.2%');
    expect(facts.get('Average, whole school')).toBe('not shown (too few)');
    const report = governorsReport({ school: loadSchoolProfile(demoSchool), term: { name: 'Autumn 2026', start: isoDate('2026-09-02'), end: isoDate('2026-12-18'), breaks: [] }, pupils, pepDates: new Map(), suspensions: [], asAt: MONDAY });
    expect(report.attendance.wholeSchool.average).toBeUndefined();
    expect(reportCsv(report)).not.toMatch(/\d+ of 11/);
  });

  it('for the leadership channel a group of fewer than 3 has no average and no line; for readers who may see the children, everything is shown', () => {
    const two = [pupil([CLA], { attendancePercent: 80 }), pupil([CLA], { attendancePercent: 90 }), ...Array.from({ length: 5 }, () => pupil([], { attendancePercent: 96 }))];
    const history: AttendanceWeek[] = [{ weekOf: isoDate('2026-11-23') as IsoDate, cohortAverage: 84, cohortWithFigures: 2, schoolAverage: 93, schoolWithFigures: 7 }];
    const channel = digestCard(buildDigest(input(two, { attendanceHistory: history })));
    expect(factsOf(channel).get('Average, children covered by the policy')).toBe('not shown (too few)');
    expect(factsOf(channel).get('In care')).toBe('fewer than 3');
    // Neither line can be drawn: the two's own, or the whole school's, from which theirs would follow.
    expect(elementsOfType(channel, 'Chart.Line')).toEqual([]);
    expect(cardText(channel)).toContain('counts of 1 or 2 are shown as "fewer than 3"');

    const full = digestCard(buildDigest(input(two, { attendanceHistory: history, hideSmallNumbers: false })));
    expect(factsOf(full).get('Average, children covered by the policy')).toBe('85%');
    expect(factsOf(full).get('In care')).toBe('2');
    expect((elementsOfType(full, 'Chart.Line')[0]!.data as Array<{ legend: string }>).map((x) => x.legend)).toEqual(['Covered by the policy', 'Whole school']);
    expect(cardText(full)).not.toContain('fewer than 3');
  });
});
