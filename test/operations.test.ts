import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { odata } from '@azure/data-tables';
import { DEMO_SCHOOL_ID, DEMO_STAFF } from '../demo/demoSchool';
import { auditBrokenCard, retentionDoneCard } from '../cards/housekeepingCards';
import { AuditChainBrokenError } from '../jobs/auditVerification';
import { AuditChain, genesisHash, rowHash } from '../storage/auditChain';
import { TABLES, TableStore } from '../storage/tableStore';
import { isoDateSchema } from '../policy/dates';
import { cardText, createHarness, Harness, MONDAY_9AM } from './support/botHarness';
import { act, raiseSuspensionRisk } from './support/flows';
import { runTool } from './support/runTool';
import { azuriteConnectionString, uniquePrefix } from './support/store';
import { checkCard } from './support/validateCard';

/**
 * What an operator relies on: the nightly audit trail check and retention run as scheduled jobs
 * (once a night per school, whichever instance gets there first) and tell the DSLs; a school's
 * tables exported to a file and restored into an empty store, with the audit chain verified, and a
 * tampered file refused.
 */

const NIGHT = new Date('2026-11-24T01:30:00Z'); // 01:30 London, a Tuesday

async function harnessAt(clock: { now: Date }, prefix = uniquePrefix()): Promise<{ h: Harness; store: TableStore; prefix: string }> {
  const store = new TableStore({ connectionString: azuriteConnectionString(), tablePrefix: prefix });
  await store.ensureTables();
  const h = await createHarness({ store, clock: () => clock.now });
  return { h, store, prefix };
}

async function auditRowKeys(store: TableStore): Promise<string[]> {
  const keys: string[] = [];
  for await (const row of store.client(TABLES.cases).listEntities({ queryOptions: { filter: odata`PartitionKey eq ${DEMO_SCHOOL_ID} and RowKey ge ${'audit|'} and RowKey lt ${'audit}'}` } })) keys.push(String(row.rowKey));
  return keys;
}

describe('the nightly audit trail check', () => {
  it('intact: checked once a night per school however many instances run, and nobody is disturbed', async () => {
    const clock = { now: MONDAY_9AM };
    const { h } = await harnessAt(clock);
    await h.install('dsl');
    await raiseSuspensionRisk(h, 'demo-p02');
    clock.now = new Date('2026-11-24T00:30:00Z'); // before 01:00: not yet
    expect(await h.parts.auditVerification.runOnce()).toEqual([]);
    clock.now = NIGHT;
    const sentBefore = h.sender.sent.length;
    const first = await h.parts.auditVerification.runOnce();
    expect(first).toEqual([{ school: DEMO_SCHOOL_ID, ok: true, entries: expect.any(Number) }]);
    expect(first[0]!.entries).toBeGreaterThan(0);
    // A second instance (a restart is a new one) finds tonight's run done.
    h.restart();
    expect(await h.parts.auditVerification.runOnce()).toEqual([]);
    expect(h.sender.sent.length).toBe(sentBefore);
    clock.now = new Date(NIGHT.getTime() + 24 * 3600_000);
    expect(await h.parts.auditVerification.runOnce()).toHaveLength(1);
  });

  it('broken: each DSL with the app is told where, the pass fails (the operator\'s alert), and tomorrow it is reported again', async () => {
    const clock = { now: MONDAY_9AM };
    const { h, store } = await harnessAt(clock);
    await h.install('dsl');
    await h.install('deputyDsl');
    await raiseSuspensionRisk(h, 'demo-p02');
    // Someone with the storage key edits an audit entry by hand: the first in the chain.
    const chained: Array<{ rowKey: string; chainSeq: unknown }> = [];
    for await (const row of store.client(TABLES.cases).listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`PartitionKey eq ${DEMO_SCHOOL_ID}` } })) {
      if (typeof row.chainSeq === 'number') chained.push({ rowKey: String(row.rowKey), chainSeq: row.chainSeq });
    }
    const first = chained.find((r) => r.chainSeq === 1);
    expect([first, chained.length]).toEqual([expect.objectContaining({ chainSeq: 1 }), expect.any(Number)]);
    await store.client(TABLES.cases).updateEntity({ partitionKey: DEMO_SCHOOL_ID, rowKey: first!.rowKey, action: 'edited by hand' }, 'Merge');
    expect(await new AuditChain(store.client(TABLES.cases)).verify(DEMO_SCHOOL_ID)).toMatchObject({ ok: false });
    clock.now = NIGHT;
    const sentBefore = h.sender.sent.length;
    await expect(h.parts.auditVerification.runOnce()).rejects.toBeInstanceOf(AuditChainBrokenError);
    const told = h.sender.sent.slice(sentBefore);
    expect(told.map((s) => s.ref.aadObjectId).sort()).toEqual([DEMO_STAFF.dsl.aadObjectId, DEMO_STAFF.deputyDsl.aadObjectId].sort());
    const text = cardText(told[0]!.activity.attachments![0]!.content);
    expect(text).toContain('Audit trail check failed');
    expect(text).toContain('entry 1 of the chain');
    expect(text).toContain('does not fit');
    // The same night: not again. The next night: again, until it is dealt with.
    h.restart();
    expect(await h.parts.auditVerification.runOnce()).toEqual([]);
    clock.now = new Date(NIGHT.getTime() + 24 * 3600_000);
    await expect(h.parts.auditVerification.runOnce()).rejects.toBeInstanceOf(AuditChainBrokenError);
  });
});

describe('the nightly retention run', () => {
  it('deletes what is past the retention period, tells each DSL what went (ids, never names), and leaves the chain verifiable', async () => {
    const clock = { now: MONDAY_9AM };
    const { h, store } = await harnessAt(clock);
    await h.install('dsl');
    await raiseSuspensionRisk(h, 'demo-p02');
    // Kai was born on 2015-01-22: 25 years later, his records go. Others born later stay.
    clock.now = new Date('2040-02-01T01:30:00Z');
    const preview = await h.parts.retention.run((await h.parts.directory.all())[0]!, isoDateSchema.parse('2040-02-01'), { dryRun: true, actor: { aadObjectId: 't', name: 't' } });
    const due = preview.items.map((i) => i.id).sort();
    expect(due).toContain('demo-p02');
    const sentBefore = h.sender.sent.length;
    expect(await h.parts.retentionSweep.runOnce()).toEqual([{ school: DEMO_SCHOOL_ID, deleted: due.length }]);
    expect(await h.parts.pupilRepo.get(DEMO_SCHOOL_ID, 'demo-p02')).toBeUndefined();
    const report = h.sender.sent.slice(sentBefore);
    expect(report).toHaveLength(1);
    const text = cardText(report[0]!.activity.attachments![0]!.content);
    expect(text).toContain('demo-p02');
    expect(text).not.toMatch(/Kai|Marchbank/);
    expect((await new AuditChain(store.client(TABLES.cases)).verify(DEMO_SCHOOL_ID)).ok).toBe(true);
    // Once a night.
    h.restart();
    expect(await h.parts.retentionSweep.runOnce()).toEqual([]);
  });

  it('nothing due: nothing deleted, nobody told', async () => {
    const clock = { now: NIGHT };
    const { h } = await harnessAt(clock);
    await h.install('dsl');
    const sentBefore = h.sender.sent.length;
    expect(await h.parts.retentionSweep.runOnce()).toEqual([{ school: DEMO_SCHOOL_ID, deleted: 0 }]);
    expect(h.sender.sent.length).toBe(sentBefore);
  });

  it('the cards it sends are valid Adaptive Cards', () => {
    expect(checkCard(auditBrokenCard({ school: 'Oakfield', entriesChecked: 12, brokenAt: 'entry 3 of the chain', problem: 'does not follow the entry before it', checkedOn: '24 November 2026' })).errors).toEqual([]);
    expect(checkCard(retentionDoneCard({ school: 'Oakfield', yearsAfterBirth: 25, children: ['demo-p02'], concerns: ['SUS-2026-0001'], doneOn: '1 February 2040', auditEntry: 'register|2040-02-01' })).errors).toEqual([]);
  });
});

describe('npm run export and npm run restore', () => {
  let work: string;
  let source: { h: Harness; store: TableStore; prefix: string };
  let file: string;
  let exportOutput: string;
  const env = (prefix: string) => ({ PATH: process.env.PATH ?? '', AZURE_TABLES_CONNECTION_STRING: azuriteConnectionString(), TABLE_PREFIX: prefix, LOG_LEVEL: 'silent', USER: 'synthetic-operator' });

  beforeAll(async () => {
    work = mkdtempSync(path.join(os.tmpdir(), 'swbot-backup-'));
    const clock = { now: MONDAY_9AM };
    source = await harnessAt(clock);
    await source.h.install('dsl');
    const caseId = await raiseSuspensionRisk(source.h, 'demo-p02');
    await act(source.h, 'approveCase', { caseId }, 'dsl');
    file = path.join(work, 'oakfield.swbackup.json');
    const run = await runTool('export.js', ['--school', DEMO_SCHOOL_ID, '--out', file], env(source.prefix));
    expect([run.status, run.stderr]).toEqual([0, '']);
    exportOutput = run.stdout;
  }, 60_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  const headOf = () => /Audit chain head: ([0-9a-f]{64})/.exec(exportOutput)![1]!;

  it('exports to an owner-only file, records the export in the audit trail, and prints the chain head', async () => {
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(exportOutput).toMatch(/^Exported oakfield-demo: \d+ rows \(\d+ children on the register, audit trail of \d+ entries\)/);
    const backup = JSON.parse(readFileSync(file, 'utf8')) as { chainHead: { hash: string }; rows: { cases: Array<{ rowKey: string; action?: string }> } };
    expect(backup.chainHead.hash).toBe(headOf());
    expect(backup.rows.cases.some((r) => r.rowKey.startsWith('register|') && r.action === 'exported')).toBe(true);
  });

  it('restores into an empty store: every row back, the audit chain intact, the same children and cases', async () => {
    const target = uniquePrefix();
    const run = await runTool('restore.js', ['--file', file, '--expect-head', headOf()], env(target));
    expect([run.status, run.stderr]).toEqual([0, '']);
    expect(run.stdout).toMatch(/^Restored oakfield-demo \(exported .*\): \d+ rows written; audit trail intact, \d+ entries checked\.\n$/);
    const restored = new TableStore({ connectionString: azuriteConnectionString(), tablePrefix: target });
    expect((await new AuditChain(restored.client(TABLES.cases)).verify(DEMO_SCHOOL_ID)).ok).toBe(true);
    const h2 = await createHarness({ store: restored, clock: () => MONDAY_9AM });
    expect((await h2.parts.pupilRepo.listBySchool(DEMO_SCHOOL_ID)).map((p) => p.id)).toEqual((await source.h.parts.pupilRepo.listBySchool(DEMO_SCHOOL_ID)).map((p) => p.id));
    const cases = await h2.parts.cases.listForPupil(DEMO_SCHOOL_ID, 'demo-p02');
    expect(cases).toHaveLength(1);
    expect(cases).toEqual(await source.h.parts.cases.listForPupil(DEMO_SCHOOL_ID, 'demo-p02'));
    // Restoring the same school again is refused: nothing is overwritten.
    const again = await runTool('restore.js', ['--file', file], env(target));
    expect(again.status).toBe(1);
    expect(again.stderr).toBe('The store already holds data of oakfield-demo: restore only into a store without it (nothing was changed).\n');
  });

  it('refuses a file edited after export, and writes nothing', async () => {
    const text = readFileSync(file, 'utf8');
    const edited = text.replace(/"action":"approved"/, '"action":"declined"');
    expect(edited).not.toBe(text);
    const tampered = path.join(work, 'tampered.json');
    writeFileSync(tampered, edited);
    const target = uniquePrefix();
    const run = await runTool('restore.js', ['--file', tampered], env(target));
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('The backup has been changed or damaged since it was made (its SHA-256 does not match): nothing was restored.\n');
    const store = new TableStore({ connectionString: azuriteConnectionString(), tablePrefix: target });
    await store.ensureTables();
    expect(await auditRowKeys(store)).toEqual([]);
  });

  it('refuses an edit whose file digest was recomputed: the audit chain does not verify', async () => {
    const backup = JSON.parse(readFileSync(file, 'utf8')) as { sha256: string; rows: { cases: Array<Record<string, unknown>> } };
    const row = backup.rows.cases.find((r) => String(r.rowKey).startsWith('audit|') && r.action === 'approved')!;
    row.action = 'declined';
    const { sha256: _old, ...body } = backup;
    const resealed = { ...body, sha256: createHash('sha256').update(JSON.stringify(body)).digest('hex') };
    const tampered = path.join(work, 'resealed.json');
    writeFileSync(tampered, JSON.stringify(resealed));
    const run = await runTool('restore.js', ['--file', tampered], env(uniquePrefix()));
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^The backup's audit trail does not verify at entry \d+: .*Nothing was restored\.\n$/);
  });

  it('refuses a file rebuilt with every hash recomputed when given the head the export printed', async () => {
    const backup = JSON.parse(readFileSync(file, 'utf8')) as { chainHead: { seq: number; hash: string }; sha256: string; rows: { cases: Array<Record<string, unknown> & { rowKey: string }> } };
    const audit = backup.rows.cases.filter((r) => typeof r.chainSeq === 'number').sort((a, b) => Number(a.chainSeq) - Number(b.chainSeq));
    audit.find((r) => r.action === 'approved')!.action = 'declined';
    let prev = genesisHash(DEMO_SCHOOL_ID);
    for (const r of audit) {
      r.prevHash = prev;
      r.hash = rowHash(prev, r.rowKey, r);
      prev = String(r.hash);
    }
    const head = backup.rows.cases.find((r) => r.rowKey === 'auditchain')!;
    head.hash = prev;
    backup.chainHead.hash = prev;
    const { sha256: _old, ...body } = backup;
    const rebuilt = path.join(work, 'rebuilt.json');
    writeFileSync(rebuilt, JSON.stringify({ ...body, sha256: createHash('sha256').update(JSON.stringify(body)).digest('hex') }));
    // Without the printed head the forgery is self-consistent; with it, it is refused.
    const run = await runTool('restore.js', ['--file', rebuilt, '--expect-head', headOf()], env(uniquePrefix()));
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('The backup ends on a different audit chain head from the one given: it is not the file that was exported. Nothing was restored.\n');
  });

  it('says how to use it, and refuses a file that is not a backup', async () => {
    expect((await runTool('restore.js', [], env(uniquePrefix()))).stderr).toMatch(/^Usage: npm run restore -- --file <backup file>/);
    const notBackup = path.join(work, 'not.json');
    writeFileSync(notBackup, '{"hello":1}');
    const run = await runTool('restore.js', ['--file', notBackup], env(uniquePrefix()));
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^This is not a school backup this version can read/);
  });
});
