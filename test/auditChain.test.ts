import { DEMO_SCHOOL_ID, DEMO_STAFF } from '../demo/demoSchool';
import { TableClient, TransactionAction } from '@azure/data-tables';
import { AuditChain, genesisHash, rowHash, verifyRows } from '../storage/auditChain';
import { statusOf } from '../storage/tableStore';
import { RecordAuditRepository } from '../storage/recordAuditRepository';
import { TABLES } from '../storage/tableStore';
import { postActivity } from './support/activities';
import { appWithConnector } from './support/app';
import { attendanceUpToConfirm, confirmActivity } from './support/httpFlows';
import { runTool } from './support/runTool';
import { azuriteConnectionString } from './support/store';

function chainOf(schoolId: string, contents: Array<Record<string, unknown>>) {
  let prev = genesisHash(schoolId);
  return contents.map((c, i) => {
    const rowKey = `audit|case${i}|000000`;
    const hash = rowHash(prev, rowKey, c);
    const row = { ...c, rowKey, chainSeq: i + 1, prevHash: prev, hash };
    prev = hash;
    return row;
  });
}

describe('the audit hash chain, as a pure check', () => {
  const rows = chainOf('s1', [{ action: 'raised', at: '1' }, { action: 'routed', at: '2' }, { action: 'approved', at: '3' }]);
  const head = { seq: 3, hash: rows[2]!.hash };

  it('an intact chain verifies', () => {
    expect(verifyRows('s1', rows, head)).toEqual({ ok: true, entries: 3 });
  });
  it('a changed entry is named', () => {
    const edited = rows.map((r, i) => (i === 1 ? { ...r, action: 'declined' } : r));
    expect(verifyRows('s1', edited, head).firstBroken).toMatchObject({ rowKey: 'audit|case1|000000', chainSeq: 2, problem: expect.stringMatching(/changed/) });
  });
  it('a deleted entry in the middle, or at the end, is found', () => {
    expect(verifyRows('s1', [rows[0]!, rows[2]!], head).firstBroken).toMatchObject({ chainSeq: 3, problem: expect.stringMatching(/missing/) });
    expect(verifyRows('s1', rows.slice(0, 2), head).firstBroken).toMatchObject({ rowKey: 'auditchain', problem: expect.stringMatching(/deleted/) });
  });
  it('a row slipped in without a place in the chain, or a chain copied from another school, is refused', () => {
    expect(verifyRows('s1', [...rows, { rowKey: 'audit|forged|000000', action: 'approved' }], head).firstBroken).toMatchObject({ rowKey: 'audit|forged|000000' });
    expect(verifyRows('s2', rows, head).firstBroken).toMatchObject({ chainSeq: 1 });
  });
});

describe('the audit hash chain on real storage', () => {
  const suite = appWithConnector();
  const connector = suite.connector;

  const verifyCli = async (): Promise<{ code: number | null; out: string }> => {
    const run = await runTool('auditVerify.js', ['--school', DEMO_SCHOOL_ID], { ...process.env, AZURE_TABLES_CONNECTION_STRING: azuriteConnectionString(), TABLE_PREFIX: suite.app.prefix, LOG_LEVEL: 'silent' });
    return { code: run.status, out: run.stdout + run.stderr };
  };

  it('cases, record openings and concurrent writers form one unbroken chain; an edited row is caught by npm run audit:verify', async () => {
    for (const [i, name] of ['Sam Thistlewood', 'Leo Hazelgrove', 'Amara Windmere'].entries()) {
      const draftId = await attendanceUpToConfirm(suite.app.url, connector, `conv-chain-${i}`, name);
      expect((await postActivity(suite.app.url, confirmActivity(connector, `conv-chain-${i}`, draftId))).status).toBe(200);
    }
    // Twenty openings at once, from two repositories (as two instances would): the head serialises them.
    const table = suite.app.store.client(TABLES.cases);
    const a = new RecordAuditRepository(table);
    const b = new RecordAuditRepository(suite.app.store.client(TABLES.cases));
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? a : b).recordAccess(DEMO_SCHOOL_ID, 'demo-p01', { at: new Date(Date.UTC(2026, 10, 23, 9, 0, i)).toISOString(), actor: { aadObjectId: DEMO_STAFF.dsl.aadObjectId, name: 'Megan Bowen' }, action: 'viewedChronology', detail: {} }),
      ),
    );

    const chain = new AuditChain(table);
    const report = await chain.verify(DEMO_SCHOOL_ID);
    expect(report.ok).toBe(true);
    expect(report.entries).toBeGreaterThanOrEqual(3 * 2 + 20);
    const intact = await verifyCli();
    expect(intact.code).toBe(0);
    expect(intact.out).toContain(`intact, ${report.entries} entries checked`);

    // Checking while the app keeps writing (as it does in a live school) is never a false alarm.
    let writing = true;
    const writer = (async () => {
      for (let n = 0; writing; n++) {
        await a.recordAccess(DEMO_SCHOOL_ID, 'demo-p02', { at: new Date(Date.UTC(2026, 10, 23, 10, 0, n)).toISOString(), actor: { aadObjectId: DEMO_STAFF.dsl.aadObjectId, name: 'Megan Bowen' }, action: 'viewedChronology', detail: {} });
      }
    })();
    const during: Array<Awaited<ReturnType<AuditChain['verify']>>> = [];
    for (let i = 0; i < 8; i++) during.push(await chain.verify(DEMO_SCHOOL_ID));
    writing = false;
    await writer;
    expect(during.map((r) => r.firstBroken)).toEqual(during.map(() => undefined));
    expect(during.at(-1)!.entries).toBeGreaterThan(report.entries);

    // Someone with storage access rewrites what a DSL decided.
    const rows = table.listEntities<Record<string, unknown>>();
    let target: { partitionKey: string; rowKey: string } | undefined;
    for await (const row of rows) {
      if (row.partitionKey === DEMO_SCHOOL_ID && String(row.rowKey).startsWith('audit|') && row.chainSeq === 2) target = { partitionKey: row.partitionKey, rowKey: String(row.rowKey) };
    }
    expect(target).toBeDefined();
    await table.updateEntity({ ...target!, action: 'approved' }, 'Merge');

    const broken = await chain.verify(DEMO_SCHOOL_ID);
    expect(broken.ok).toBe(false);
    expect(broken.firstBroken).toMatchObject({ rowKey: target!.rowKey, chainSeq: 2 });
    const cli = await verifyCli();
    expect(cli.code).toBe(1);
    expect(cli.out).toContain(`BROKEN at entry 2 (${target!.rowKey})`);
  }, 60_000);

  it('appends made at once are written together; one that fails gets its own error and the others are written', async () => {
    const table = suite.app.store.client(TABLES.cases);
    let transactions = 0;
    let headReads = 0;
    const counted = new Proxy(table, {
      get(target, prop, receiver) {
        const value: unknown = Reflect.get(target, prop, receiver);
        if (prop === 'getEntity') {
          return (partitionKey: string, rowKey: string) => {
            if (rowKey === 'auditchain') headReads++;
            return target.getEntity(partitionKey, rowKey);
          };
        }
        if (prop === 'submitTransaction') {
          return (actions: TransactionAction[]) => {
            transactions++;
            return target.submitTransaction(actions);
          };
        }
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    }) as TableClient;
    const chain = new AuditChain(counted);
    const school = 'group-commit-demo';
    const entry = (i: number): TransactionAction => ['create', { partitionKey: school, rowKey: `audit|g|${String(i).padStart(3, '0')}`, action: 'noted', at: String(i) }];

    const together = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => chain.submit(school, [entry(i)])));
    expect(together.every((r) => r.status === 'fulfilled')).toBe(true);
    // The first alone, the nineteen that waited for it in one more (one after another would be 20).
    expect(transactions).toBeLessThanOrEqual(3);
    // The head is read once; after that this process knows it from its own writes.
    expect(headReads).toBe(1);

    await table.createEntity({ partitionKey: school, rowKey: 'thing|exists' });
    const mixed = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => chain.submit(school, i === 7 ? [entry(100 + i), ['create', { partitionKey: school, rowKey: 'thing|exists' }]] : [entry(100 + i)])),
    );
    const refused = mixed.flatMap((r, i) => (r.status === 'rejected' ? [{ i, status: statusOf(r.reason) }] : []));
    expect(refused).toEqual([{ i: 7, status: 409 }]);
    const report = await new AuditChain(table).verify(school);
    expect(report).toEqual({ ok: true, entries: 39 });
    await expect(table.getEntity(school, 'audit|g|107')).rejects.toMatchObject({ statusCode: 404 });
  });
});
