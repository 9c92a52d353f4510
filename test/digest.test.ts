import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { putRows, Row, yearOfHistory } from '../bench/schoolData';
import { RunningAzurite, startAzuriteProcess } from '../scripts/azurite';
import pino from 'pino';
import { DEMO_SCHOOL_ID, PLAYGROUND_TENANT_ID } from '../demo/demoSchool';
import { DigestService } from '../services/digestService';
import { SchoolDirectory } from '../services/schoolDirectory';
import { loadSchoolProfile } from '../policy/schoolProfile';
import { pupilSchema } from '../policy/pupil';
import { AttendanceHistoryRepository } from '../storage/attendanceHistoryRepository';
import { CaseRepository } from '../storage/caseRepository';
import { ConversationRefRepository } from '../storage/conversationRefRepository';
import { PepRepository } from '../storage/pepRepository';
import { PupilRepository } from '../storage/pupilRepository';
import { SchoolRepository } from '../storage/schoolRepository';
import { TABLES } from '../storage/tableStore';
import { cardText, createHarness, Harness, RecordingSender } from './support/botHarness';
import { countingTable, ReadCounter } from './support/countingTable';
import { raiseSuspensionRisk } from './support/flows';
import { createTestStore } from './support/store';
import { cardProblems } from './support/chartCards';
import { demoSchool } from '../demo/demoSchool';

const SLT = 'slt-channel-conversation';

async function withSltChannel(h: Harness): Promise<void> {
  const profile = loadSchoolProfile({ ...demoSchool, digest: { weekday: 1, time: '08:00', channelConversationId: SLT } });
  await h.parts.schools.save(profile);
  h.parts.directory.invalidate();
  await h.parts.conversationRefs.save({ tenantId: PLAYGROUND_TENANT_ID, scope: 'team', conversationId: SLT, serviceUrl: 'http://127.0.0.1/', channelId: 'msteams', botId: 'bot', teamId: 'team-1', updatedAt: new Date().toISOString() });
}

describe('the weekly digest schedule (fixed clock)', () => {
  it('Monday 08:00 London posts once across two instances, and again the next week', async () => {
    let now = Date.parse('2026-11-23T07:59:00Z');
    const a = await createHarness({ clock: () => new Date(now) });
    const b = await createHarness({ clock: () => new Date(now), store: a.store });
    await withSltChannel(a);
    b.parts.directory.invalidate();
    const toChannel = () => [...a.sender.sent, ...b.sender.sent].filter((s) => s.ref.conversationId === SLT);

    expect(await a.parts.weeklyDigest.runOnce()).toEqual([]);
    now = Date.parse('2026-11-23T08:00:00Z');
    const [ra, rb] = await Promise.all([a.parts.weeklyDigest.runOnce(), b.parts.weeklyDigest.runOnce()]);
    expect([...ra, ...rb]).toEqual([DEMO_SCHOOL_ID]);
    expect(toChannel()).toHaveLength(1);
    // Either instance may win the lease, and each records its own sends, so the weeks are told apart by what is new.
    const firstWeek = toChannel();
    expect(cardText(firstWeek[0]!.activity.attachments![0]!.content)).toContain('week of Mon 23 Nov 2026');
    now = Date.parse('2026-11-25T12:00:00Z');
    await Promise.all([a.parts.weeklyDigest.runOnce(), b.parts.weeklyDigest.runOnce()]);
    expect(toChannel()).toHaveLength(1);
    now = Date.parse('2026-11-30T08:00:30Z');
    await Promise.all([a.parts.weeklyDigest.runOnce(), b.parts.weeklyDigest.runOnce()]);
    const secondWeek = toChannel().filter((s) => !firstWeek.includes(s));
    expect(secondWeek).toHaveLength(1);
    expect(cardText(secondWeek[0]!.activity.attachments![0]!.content)).toContain('week of Mon 30 Nov 2026');
  });

  it('a run missed while the bot was down is posted when it comes back, once', async () => {
    let now = Date.parse('2026-11-27T15:00:00Z'); // running on Friday...
    const h = await createHarness({ clock: () => new Date(now) });
    await withSltChannel(h);
    expect(await h.parts.weeklyDigest.runOnce()).toEqual([]);
    now = Date.parse('2026-12-01T10:15:00Z'); // ...down all Monday, back on Tuesday
    expect(await h.parts.weeklyDigest.runOnce()).toEqual([DEMO_SCHOOL_ID]);
    now += 60_000;
    expect(await h.parts.weeklyDigest.runOnce()).toEqual([]);
    expect(h.sender.sent.filter((s) => s.ref.conversationId === SLT)).toHaveLength(1);
  });

  it('in summer time the 08:00 schedule is 07:00 UTC', async () => {
    let now = Date.parse('2027-06-07T06:59:00Z');
    const h = await createHarness({ clock: () => new Date(now) });
    await withSltChannel(h);
    expect(await h.parts.weeklyDigest.runOnce()).toEqual([]);
    now = Date.parse('2027-06-07T07:00:00Z');
    expect(await h.parts.weeklyDigest.runOnce()).toEqual([DEMO_SCHOOL_ID]);
  });
});

describe('what the digest says (demo school)', () => {
  it('numbers and reference codes only: no child named, small numbers hidden', async () => {
    const h = await createHarness({ clock: () => new Date('2026-11-24T09:00:00Z') });
    await raiseSuspensionRisk(h);
    const school = await h.parts.directory.school(DEMO_SCHOOL_ID);
    const { card, digest } = await h.parts.digests.build(school, new Date('2026-11-30T08:00:00Z'));
    const text = JSON.stringify(card);
    expect(cardProblems(card)).toEqual([]);
    for (const p of await h.parts.pupils.all(DEMO_SCHOOL_ID)) {
      expect(text).not.toContain(p.givenName);
      expect(text).not.toContain(p.familyName);
    }
    expect(digest.cohort.cla.display).toBe('3');
    expect(digest.cohort.kinship.display).toBe('fewer than 3');
    expect(text).toContain('fewer than 3');
    expect(digest.awaitingDecision).toHaveLength(1);
    expect(digest.awaitingDecision[0]!.ref).toMatch(/^SUS-/);
    expect(digest.newCases.total).toBe(0); // raised last week: the digest for the week of 30 November counts this week only
  });
});

describe('the attendance line over the weeks', () => {
  it('each week the digest is built keeps that week\'s figures, so the next week draws a line; a digest asked for another week keeps nothing', async () => {
    let now = Date.parse('2026-11-23T08:00:00Z');
    const h = await createHarness({ clock: () => new Date(now) });
    const school = await h.parts.directory.school(DEMO_SCHOOL_ID);
    const lines = (card: unknown) => JSON.stringify(card).match(/"type":"Chart\.Line"/g)?.length ?? 0;

    // Asked, on the 23rd, for the digest of a week in October: nothing is kept for that week.
    await h.parts.digests.build(school, new Date('2026-10-12T08:00:00Z'));
    const first = await h.parts.digests.build(school, new Date(now));
    expect(first.digest.attendance.weeks.map((w) => w.weekOf)).toEqual(['2026-11-23']);
    expect(lines(first.card)).toBe(0);

    // The register changes during the week; the week's point is the latest build's.
    const p02 = (await h.parts.pupilRepo.get(DEMO_SCHOOL_ID, 'demo-p02'))!;
    await h.parts.pupilRepo.saveAll(DEMO_SCHOOL_ID, [{ ...p02, attendancePercent: 70 }]);
    await h.parts.digests.build(school, new Date(now));

    now = Date.parse('2026-11-30T08:00:00Z');
    await h.parts.pupilRepo.saveAll(DEMO_SCHOOL_ID, [{ ...p02, attendancePercent: 92 }]);
    const next = await h.parts.digests.build(school, new Date(now));
    expect(next.digest.attendance.weeks.map((w) => w.weekOf)).toEqual(['2026-11-23', '2026-11-30']);
    const [before, after] = next.digest.attendance.weeks;
    expect(before!.cohortAverage).toBeLessThan(after!.cohortAverage!);
    expect(lines(next.card)).toBe(1);
    expect(cardText(next.card)).toContain('Week of Mon 23 Nov 2026');
  });
});

describe('when the week\'s attendance cannot be kept', () => {
  it('the digest is still built, this week\'s point from the register as it is, and the failure is logged naming no child', async () => {
    const h = await createHarness({ clock: () => new Date('2026-11-30T08:00:00Z') });
    class Failing extends AttendanceHistoryRepository {
      override async record(): Promise<void> {
        throw Object.assign(new Error('The server is busy.'), { statusCode: 503 });
      }
    }
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) });
    const digests = new DigestService({
      cases: h.parts.cases,
      pupils: h.parts.pupilRepo,
      peps: h.parts.peps,
      attendanceHistory: new Failing(h.store.client(TABLES.cases)),
      conversationRefs: h.parts.conversationRefs,
      directory: h.parts.directory,
      sender: new RecordingSender(),
      logger,
      clock: () => new Date('2026-11-30T08:00:00Z'),
    });
    const { card, digest } = await digests.build(await h.parts.directory.school(DEMO_SCHOOL_ID), new Date('2026-11-30T08:00:00Z'));
    expect(cardText(card)).toContain('week of Mon 30 Nov 2026');
    expect(digest.attendance.weeks.map((w) => w.weekOf)).toEqual(['2026-11-30']);
    expect(lines.join('')).toContain('attendanceWeekNotKept');
    expect(lines.join('')).not.toMatch(/Thistlewood|Marchbank/);
  });
});

describe('digest cost does not grow with history', () => {
  jest.setTimeout(240_000);

  // Its own Azurite process: eleven thousand rows are a heavy load for the shared in-process one,
  // which in a full run shares jest's thread with everything else.
  let azurite: RunningAzurite | undefined;
  afterAll(async () => {
    await azurite?.stop();
  });

  it('at 2,000 pupils (300 in the cohort) the card validates, stays under 80 KB, names no child, and reads the same rows with a year of history as without', async () => {
    azurite = await startAzuriteProcess(mkdtempSync(path.join(os.tmpdir(), 'swbot-digest-azurite-')), 0);
    const store = await createTestStore(azurite.connectionString);
    const schoolId = DEMO_SCHOOL_ID;
    const profile = loadSchoolProfile(demoSchool);
    await new SchoolRepository(store.client(TABLES.schools)).save(profile);
    const pupils = Array.from({ length: 2000 }, (_, i) =>
      pupilSchema.parse({
        id: `s${i}`,
        schoolId,
        givenName: `Givenname${i}`,
        familyName: `Familyname${i}`,
        yearGroup: String((i % 6) + 1),
        dateOfBirth: '2017-01-01',
        statuses:
          i < 60 ? [{ kind: 'CLA', legalBasis: 's31', placingAuthority: 'HERTS' }] :
          i < 100 ? [{ kind: 'CPLA', route: 'adoption' }] :
          i < 200 ? [{ kind: 'CWSW', plan: i % 2 ? 'CP' : 'CIN' }] :
          i < 270 ? [{ kind: 'CWSW', plan: 'CIN', endedOn: '2023-01-01' }] :
          i < 300 ? [{ kind: 'KINSHIP', arrangement: 'informal' }] : [],
        attendancePercent: 80 + (i % 20),
        synthetic: true,
      }),
    );
    await new PupilRepository(store.client(TABLES.pupils)).saveAll(schoolId, pupils);
    const table = store.client(TABLES.cases);
    const put = (rows: Row[]) => putRows(table, rows);
    // This week and what is open now: the same in both runs.
    const current: Row[] = [];
    for (let i = 0; i < 10; i++) current.push({ partitionKey: schoolId, rowKey: `case|20261130T0700${String(i).padStart(2, "0")}Z-CUR${String(i).padStart(3, '0')}`, ref: `ATT-CUR${i}`, caseType: 'attendance' });
    for (let i = 0; i < 40; i++) current.push({ partitionKey: schoolId, rowKey: `open|2026-12-${String(1 + (i % 20)).padStart(2, '0')}|c${i}|step.${i}`, caseId: `c${i}`, stepId: `step.${i}`, deadline: `2026-12-${String(1 + (i % 20)).padStart(2, '0')}`, ref: `SUS-OPN${i}`, statutory: i % 3 === 0 });
    for (let i = 0; i < 5; i++) current.push({ partitionKey: schoolId, rowKey: `approval|c${i}`, caseId: `c${i}`, dueAt: '2026-11-24T11:00:00Z', stage: 0, ref: `SUS-APR${i}`, raisedAt: '2026-11-24T09:00:00Z' });
    for (let i = 0; i < 60; i++) current.push({ partitionKey: schoolId, rowKey: `pepstatus|s${i}`, pupilId: `s${i}`, lastPep: i % 2 ? '2026-10-01' : '2026-02-01', meetings: 3 });
    for (let i = 0; i < 8; i++) current.push({ partitionKey: schoolId, rowKey: `susp|2026-11-${String(10 + i)}|cs${i}`, caseId: `cs${i}`, pupilId: `s${i % 4}`, days: 2, permanent: false });
    await put(current);

    const readDigest = async () => {
      const counter: ReadCounter = { rows: 0, queries: 0 };
      const cases = new CaseRepository(countingTable(table, counter));
      const digests = new DigestService({
        cases,
        pupils: new PupilRepository(countingTable(store.client(TABLES.pupils), counter)),
        peps: new PepRepository(countingTable(table, counter)),
        attendanceHistory: new AttendanceHistoryRepository(countingTable(table, counter)),
        conversationRefs: new ConversationRefRepository(store.client(TABLES.conversationRefs)),
        directory: new SchoolDirectory(new SchoolRepository(store.client(TABLES.schools))),
        sender: new RecordingSender(),
        logger: pino({ level: 'silent' }),
        clock: () => new Date('2026-11-30T08:00:00Z'),
      });
      const { card } = await digests.build(profile, new Date('2026-11-30T08:00:00Z'));
      return { card, counter };
    };
    const before = await readDigest();

    // A year of history: cases, their closed actions, delivered notifications, audit, old suspensions and PEP meetings.
    const history = yearOfHistory(schoolId, { days: 300, casesPerDay: 2, pupilIds: Array.from({ length: 60 }, (_, i) => `s${i}`) });
    await put(history);
    const after = await readDigest();

    expect(history.length).toBeGreaterThan(9000);
    expect(after.counter.rows).toBe(before.counter.rows);
    expect(after.counter.queries).toBe(before.counter.queries);
    // Bounded by the register and the open items, not by the ~9,000 rows of history.
    expect(after.counter.rows).toBeLessThan(2000 + 10 + 40 + 5 + 60 + 8 + 50);

    expect(cardProblems(after.card)).toEqual([]);
    const text = JSON.stringify(after.card);
    process.stdout.write(`digest reads: ${before.counter.rows} rows in ${before.counter.queries} queries without history, ${after.counter.rows} rows in ${after.counter.queries} queries with ${history.length} rows of history; card ${Buffer.byteLength(text)} bytes\n`);
    expect(Buffer.byteLength(text)).toBeLessThan(80 * 1024);
    expect(text).not.toMatch(/Givenname\d|Familyname\d/);
    expect(cardText(after.card)).toContain('300 of 2000 on roll');
  });
});
