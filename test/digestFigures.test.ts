import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { putRows } from '../bench/schoolData';
import { DEMO_SCHOOL_ID, DEMO_STAFF, demoSchool } from '../demo/demoSchool';
import { SchoolCalendar } from '../policy/calendar';
import { londonDate } from '../policy/dates';
import { count } from '../policy/digest';
import { reportCsv } from '../policy/governorsReport';
import { pupilSchema } from '../policy/pupil';
import { loadSchoolProfile } from '../policy/schoolProfile';
import { writeReportPdf } from '../scripts/reportPdf';
import { readGovernorsReport } from '../services/governorsReports';
import { CaseRepository } from '../storage/caseRepository';
import { PepRepository } from '../storage/pepRepository';
import { PupilRepository } from '../storage/pupilRepository';
import { TABLES } from '../storage/tableStore';
import { startTestApp, TestApp } from './support/app';
import { elementsOfType } from './support/chartCards';

/**
 * One register, three places its figures are read: the digest card posted to the leadership
 * channel, the dashboard's "This week" (the tab's digest API), and the governors' report (CSV and
 * PDF). The demo school's synthetic register is the one where staff saw "4 persistently absent" in
 * the digest and "5 of 11" in the report: one child there is severely absent, and the digest left
 * them out of the persistently absent.
 */
const KEY = 'a-test-key-that-is-long-enough-456';
const CLOCK_START = new Date('2026-12-02T10:00:00Z');

interface CountJson {
  value: number | null;
  display: string;
  suppressed: boolean;
}

/** A figure as the leadership channel shows it, whichever way the tab's reader sees it. */
const asInChannel = (c: CountJson) => (c.suppressed ? c.display : count(c.value!).display);

describe('the digest card, the dashboard and the governors’ report give the same figures', () => {
  let app: TestApp;
  beforeAll(async () => {
    // The bot's clock set to a day in term, so the demo register covers the same children whenever
    // the suite runs (a plan drops out six years after it ends: one demo child's would in March 2029).
    app = await startTestApp({ DIGEST_API_KEY: KEY, CLOCK_START: CLOCK_START.toISOString() });
  });
  afterAll(async () => app.stop());

  it('for the same register and suspensions, every figure they share agrees, persistently absent counting the severely absent', async () => {
    const school = loadSchoolProfile(demoSchool);
    const today = londonDate(CLOCK_START);
    const calendar = new SchoolCalendar(school.calendar);
    // The term the digest reports on: the one under way, or the last one to end.
    const term = calendar.termOf(today) ?? [...calendar.allTerms()].reverse().find((t) => t.end < today)!;
    // Twenty more pupils the policy does not cover, as a real school has (with the demo's one, the
    // whole school's figures would give that child's away, and are not shown).
    const peers = Array.from({ length: 20 }, (_, i) =>
      pupilSchema.parse({ id: `fx-peer-${i}`, schoolId: DEMO_SCHOOL_ID, givenName: 'Peer', familyName: `Synthetic${i}`, yearGroup: '4', dateOfBirth: '2017-01-01', statuses: [], attendancePercent: i < 3 ? 85 : 97, synthetic: true }),
    );
    await new PupilRepository(app.store.client(TABLES.pupils)).saveAll(DEMO_SCHOOL_ID, peers);
    // Three suspensions this term: one child twice; plus a permanent exclusion.
    await putRows(app.store.client(TABLES.cases), [
      { partitionKey: DEMO_SCHOOL_ID, rowKey: `susp|${term.start}|fx1`, caseId: 'fx1', pupilId: 'demo-p07', days: 2, permanent: false },
      { partitionKey: DEMO_SCHOOL_ID, rowKey: `susp|${term.start}|fx2`, caseId: 'fx2', pupilId: 'demo-p07', days: 1, permanent: false },
      { partitionKey: DEMO_SCHOOL_ID, rowKey: `susp|${term.start}|fx3`, caseId: 'fx3', pupilId: 'demo-p02', days: 3, permanent: false },
      { partitionKey: DEMO_SCHOOL_ID, rowKey: `susp|${term.start}|fx4`, caseId: 'fx4', pupilId: 'demo-p08', days: 0, permanent: true },
    ]);

    // 1. The card, as `npm run digest -- --dry-run` and the Monday job build it.
    const res = await fetch(`${app.url}/api/digest`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` }, body: JSON.stringify({ school: DEMO_SCHOOL_ID, dryRun: true }) });
    const { card } = (await res.json()) as { card: unknown };
    const facts = new Map(elementsOfType(card, 'FactSet').flatMap((f) => (f.facts as Array<{ title: string; value: string }>).map((x) => [x.title, x.value] as const)));
    const fromCard = {
      covered: facts.get('Children covered by the policy')!.replace(/ of \d+ on roll$/, ''),
      inCare: facts.get('In care'),
      previouslyInCare: facts.get('Previously in care'),
      socialWorkerNow: facts.get('With a social worker now'),
      socialWorkerBefore: facts.get('Had one in the last 6 years'),
      kinship: facts.get('Kinship care'),
      cohortAverage: facts.get('Average, children covered by the policy'),
      schoolAverage: facts.get('Average, whole school'),
      persistent: facts.get('Persistently absent (10%+ missed), of the children covered'),
      severe: facts.get('of whom severely absent (50%+)'),
      suspensions: facts.get('Suspensions'),
      daysLost: facts.get('School days lost'),
      repeated: facts.get('Children suspended more than once'),
      permanent: facts.get('Permanent exclusions'),
    };

    // 2. The dashboard's "This week", as the DSL's browser receives it.
    const signIn = await fetch(`${app.url}/api/tab/dev/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ aadObjectId: DEMO_STAFF.dsl.aadObjectId }) });
    const { token } = (await signIn.json()) as { token: string };
    const tab = (await (await fetch(`${app.url}/api/tab/digest`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
      cohort: Record<'cla' | 'cpla' | 'cwswCurrent' | 'cwswPast' | 'kinship' | 'total', CountJson>;
      attendance: { cohortAverage?: number; schoolAverage?: number; persistent: CountJson; severe: CountJson };
      suspensions: { count: CountJson; days: number; repeatedChildren: CountJson; permanent: CountJson };
    };
    const fromTab = {
      covered: asInChannel(tab.cohort.total),
      inCare: asInChannel(tab.cohort.cla),
      previouslyInCare: asInChannel(tab.cohort.cpla),
      socialWorkerNow: asInChannel(tab.cohort.cwswCurrent),
      socialWorkerBefore: asInChannel(tab.cohort.cwswPast),
      kinship: asInChannel(tab.cohort.kinship),
      cohortAverage: `${tab.attendance.cohortAverage}%`,
      schoolAverage: `${tab.attendance.schoolAverage}%`,
      persistent: asInChannel(tab.attendance.persistent),
      severe: asInChannel(tab.attendance.severe),
      suspensions: asInChannel(tab.suspensions.count),
      daysLost: String(tab.suspensions.days),
      repeated: asInChannel(tab.suspensions.repeatedChildren),
      permanent: asInChannel(tab.suspensions.permanent),
    };

    // 3. The governors' report for the same term, as `npm run report` reads and writes it.
    const cases = app.store.client(TABLES.cases);
    const report = await readGovernorsReport({ pupils: new PupilRepository(app.store.client(TABLES.pupils)), peps: new PepRepository(cases), cases: new CaseRepository(cases) }, school, term, today);
    const rows = parse(reportCsv(report), { columns: true }) as Array<Record<'section' | 'measure' | 'covered by the policy' | 'peers' | 'whole school', string>>;
    const cell = (measure: string, column: 'covered by the policy' | 'whole school' = 'covered by the policy') => rows.find((r) => r.measure === measure)?.[column];
    const persistentCell = cell('Persistently absent (10% or more of sessions missed)')!;
    const fromReport = {
      covered: cell('Covered by the policy, in all'),
      inCare: cell('In care (looked after)'),
      previouslyInCare: cell('Previously in care (adoption, SGO, CAO)'),
      socialWorkerNow: cell('With a social worker now (CiN or CP plan)'),
      socialWorkerBefore: cell('Had a social worker in the last 6 years'),
      kinship: cell('Kinship care'),
      cohortAverage: cell('Average attendance'),
      schoolAverage: cell('Average attendance', 'whole school'),
      persistent: persistentCell.replace(/ of \d+.*$/, ''),
      severe: cell('of whom severely absent (50% or more missed)'),
      suspensions: cell('Suspensions this term'),
      daysLost: cell('School days lost'),
      repeated: cell('Children suspended more than once'),
      permanent: cell('Permanent exclusions'),
    };

    // The demo register: 11 of 12 covered; attendance at or below 90% for five of them (86.2, 88.9,
    // 81.0, 49.5 and 89.7), one of whom (49.5) is at or below 50%.
    expect(fromCard).toMatchObject({ covered: '11', inCare: '3', schoolAverage: '92.7%', persistent: '5', severe: 'fewer than 3', suspensions: '3', daysLost: '6', repeated: 'fewer than 3', permanent: 'fewer than 3' });
    expect(fromTab).toEqual(fromCard);
    expect(fromReport).toEqual(fromCard);
    expect(persistentCell).toBe('5 of 11 (45.5%)');
    expect(cell('Persistently absent (10% or more of sessions missed)', 'whole school')).toBe('8 of 32 (25%)');
    // The covered children's count of severely absent is hidden ("fewer than 3"): a whole-school
    // count less the peers' would give it away, so where a group's count is hidden, so is the school's.
    expect(cell('of whom severely absent (50% or more missed)', 'whole school')).toBe('not shown (small numbers or no figures)');

    // The PDF governors read says the same as the CSV.
    const pdf = path.join(mkdtempSync(path.join(os.tmpdir(), 'swbot-figures-')), 'report.pdf');
    await writeReportPdf(report, pdf, today);
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).toContain(`Average attendance ${fromCard.cohortAverage} 95.3% ${fromCard.schoolAverage}`);
    expect(text).toContain('5 of 11 (45.5%)');
  });
});
