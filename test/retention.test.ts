import { DEMO_SCHOOL_ID, DEMO_STAFF } from '../demo/demoSchool';
import { RetentionJob } from '../services/retention';
import { isoDate } from '../policy/dates';
import { keepUntil, pastRetention } from '../policy/retention';
import { AuditChain } from '../storage/auditChain';
import { CaseRepository } from '../storage/caseRepository';
import { PepRepository } from '../storage/pepRepository';
import { PupilRepository } from '../storage/pupilRepository';
import { RecordAuditRepository } from '../storage/recordAuditRepository';
import { RetentionStore } from '../storage/retentionStore';
import { SchoolRepository } from '../storage/schoolRepository';
import { TABLES } from '../storage/tableStore';
import { postActivity } from './support/activities';
import { appWithConnector } from './support/app';
import { attendanceUpToConfirm, confirmActivity } from './support/httpFlows';
import { runTool } from './support/runTool';
import { azuriteConnectionString } from './support/store';

describe('retention periods', () => {
  it('a child protection record is kept until the 25th birthday, and deleted the day after', () => {
    const until = keepUntil(isoDate('2015-01-22'), undefined, 25);
    expect(until).toBe('2040-01-22');
    expect(pastRetention(until, isoDate('2040-01-22'))).toBe(false);
    expect(pastRetention(until, isoDate('2040-01-23'))).toBe(true);
  });
  it('a concern about a child not on the register is kept for the period from the day it was raised', () => {
    expect(keepUntil(undefined, isoDate('2026-11-23'), 25)).toBe('2051-11-23');
  });
});

describe('the retention job on real storage', () => {
  const suite = appWithConnector();
  const connector = suite.connector;

  const raise = async (conversation: string, name: string) => {
    const draftId = await attendanceUpToConfirm(suite.app.url, connector, conversation, name);
    expect((await postActivity(suite.app.url, confirmActivity(connector, conversation, draftId))).status).toBe(200);
  };
  const rowKeys = async () => {
    const keys: string[] = [];
    for await (const row of suite.app.store.client(TABLES.cases).listEntities<Record<string, unknown>>()) if (row.partitionKey === DEMO_SCHOOL_ID) keys.push(String(row.rowKey));
    return keys;
  };
  const cli = async (args: string[]): Promise<{ code: number | null; out: string }> => {
    const run = await runTool('retention.js', args, { ...process.env, AZURE_TABLES_CONNECTION_STRING: azuriteConnectionString(), TABLE_PREFIX: suite.app.prefix, LOG_LEVEL: 'silent' });
    return { code: run.status, out: run.stdout + run.stderr };
  };

  it('a dry run lists what would go; the real run removes exactly that, keeps the audit chain whole, and a second run finds nothing', async () => {
    const cases = new CaseRepository(suite.app.store.client(TABLES.cases));
    const audit = new RecordAuditRepository(suite.app.store.client(TABLES.cases));
    await raise('conv-ret-kai', 'Kai Marchbank'); // born 22 Jan 2015: due after 22 Jan 2040
    await raise('conv-ret-sam', 'Sam Thistlewood'); // born 14 Mar 2017: kept
    await new PepRepository(suite.app.store.client(TABLES.cases)).record(DEMO_SCHOOL_ID, 'demo-p02', isoDate('2026-10-01'), 'Adele Vance', new Date().toISOString());
    await audit.recordAccess(DEMO_SCHOOL_ID, 'demo-p02', { at: new Date().toISOString(), actor: { aadObjectId: DEMO_STAFF.dsl.aadObjectId, name: 'Megan Bowen' }, action: 'viewedChronology', detail: {} });
    const kaiCases = await cases.listForPupil(DEMO_SCHOOL_ID, 'demo-p02');
    const samCases = await cases.listForPupil(DEMO_SCHOOL_ID, 'demo-p01');
    expect(kaiCases).toHaveLength(1);

    const job = new RetentionJob({
      store: new RetentionStore(suite.app.store.client(TABLES.cases), suite.app.store.client(TABLES.pupils)),
      pupils: new PupilRepository(suite.app.store.client(TABLES.pupils)),
      audit,
      clock: () => new Date('2040-06-01T09:00:00Z'),
    });
    const school = (await new SchoolRepository(suite.app.store.client(TABLES.schools)).get(DEMO_SCHOOL_ID))!;
    const before = await rowKeys();

    const dry = await job.run(school, isoDate('2040-06-01'), { dryRun: true, actor: { aadObjectId: 'test', name: 'Data protection officer' } });
    // Kai and Leo (born 27 Apr 2015) are past their 25th birthday; Kai's concern goes with him.
    expect(dry.items.map((i) => `${i.kind} ${i.id}`).sort()).toEqual([`concern ${kaiCases[0]!.ref}`, 'child demo-p02', 'child demo-p08'].sort());
    expect(await rowKeys()).toEqual(before);

    const printed = await cli(['--school', DEMO_SCHOOL_ID, '--dry-run', '--as-of', '2040-06-01']);
    expect(printed.code).toBe(0);
    expect(printed.out).toContain('3 record(s) would be deleted');
    expect(printed.out).toContain(`concern ${kaiCases[0]!.ref}: kept until 2040-01-22`);
    expect(printed.out).not.toMatch(/Marchbank|Hazelgrove/);
    expect((await cli(['--school', DEMO_SCHOOL_ID, '--as-of', '2040-06-01'])).code).toBe(2);

    const done = await job.run(school, isoDate('2040-06-01'), { dryRun: false, actor: { aadObjectId: 'test', name: 'Data protection officer' } });
    expect(done.auditEntry).toMatch(/^register\|/);
    const after = await rowKeys();
    const kaiCaseId = kaiCases[0]!.caseId;
    // Nothing of Kai's concern or PEPs is left but tombstones in the audit chain.
    expect(after.filter((k) => k.includes(kaiCaseId) && !k.startsWith('audit|'))).toEqual([]);
    expect(after.filter((k) => k.includes('demo-p02') && !k.startsWith('access|'))).toEqual([]);
    const tombstone = await suite.app.store.client(TABLES.cases).getEntity<Record<string, unknown>>(DEMO_SCHOOL_ID, after.find((k) => k.startsWith(`audit|${kaiCaseId}|`))!);
    expect(tombstone).toMatchObject({ tombstone: true, removedBy: done.auditEntry });
    expect(tombstone.json0).toBeUndefined();
    expect(await new PupilRepository(suite.app.store.client(TABLES.pupils)).get(DEMO_SCHOOL_ID, 'demo-p02')).toBeUndefined();
    // Sam's concern is untouched.
    expect(await cases.get(DEMO_SCHOOL_ID, samCases[0]!.caseId)).toBeDefined();
    expect((await audit.registerLog(DEMO_SCHOOL_ID)).at(-1)).toMatchObject({ action: 'retention', detail: { children: 2, concerns: 1 } });

    const chain = new AuditChain(suite.app.store.client(TABLES.cases));
    expect(await chain.verify(DEMO_SCHOOL_ID)).toMatchObject({ ok: true });

    const again = await job.run(school, isoDate('2040-06-01'), { dryRun: false, actor: { aadObjectId: 'test', name: 'Data protection officer' } });
    expect(again.items).toEqual([]);

    // Removing content without a retention entry is caught by the chain.
    const samAudit = after.find((k) => k.startsWith(`audit|${samCases[0]!.caseId}|`))!;
    await new RetentionStore(suite.app.store.client(TABLES.cases), suite.app.store.client(TABLES.pupils)).redact(DEMO_SCHOOL_ID, [samAudit], 'register|forged');
    expect((await chain.verify(DEMO_SCHOOL_ID)).firstBroken).toMatchObject({ rowKey: samAudit, problem: expect.stringMatching(/without a retention entry/) });
  }, 60_000);
});
