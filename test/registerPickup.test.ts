import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { Activity } from 'botbuilder';
import { BlobServiceClient, ContainerClient } from '@azure/storage-blob';
import pino from 'pino';
import { DEMO_SCHOOL_ID, DEMO_STAFF, PLAYGROUND_TENANT_ID } from '../demo/demoSchool';
import { seedDemoSchoolIfEmpty } from '../demo/seed';
import { DEV_ACCOUNT, DEV_KEY, freePort, waitForPort } from '../scripts/azurite';
import { REGISTER_PICKUP_LEASE_MS, RegisterPickupError, RegisterPickupJob } from '../jobs/registerPickup';
import { registerPickupCard, RegisterPickupNotice } from '../cards/registerPickupCard';
import { RegisterSource } from '../policy/schoolProfile';
import { pupilIdFor } from '../policy/upn';
import {
  BLOB_MARK,
  BlobDropSource,
  containerClientFor,
  decodeRegisterFile,
  PICKUP_ACTION,
  placeOfError,
  RegisterDropSource,
  registerDropSourceFor,
  RegisterPickup,
  RegisterSourceError,
  SCHEDULED_ACTOR,
} from '../services/registerPickup';
import { RegisterImporter } from '../services/registerImporter';
import { CaseRepository } from '../storage/caseRepository';
import { ConversationRefRepository } from '../storage/conversationRefRepository';
import { PupilRepository } from '../storage/pupilRepository';
import { RecordAuditRepository } from '../storage/recordAuditRepository';
import { SchoolRepository } from '../storage/schoolRepository';
import { TABLES, TableStore } from '../storage/tableStore';
import { cardText, RecordingSender } from './support/botHarness';
import { FakeCredential } from './support/fakeCredential';
import { createTestStore } from './support/store';
import { checkCard } from './support/validateCard';

/**
 * The register on a schedule, on real Azurite (tables, and a blob server started here): the MIS
 * drops a CSV file in a folder or a container, and the job picks up the newest, loads it once,
 * and tells the DSL and deputy only when something needs attention. SYNTHETIC: the fixture's
 * pupils are made up.
 */

const SAMPLE = readFileSync(path.join(__dirname, 'fixtures', 'register-sample.csv'), 'utf8');
/** Every given and family name in the fixture: none may reach a card. */
const NAMES = ['Ada', 'Sampleton', 'Ben', 'Fakesley', 'Cleo', 'Inventon', 'Dev', 'Placeholder', 'Esme', 'Madeupson', 'Felix', 'Synthetica', 'Gia', 'Testington', 'Hal', 'Pretendwell', 'Ivy', 'Imaginary', 'Jon', "O'Fictional", 'Kit', 'Notreal-Smith', 'María-José', 'Ejemplo'];
const ADA = 'K919200017101';
/** Ada's line (line 2) with her attendance given. */
const withAdaAttendance = (attendance: string) => replaceOnce(SAMPLE, ',93.5%,', `,${attendance},`);
/** Two errors: line 12 (Kit) has a date of birth that never was, line 9 (Hal) an attendance over 100. */
const WITH_ERRORS = replaceOnce(replaceOnce(SAMPLE, ',03/08/2018,', ',31/02/2018,'), ',49.5,', ',149.5,');
/** Without the last two pupils (Kit and María-José): 2 of the 12 in the last load, 16.7%. */
const WITHOUT_TWO = SAMPLE.trimEnd().split('\n').slice(0, -2).join('\n') + '\n';
/** Without the last pupil: 1 of 12, 8.3%, under the 10% line. */
const WITHOUT_ONE = SAMPLE.trimEnd().split('\n').slice(0, -1).join('\n') + '\n';
/** Ada no longer looked after (line 2: cla, placing_authority and cla_since blank), and Cleo placed by an authority with no Virtual School (line 4). */
const WITH_WARNINGS = replaceOnce(replaceOnce(SAMPLE, `${ADA},Ada,Sampleton,4,14/03/2017,s31,HERTS,01/06/2023,`, `${ADA},Ada,Sampleton,4,14/03/2017,,,,`), ',s38,LUTON,', ',s38,KENT,');

function replaceOnce(text: string, from: string, to: string): string {
  if (text.split(from).length !== 2) throw new Error(`the fixture changed: ${from} is not in it exactly once`);
  return text.replace(from, to);
}

/** The tables' clock, never behind the fixture's dates, moved on by hand. Files are written at the real time, so "settled" is "the clock moved on". */
const FLOOR = Date.parse('2026-11-23T10:00:00Z');
let offset = 0;
const clock = () => new Date(Math.max(Date.now(), FLOOR) + offset);
/** On past the lease (and past any file's settling time). */
const later = () => {
  offset += REGISTER_PICKUP_LEASE_MS + 60_000;
};

interface World {
  store: TableStore;
  schools: SchoolRepository;
  pupils: PupilRepository;
  audit: RecordAuditRepository;
  sender: RecordingSender;
  /** One instance of the app: its own repositories, pickup and job, on the same tables. */
  instance(id: string): RegisterPickupJob;
  /** Loads the register by hand, as the DT does in the tab. */
  loadByHand(csv: string): Promise<void>;
  importedCount(): Promise<number>;
  attendanceOfAda(): Promise<number | undefined>;
  cards(): Array<Record<string, unknown>>;
}

async function world(registerSource: RegisterSource, sourceFor: (s: RegisterSource) => RegisterDropSource): Promise<World> {
  const store = await createTestStore();
  const schools = new SchoolRepository(store.client(TABLES.schools));
  const pupils = new PupilRepository(store.client(TABLES.pupils));
  await seedDemoSchoolIfEmpty(schools, pupils);
  const demo = await schools.get(DEMO_SCHOOL_ID);
  if (!demo) throw new Error('the demo school was not seeded');
  await schools.save({ ...demo, registerSource });
  const refs = new ConversationRefRepository(store.client(TABLES.conversationRefs));
  for (const who of ['dsl', 'deputyDsl'] as const) {
    const staff = DEMO_STAFF[who];
    await refs.save({ tenantId: PLAYGROUND_TENANT_ID, scope: 'personal', conversationId: `conv-${who}`, serviceUrl: 'http://127.0.0.1/', channelId: 'msteams', botId: 'bot', aadObjectId: staff.aadObjectId, userId: `29:${staff.aadObjectId}`, updatedAt: clock().toISOString() });
  }
  const sender = new RecordingSender();
  const logger = pino({ level: 'silent' });
  const cases0 = new CaseRepository(store.client(TABLES.cases));
  const audit = new RecordAuditRepository(store.client(TABLES.cases), cases0.chain);
  const importerWith = (a: RecordAuditRepository) => new RegisterImporter({ pupils, audit: a, schools, clock });

  return {
    store,
    schools,
    pupils,
    audit,
    sender,
    instance(id) {
      // As another process would have: its own repositories and audit chain queue.
      const cases = new CaseRepository(store.client(TABLES.cases));
      const instanceAudit = new RecordAuditRepository(store.client(TABLES.cases), cases.chain);
      const pickup = new RegisterPickup({ importer: importerWith(instanceAudit), audit: instanceAudit, logger, clock });
      return new RegisterPickupJob({ schools: () => schools.list(), cases, conversationRefs: refs, sender, pickup, sourceFor, logger, clock, instanceId: id, tabUrl: 'https://bot.example.org/tab/' });
    },
    async loadByHand(csv) {
      const report = await importerWith(audit).import(DEMO_SCHOOL_ID, csv, DEMO_STAFF.dt);
      expect(report.outcome).toBe('imported');
    },
    async importedCount() {
      return (await audit.registerLog(DEMO_SCHOOL_ID)).filter((e) => e.action === 'importedRegister').length;
    },
    async attendanceOfAda() {
      return (await pupils.get(DEMO_SCHOOL_ID, pupilIdFor(DEMO_SCHOOL_ID, ADA)))?.attendancePercent;
    },
    cards() {
      return sender.sent.map((s) => cardOf(s.activity));
    },
  };
}

function cardOf(activity: Partial<Activity>): Record<string, unknown> {
  const content = activity.attachments?.[0]?.content as Record<string, unknown> | undefined;
  if (!content) throw new Error('the message has no card');
  return content;
}

/** Checks a card the DSL got: valid Adaptive Card 1.5, and no child's name in it. */
function expectSafeCard(card: Record<string, unknown>): string {
  expect(checkCard(card).errors).toEqual([]);
  expect(card.version).toBe('1.5');
  const json = JSON.stringify(card);
  for (const name of NAMES) expect(json).not.toMatch(new RegExp(`(^|[^\\p{L}])${name}($|[^\\p{L}])`, 'u'));
  return cardText(card);
}

afterEach(() => {
  offset = 0;
});

describe('the register from a folder', () => {
  let dir: string;
  let w: World;
  const drop = (name: string, content: string | Buffer) => writeFileSync(path.join(dir, name), content);
  const processed = () => (existsSync(path.join(dir, 'processed')) ? readdirSync(path.join(dir, 'processed')) : []);
  const waiting = () => readdirSync(dir).filter((f) => f !== 'processed');

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'register-drop-'));
    const registerSource: RegisterSource = { kind: 'folder', path: dir };
    w = await world(registerSource, (s) => registerDropSourceFor(s, { folderRoot: os.tmpdir() }));
    // The register as the DT first loaded it by hand: Ada's attendance then was 90%.
    await w.loadByHand(withAdaAttendance('90'));
    offset = 3 * 60_000; // the files dropped below have settled
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('loads a good file once and tells nobody; the same content again is not reloaded; a changed file is', async () => {
    const job = w.instance('a');
    drop('register-monday.csv', SAMPLE);
    expect(await job.runOnce()).toEqual([{ school: DEMO_SCHOOL_ID, outcome: 'loaded', told: 0 }]);
    expect(await w.attendanceOfAda()).toBe(93.5);
    expect(await w.importedCount()).toBe(2);
    expect(w.sender.sent).toEqual([]);
    expect(waiting()).toEqual([]);
    expect(processed()).toEqual([expect.stringMatching(/^\d{8}T\d{6}Z-loaded-register-monday\.csv$/)]);
    const history = (await w.audit.registerLog(DEMO_SCHOOL_ID)).filter((e) => e.action === PICKUP_ACTION);
    expect(history).toEqual([expect.objectContaining({ actor: SCHEDULED_ACTOR, detail: expect.objectContaining({ outcome: 'loaded', name: 'register-monday.csv', total: 12, updated: 1, unchanged: 11 }) })]);

    // Nothing waiting: nothing done, no lease taken.
    later();
    expect(await job.runOnce()).toEqual([]);

    // The MIS exports the same register again the next day: recognised, not loaded again.
    later();
    drop('register-tuesday.csv', SAMPLE);
    expect(await job.runOnce()).toEqual([{ school: DEMO_SCHOOL_ID, outcome: 'unchanged', told: 0 }]);
    expect(await w.importedCount()).toBe(2);
    expect(processed()).toContainEqual(expect.stringMatching(/-unchanged-register-tuesday\.csv$/));

    // A changed file is loaded.
    later();
    drop('register-wednesday.csv', withAdaAttendance('91.5'));
    expect(await job.runOnce()).toEqual([{ school: DEMO_SCHOOL_ID, outcome: 'loaded', told: 0 }]);
    expect(await w.attendanceOfAda()).toBe(91.5);
    expect(await w.importedCount()).toBe(3);
    expect(w.sender.sent).toEqual([]);
  });

  it('waits for a file the MIS may still be writing, and takes only the newest, marking older ones superseded', async () => {
    const job = w.instance('a');
    const at = (name: string, msAgo: number) => {
      const when = new Date(clock().getTime() - msAgo);
      utimesSync(path.join(dir, name), when, when);
    };
    drop('older.csv', withAdaAttendance('80'));
    at('older.csv', 60 * 60_000);
    drop('newer.csv', SAMPLE);
    at('newer.csv', 30_000); // half a minute ago: still settling
    expect(await job.runOnce()).toEqual([]);
    expect(waiting().sort()).toEqual(['newer.csv', 'older.csv']);

    offset += 3 * 60_000;
    expect(await job.runOnce()).toEqual([{ school: DEMO_SCHOOL_ID, outcome: 'loaded', told: 0 }]);
    expect(await w.attendanceOfAda()).toBe(93.5);
    expect(waiting()).toEqual([]);
    expect(processed().sort()).toEqual([expect.stringMatching(/-loaded-newer\.csv$/), expect.stringMatching(/-superseded-older\.csv$/)]);
  });

  it('does not load a file with errors, tells the DSL and deputy by line and column, and does not try the same file again', async () => {
    const job = w.instance('a');
    drop('register.csv', WITH_ERRORS);
    expect(await job.runOnce()).toEqual([{ school: DEMO_SCHOOL_ID, outcome: 'refused', told: 2 }]);
    expect(await w.attendanceOfAda()).toBe(90); // nothing loaded
    expect(w.sender.sent.map((s) => s.ref.aadObjectId).sort()).toEqual([DEMO_STAFF.dsl.aadObjectId, DEMO_STAFF.deputyDsl.aadObjectId].sort());
    const text = expectSafeCard(w.cards()[0]!);
    expect(text).toMatch(/The register file was not loaded/);
    expect(text).toMatch(/has 2 errors in 12 rows, so nothing in it was loaded/);
    expect(text).toContain('Line 9, attendance_percent');
    expect(text).toContain('Line 12, date_of_birth');
    expect(text).not.toContain('31/02/2018'); // a cell's value, never shown
    expect(text).toContain('register.csv');
    expect((await w.audit.registerLog(DEMO_SCHOOL_ID)).map((e) => e.action)).toEqual(expect.arrayContaining(['registerImportRefused', PICKUP_ACTION]));
    expect(processed()).toEqual([expect.stringMatching(/-refused-register\.csv$/)]);

    // The MIS drops the same broken file again: not retried, nobody told again.
    later();
    drop('register.csv', WITH_ERRORS);
    expect(await job.runOnce()).toEqual([{ school: DEMO_SCHOOL_ID, outcome: 'unchanged', told: 0 }]);
    expect(w.sender.sent).toHaveLength(2);

    // Corrected: loaded, nobody told.
    later();
    drop('register.csv', SAMPLE);
    expect(await job.runOnce()).toEqual([{ school: DEMO_SCHOOL_ID, outcome: 'loaded', told: 0 }]);
    expect(await w.attendanceOfAda()).toBe(93.5);
  });

  it('holds back a file that leaves out more than 10% of the pupils in the last load, and tells the DSL', async () => {
    const job = w.instance('a');
    // 12 demo pupils are on the register and in no file (the last load left them out too): they do not count.
    drop('register.csv', replaceOnce(WITHOUT_TWO, ',93.5%,', ',70,'));
    expect(await job.runOnce()).toEqual([{ school: DEMO_SCHOOL_ID, outcome: 'heldBack', told: 2 }]);
    expect(await w.attendanceOfAda()).toBe(90); // not loaded
    expect(await w.importedCount()).toBe(1);
    const text = expectSafeCard(w.cards()[0]!);
    expect(text).toMatch(/The register file was held back/);
    expect(text).toMatch(/has 10 pupils, but 2 pupils of the 12 in the last load are not in it \(16\.7%; more than 10%/);
    expect(processed()).toEqual([expect.stringMatching(/-heldBack-register\.csv$/)]);

    // One pupil in twelve missing (8.3%) is an ordinary change: loaded, nobody told.
    later();
    drop('register.csv', WITHOUT_ONE);
    expect(await job.runOnce()).toEqual([{ school: DEMO_SCHOOL_ID, outcome: 'loaded', told: 0 }]);
    expect(await w.attendanceOfAda()).toBe(93.5);
    expect(w.sender.sent).toHaveLength(2);
  });

  it('loads a file whose changes need a look, and tells the DSL where', async () => {
    const job = w.instance('a');
    await w.loadByHand(SAMPLE); // Ada looked after, on record
    later();
    drop('register.csv', WITH_WARNINGS);
    expect(await job.runOnce()).toEqual([{ school: DEMO_SCHOOL_ID, outcome: 'loaded', told: 2 }]);
    const ada = await w.pupils.get(DEMO_SCHOOL_ID, pupilIdFor(DEMO_SCHOOL_ID, ADA));
    expect(ada?.statuses.some((s) => s.kind === 'CLA')).toBe(false);
    const text = expectSafeCard(w.cards()[0]!);
    expect(text).toMatch(/The register was loaded: some changes need a look/);
    expect(text).toMatch(/2 changes need checking against the MIS/);
    expect(text).toContain('Line 2, cla: the register had a status here that this file leaves blank, so it was removed');
    expect(text).toContain("Line 4, placing_authority: the placing authority has no Virtual School in the school's profile");
    expect(text).not.toContain('KENT');
  });

  it('refuses, with a clear message, a file that is empty, too large, not UTF-8 or UTF-16', async () => {
    const job = w.instance('a');
    const cases: Array<[string, string | Buffer, RegExp]> = [
      ['empty.csv', '', /is empty/],
      ['header-only.csv', `${SAMPLE.split('\n')[0]}\n`, /has a header line but no pupils/],
      ['windows.csv', Buffer.from(SAMPLE, 'latin1'), /is not saved as UTF-8 text.*CSV UTF-8/],
      ['unicode.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(SAMPLE, 'utf16le')]), /is saved as UTF-16/],
      ['huge.csv', Buffer.alloc(5 * 1024 * 1024 + 1, 'a'), /is larger than 5 MB, the most one load takes/],
    ];
    for (const [name, content, says] of cases) {
      later();
      w.sender.sent.length = 0;
      drop(name, content);
      expect(await job.runOnce()).toEqual([{ school: DEMO_SCHOOL_ID, outcome: 'refused', told: 2 }]);
      const text = expectSafeCard(w.cards()[0]!);
      expect(text).toMatch(/The register file could not be read/);
      expect(text).toMatch(says);
      expect(processed()).toContainEqual(expect.stringMatching(new RegExp(`-refused-${name.replace('.', '\\.')}$`)));
    }
    expect(await w.importedCount()).toBe(1);
    expect(await w.attendanceOfAda()).toBe(90);
  });

  it('tells the DSL in words what is wrong with a file as a whole (an export separated by semicolons)', async () => {
    drop('register.csv', SAMPLE.split('\n').map((l) => l.replace(/,/g, ';')).join('\n'));
    expect(await w.instance('a').runOnce()).toEqual([{ school: DEMO_SCHOOL_ID, outcome: 'refused', told: 2 }]);
    const text = expectSafeCard(w.cards()[0]!);
    expect(text).toMatch(/has 1 error, so nothing in it was loaded/);
    expect(text).toMatch(/Line 1: the first line must name the columns; these required columns are missing: .*separated by semicolons or tabs/);
  });

  it('two instances at once: the file is loaded once', async () => {
    drop('register.csv', SAMPLE);
    const [a, b, c] = [w.instance('a'), w.instance('b'), w.instance('c')];
    const passes = (await Promise.all([a.runOnce(), b.runOnce(), c.runOnce()])).flat();
    expect(passes).toEqual([{ school: DEMO_SCHOOL_ID, outcome: 'loaded', told: 0 }]);
    expect(await w.importedCount()).toBe(2);
    expect((await w.audit.registerLog(DEMO_SCHOOL_ID)).filter((e) => e.action === PICKUP_ACTION)).toHaveLength(1);
    // Within the lease, nobody else acts even on a new file; after it, the next file is picked up.
    drop('register2.csv', withAdaAttendance('88'));
    offset += 3 * 60_000;
    expect((await Promise.all([a.runOnce(), b.runOnce()])).flat()).toEqual([]);
    later();
    expect((await Promise.all([a.runOnce(), b.runOnce()])).flat()).toEqual([{ school: DEMO_SCHOOL_ID, outcome: 'loaded', told: 0 }]);
    expect(await w.attendanceOfAda()).toBe(88);
  });

  it('a folder that is not there fails the pass (the operator hears), and a folder outside the allowed root is refused', async () => {
    const school = await w.schools.get(DEMO_SCHOOL_ID);
    await w.schools.save({ ...school!, registerSource: { kind: 'folder', path: path.join(dir, 'missing') } });
    await expect(w.instance('a').runOnce()).rejects.toBeInstanceOf(RegisterPickupError);
    expect(() => registerDropSourceFor({ kind: 'folder', path: '/etc' }, { folderRoot: os.tmpdir() })).toThrow(RegisterSourceError);
  });
});

// -------------------------------------------------------------------------------------------------

/** Azurite's blob service as its own process (as `npm start` runs the table one): nothing shared with this jest worker. */
async function startBlobServer(): Promise<{ connectionString: string; stop(): Promise<void> }> {
  const port = await freePort();
  const child = spawn(process.execPath, [require.resolve('azurite/dist/src/blob/main.js'), '--blobHost', '127.0.0.1', '--blobPort', String(port), '--inMemoryPersistence', '--skipApiVersionCheck', '--disableTelemetry', '--silent'], {
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitForPort(port, 30_000);
  return {
    connectionString: `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};BlobEndpoint=http://127.0.0.1:${port}/${DEV_ACCOUNT};`,
    stop: async () => {
      child.kill('SIGINT');
      await exited;
    },
  };
}

describe('the register from a blob container (Azurite)', () => {
  let blob: { connectionString: string; stop(): Promise<void> };
  let containers = 0;
  let container: ContainerClient;
  let w: World;
  const upload = async (name: string, content: string) => {
    await container.getBlockBlobClient(name).upload(content, Buffer.byteLength(content));
  };
  const markOf = async (name: string) => (await container.getBlobClient(name).getProperties()).metadata?.[BLOB_MARK.outcome];

  beforeAll(async () => {
    blob = await startBlobServer();
  });
  afterAll(async () => {
    await blob.stop();
  });

  beforeEach(async () => {
    container = BlobServiceClient.fromConnectionString(blob.connectionString).getContainerClient(`drops${++containers}`);
    await container.create();
    const registerSource: RegisterSource = { kind: 'blob', containerUrl: container.url, prefix: 'mis/' };
    // The test reaches Azurite with its connection string; the app, with its managed identity (containerClientFor).
    w = await world(registerSource, (s) => new BlobDropSource(container, s.kind === 'blob' ? (s.prefix ?? '') : ''));
    await w.loadByHand(withAdaAttendance('90'));
    offset = 3 * 60_000;
  });

  it('loads a good blob once; the same content written again is not reloaded; changed content is', async () => {
    const job = w.instance('a');
    await upload('mis/register.csv', SAMPLE);
    await upload('mis/readme.txt', 'not a register');
    await upload('elsewhere/register.csv', WITH_ERRORS); // outside the prefix: never looked at
    expect(await job.runOnce()).toEqual([{ school: DEMO_SCHOOL_ID, outcome: 'loaded', told: 0 }]);
    expect(await w.attendanceOfAda()).toBe(93.5);
    expect(await markOf('mis/register.csv')).toBe('loaded');
    expect(await markOf('elsewhere/register.csv')).toBeUndefined();
    expect(w.sender.sent).toEqual([]);

    later();
    expect(await job.runOnce()).toEqual([]); // marked: not listed again

    // The MIS writes the same export over it (which clears the mark): recognised, not reloaded.
    later();
    await upload('mis/register.csv', SAMPLE);
    expect(await job.runOnce()).toEqual([{ school: DEMO_SCHOOL_ID, outcome: 'unchanged', told: 0 }]);
    expect(await w.importedCount()).toBe(2);
    expect(await markOf('mis/register.csv')).toBe('unchanged');

    later();
    await upload('mis/register.csv', withAdaAttendance('92'));
    expect(await job.runOnce()).toEqual([{ school: DEMO_SCHOOL_ID, outcome: 'loaded', told: 0 }]);
    expect(await w.attendanceOfAda()).toBe(92);
    expect(await w.importedCount()).toBe(3);
  });

  it('tells the DSL of a blob with errors, by line and column, and loads nothing', async () => {
    await upload('mis/register.csv', WITH_ERRORS);
    expect(await w.instance('a').runOnce()).toEqual([{ school: DEMO_SCHOOL_ID, outcome: 'refused', told: 2 }]);
    expect(await w.attendanceOfAda()).toBe(90);
    const text = expectSafeCard(w.cards()[0]!);
    expect(text).toContain('Line 12, date_of_birth');
    expect(text).toContain('mis/register.csv');
    expect(await markOf('mis/register.csv')).toBe('refused');
  });

  it('holds back a blob that drops more than 10% of pupils', async () => {
    await upload('mis/register.csv', WITHOUT_TWO);
    expect(await w.instance('a').runOnce()).toEqual([{ school: DEMO_SCHOOL_ID, outcome: 'heldBack', told: 2 }]);
    expect(await w.importedCount()).toBe(1);
    expect(await markOf('mis/register.csv')).toBe('heldBack');
  });

  it('two instances at once: the blob is loaded once', async () => {
    await upload('mis/register.csv', SAMPLE);
    const passes = (await Promise.all(['a', 'b', 'c'].map((id) => w.instance(id).runOnce()))).flat();
    expect(passes).toEqual([{ school: DEMO_SCHOOL_ID, outcome: 'loaded', told: 0 }]);
    expect(await w.importedCount()).toBe(2);
  });

  it('a blob changed between being listed and marked is left for the next pass', async () => {
    await upload('mis/register.csv', SAMPLE);
    const source = new BlobDropSource(container, 'mis/');
    const [listed] = await source.list();
    await upload('mis/register.csv', withAdaAttendance('85'));
    await expect(source.read(listed!)).rejects.toThrow(/changed while it was being read/);
    expect(await source.markDone(listed!, { outcome: 'loaded', at: clock() })).toBe(false);
    expect(await markOf('mis/register.csv')).toBeUndefined();
  });
});

// -------------------------------------------------------------------------------------------------

describe('the blob container a profile names', () => {
  it('is reached only over https at an Azure Storage blob endpoint, without a SAS', () => {
    const credential = new FakeCredential();
    expect(containerClientFor('https://oakfieldmis.blob.core.windows.net/register-exports', credential).url).toBe('https://oakfieldmis.blob.core.windows.net/register-exports');
    for (const bad of [
      'http://oakfieldmis.blob.core.windows.net/register-exports',
      'https://attacker.example.org/register-exports',
      'https://oakfieldmis.blob.core.windows.net.attacker.example.org/x',
      'https://oakfieldmis.blob.core.windows.net/register-exports?sv=2024&sig=abc',
      'https://oakfieldmis.blob.core.windows.net/',
      'https://oakfieldmis.blob.core.windows.net/a/b',
    ]) {
      expect(() => containerClientFor(bad, credential)).toThrow(RegisterSourceError);
    }
    expect(() => registerDropSourceFor({ kind: 'blob', containerUrl: 'https://oakfieldmis.blob.core.windows.net/x1' }, {})).toThrow(/managed identity/);
  });
});

describe('reading a register file', () => {
  it('tells UTF-8 from what is not', () => {
    expect(decodeRegisterFile(Buffer.from('\uFEFFupn\n', 'utf8'))).toEqual({ ok: true, text: 'upn\n' });
    expect(decodeRegisterFile(Buffer.from('  \r\n'))).toEqual({ ok: false, reason: 'empty' });
    expect(decodeRegisterFile(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00]))).toEqual({ ok: false, reason: 'notText' });
    expect(decodeRegisterFile(Buffer.from('Mar\xeda', 'latin1'))).toEqual({ ok: false, reason: 'notUtf8' });
  });

  it('never puts a quoted cell value on a card, only the line and column', () => {
    expect(placeOfError({ line: 12, column: 'date_of_birth', message: '"31/02/2018" is not a real date' })).toEqual({ line: 12, column: 'date_of_birth' });
    expect(placeOfError({ line: 3, message: 'has 5 cells but the first line names 6 columns: look for a stray comma or a missing quote' })).toEqual({
      line: 3,
      note: 'has 5 cells but the first line names 6 columns: look for a stray comma or a missing quote',
    });
    expect(placeOfError({ line: 1, message: 'two columns mean upn: "UPN" and "Pupil UPN"; keep one' })).toEqual({ line: 1 });
    // Our own quoted words are not the file's.
    const semicolons = 'the first line must name the columns; these required columns are missing: upn. The columns look separated by semicolons or tabs: save the file as "CSV UTF-8 (comma delimited)".';
    expect(placeOfError({ line: 1, message: semicolons })).toEqual({ line: 1, note: semicolons });
    expect(placeOfError({ line: 7, message: 'a cell opens a double quote (") that is never closed, so the rest of the file cannot be read' }).note).toMatch(/never closed/);
  });
});

describe('the DSL card', () => {
  const notices: Array<[string, RegisterPickupNotice]> = [
    ['unreadable', { kind: 'unreadable', reason: 'notUtf8', maxMegabytes: 5 }],
    ['refused', { kind: 'refused', total: 1200, errorCount: 37, errors: [{ line: 0, note: 'is larger than 5 MB' }, { line: 14, column: 'Date of Birth' }, { line: 15 }] }],
    ['heldBack', { kind: 'heldBack', total: 800, compared: 1000, missing: 200, percent: 20, thresholdPercent: 10 }],
    ['loadedWithWarnings', { kind: 'loadedWithWarnings', total: 10, created: 1, updated: 2, unchanged: 7, warningCount: 1, warnings: [{ line: 2, column: 'cla', kind: 'statusRemoved' }] }],
    ['failed', { kind: 'failed', attempts: 3 }],
  ];
  it.each(notices)('%s: a valid Adaptive Card 1.5 under 40 KB', (_kind, notice) => {
    const card = registerPickupCard({ school: 'Oakfield Primary (demo)', file: '**register**.csv', receivedAt: '23 November 2026, 06:05', notice, tabUrl: 'https://bot.example.org/tab/' });
    const { errors, bytes } = checkCard(card);
    expect(errors).toEqual([]);
    expect(bytes).toBeLessThan(40 * 1024);
    // The file name is shown as typed (a TextRun), never as Markdown.
    expect(JSON.stringify(card)).toContain('{"type":"TextRun","text":"**register**.csv"}');
  });

  it('lists the first errors and how many more', () => {
    const text = cardText(registerPickupCard({ school: 'Oakfield', file: 'r.csv', receivedAt: 'today', notice: notices[1]![1] }));
    expect(text).toContain('The file: is larger than 5 MB');
    expect(text).toContain('Line 14, Date of Birth');
    expect(text).toContain('and 34 more');
    expect(text).toContain('37 errors in 1,200 rows');
  });
});

describe('a load that keeps failing', () => {
  it('is tried again on the next passes, then given up until its content changes, and the DSL told', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'register-drop-'));
    try {
      const w = await world({ kind: 'folder', path: dir }, (s) => registerDropSourceFor(s, {}));
      await w.loadByHand(withAdaAttendance('90'));
      offset = 3 * 60_000;
      writeFileSync(path.join(dir, 'register.csv'), SAMPLE);
      // An importer whose storage is down once the check has passed.
      const real = new RegisterImporter({ pupils: w.pupils, audit: w.audit, schools: w.schools, clock });
      const broken = {
        import: async (...args: Parameters<RegisterImporter['import']>) => {
          if (args[3]?.dryRun) return real.import(...args);
          throw Object.assign(new Error('storage is down'), { statusCode: 503 });
        },
      };
      const cases = new CaseRepository(w.store.client(TABLES.cases));
      const logger = pino({ level: 'silent' });
      const job = new RegisterPickupJob({
        schools: () => w.schools.list(),
        cases,
        conversationRefs: new ConversationRefRepository(w.store.client(TABLES.conversationRefs)),
        sender: w.sender,
        pickup: new RegisterPickup({ importer: broken, audit: w.audit, logger, clock }),
        sourceFor: (s) => registerDropSourceFor(s, {}),
        logger,
        clock,
      });
      for (let attempt = 1; attempt <= 2; attempt++) {
        await expect(job.runOnce()).rejects.toBeInstanceOf(RegisterPickupError);
        expect(w.sender.sent).toEqual([]);
        expect(readdirSync(dir)).toContain('register.csv'); // left for the next pass
        later();
      }
      await expect(job.runOnce()).rejects.toBeInstanceOf(RegisterPickupError);
      expect(w.sender.sent).toHaveLength(2);
      expect(expectSafeCard(w.cards()[0]!)).toMatch(/failed 3 times because of a fault/);
      expect(readdirSync(path.join(dir, 'processed'))).toEqual([expect.stringMatching(/-abandoned-register\.csv$/)]);
      later();
      expect(await job.runOnce()).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
