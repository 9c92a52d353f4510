import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TableClient, TransactionAction } from '@azure/data-tables';
import { demoPupils, DEMO_SCHOOL_ID } from '../demo/demoSchool';
import { seedDemoSchoolIfEmpty } from '../demo/seed';
import { PupilDirectory } from '../services/pupilDirectory';
import { RegisterImporter, UnknownSchoolError } from '../services/registerImporter';
import { listIssues, summariseImport } from '../services/registerImportSummary';
import { isoDate } from '../policy/dates';
import { Pupil } from '../policy/pupil';
import { formatIssue } from '../policy/registerCsv';
import { pupilIdFor, upnCheckLetter } from '../policy/upn';
import { PupilRepository } from '../storage/pupilRepository';
import { RecordAuditRepository } from '../storage/recordAuditRepository';
import { SchoolRepository } from '../storage/schoolRepository';
import { TableStore, TABLES } from '../storage/tableStore';
import { createProgressReporter, progressBarLine } from '../scripts/progressBar';
import { profile } from './policy/fixtures';
import { runCommand } from './support/runTool';
import { azuriteConnectionString, uniquePrefix } from './support/store';

/** SYNTHETIC: every pupil, UPN and contact in this file is made up. */

const ROOT = path.join(__dirname, '..');
const SAMPLE = path.join(__dirname, 'fixtures', 'register-sample.csv');
const ACTOR = { aadObjectId: '00000000-0000-0000-0000-0000000000022', name: 'Adele Vance' };
const NOW = new Date('2026-11-23T10:00:00Z');
let tick = 0;
/** A second later on every call: the register's history is ordered by time. */
const clock = () => new Date(NOW.getTime() + 1000 * tick++);

const upn = (n: number) => {
  const body = `919200017${String(n).padStart(3, '0')}`;
  return `${upnCheckLetter(body)}${body}`;
};

const HEADER = 'upn,given_name,family_name,year_group,date_of_birth,cin_cp,send,attendance_percent';
const row = (n: number, attendance = '95') => `${upn(n)},Pupil${n},Synthetic,${(n % 6) + 1},14/03/2017,${n % 10 === 0 ? 'CIN' : ''},N,${attendance}`;
const register = (count: number, change?: { n: number; attendance: string }) =>
  `${HEADER}\n${Array.from({ length: count }, (_, i) => row(i + 1, change?.n === i + 1 ? change.attendance : '95')).join('\n')}\n`;

/** Counts what reaches the pupils table: entity-group transactions, the rows in them, and any single-row write. */
interface WriteCounter {
  transactions: number;
  rows: number;
  singleWrites: number;
}

function countingWrites(client: TableClient, counter: WriteCounter): TableClient {
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === 'submitTransaction') {
        return async (actions: TransactionAction[]) => {
          counter.transactions++;
          counter.rows += actions.length;
          return target.submitTransaction(actions);
        };
      }
      if (prop === 'upsertEntity' || prop === 'updateEntity' || prop === 'createEntity' || prop === 'deleteEntity') counter.singleWrites++;
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

async function freshStore(): Promise<{ store: TableStore; prefix: string }> {
  const prefix = uniquePrefix();
  const store = new TableStore({ connectionString: azuriteConnectionString(), tablePrefix: prefix });
  await store.ensureTables();
  return { store, prefix };
}

describe('loading the register (RegisterImporter on Azurite)', () => {
  let store: TableStore;
  let pupils: PupilRepository;
  let audit: RecordAuditRepository;
  let schools: SchoolRepository;
  const writes: WriteCounter = { transactions: 0, rows: 0, singleWrites: 0 };
  let schoolCount = 0;

  beforeAll(async () => {
    ({ store } = await freshStore());
    pupils = new PupilRepository(countingWrites(store.client(TABLES.pupils), writes));
    audit = new RecordAuditRepository(store.client(TABLES.cases));
    schools = new SchoolRepository(store.client(TABLES.schools));
  });

  /** Each test loads into a school of its own. */
  async function newSchool(): Promise<string> {
    const school = profile('leys', { id: `import-test-${++schoolCount}` });
    await schools.save(school);
    return school.id;
  }

  const importer = (directory?: PupilDirectory) => new RegisterImporter({ pupils, audit, schools, directory, clock });

  async function load(schoolId: string, csv: string, options: { dryRun?: boolean } = {}) {
    const before = { ...writes };
    const progress: Array<[number, number]> = [];
    const report = await importer().import(schoolId, csv, ACTOR, { ...options, onProgress: (done, total) => progress.push([done, total]) });
    return { report, progress, transactions: writes.transactions - before.transactions, rows: writes.rows - before.rows, singleWrites: writes.singleWrites - before.singleWrites };
  }

  it('creates every pupil on the first load, 100 to a transaction, reporting progress', async () => {
    const school = await newSchool();
    const run = await load(school, register(250));
    expect(run.report).toMatchObject({ outcome: 'imported', total: 250, created: 250, updated: 0, unchanged: 0, notInFile: 0, errors: [], warnings: [] });
    expect([run.transactions, run.rows, run.singleWrites]).toEqual([3, 250, 0]);
    expect(run.progress).toEqual([[0, 250], [0, 250], [100, 250], [200, 250], [250, 250]]);
    const stored = await pupils.listBySchool(school);
    expect(stored).toHaveLength(250);
    expect(stored.find((p) => p.id === pupilIdFor(school, upn(10)))).toMatchObject({ givenName: 'Pupil10', statuses: [{ kind: 'CWSW', plan: 'CIN' }] });
  });

  it('writes nothing when the same file is loaded again, and updates only the row that changed', async () => {
    const school = await newSchool();
    await load(school, register(120));
    const again = await load(school, register(120));
    expect(again.report).toMatchObject({ outcome: 'imported', total: 120, created: 0, updated: 0, unchanged: 120 });
    expect([again.transactions, again.rows, again.singleWrites]).toEqual([0, 0, 0]);
    expect(again.progress.at(-1)).toEqual([120, 120]);

    const changed = await load(school, register(120, { n: 7, attendance: '81.5%' }));
    expect(changed.report).toMatchObject({ created: 0, updated: 1, unchanged: 119 });
    expect([changed.transactions, changed.rows]).toEqual([1, 1]);
    expect((await pupils.get(school, pupilIdFor(school, upn(7))))!.attendancePercent).toBe(81.5);
    expect(await pupils.listBySchool(school)).toHaveLength(120);
  });

  it('writes nothing at all when one row is wrong, and names the line', async () => {
    const school = await newSchool();
    await load(school, register(5));
    const bad = register(6).replace(`${upn(4)},Pupil4,Synthetic,5,14/03/2017`, `${upn(4)},Pupil4,Synthetic,5,31/02/2017`);
    const run = await load(school, bad);
    expect(run.report).toMatchObject({ outcome: 'refused', total: 6, created: 0, updated: 0, unchanged: 0 });
    expect(run.report.errors.map(formatIssue)).toEqual(['line 5, date_of_birth: "31/02/2017" is not a real date']);
    expect([run.transactions, run.rows, run.singleWrites]).toEqual([0, 0, 0]);
    // The new pupil on line 7 was valid, but nothing is loaded from a file with errors.
    expect(await pupils.listBySchool(school)).toHaveLength(5);
    expect(summariseImport(run.report)).toBe(
      'Nothing was written: 1 error in a file of 6 rows. Correct them (in the MIS, then export again) and load the file again; rows without errors were not loaded either, so the register is never half-loaded.',
    );
  });

  it("keeps the school's own record through a re-load: PEPs, SDQ date, key adult, the synthetic flag", async () => {
    const school = await newSchool();
    await load(school, register(3));
    const id = pupilIdFor(school, upn(2));
    const loaded = (await pupils.get(school, id))!;
    const recorded: Pupil = { ...loaded, peps: [{ date: isoDate('2026-10-06'), note: 'Synthetic PEP' }], sdqDate: isoDate('2026-09-15'), keyAdult: 'Mrs Made-up', synthetic: true };
    await pupils.saveAll(school, [recorded]);

    const same = await load(school, register(3));
    expect(same.report).toMatchObject({ updated: 0, unchanged: 3 });
    const changed = await load(school, register(3, { n: 2, attendance: '70' }));
    expect(changed.report).toMatchObject({ updated: 1, unchanged: 2 });
    expect(await pupils.get(school, id)).toEqual({ ...recorded, attendancePercent: 70 });
  });

  it('leaves pupils who are not in the file as they are, and counts them', async () => {
    const school = await newSchool();
    await load(school, register(4));
    const run = await load(school, register(2));
    expect(run.report).toMatchObject({ total: 2, unchanged: 2, notInFile: 2 });
    expect(await pupils.listBySchool(school)).toHaveLength(4);
    expect(summariseImport(run.report)).toBe('2 rows: 0 new, 0 updated, 2 unchanged; 2 pupils on the register are not in this file and were left as they are.');
  });

  it('a dry run counts what would change and writes nothing, not even to the audit', async () => {
    const school = await newSchool();
    await load(school, register(3));
    const run = await load(school, register(5, { n: 1, attendance: '50' }), { dryRun: true });
    expect(run.report).toMatchObject({ outcome: 'dryRun', total: 5, created: 2, updated: 1, unchanged: 2 });
    expect([run.transactions, run.singleWrites]).toEqual([0, 0]);
    expect(await pupils.listBySchool(school)).toHaveLength(3);
    // The first load's start and finish; nothing from the dry run.
    expect((await audit.registerLog(school)).map((e) => e.action)).toEqual(['registerImportStarted', 'importedRegister']);
    expect(summariseImport(run.report)).toBe('Dry run, nothing was written. 5 rows: 2 new, 1 updated, 2 unchanged.');
  });

  it('audits every load with who and the counts, never a name or UPN', async () => {
    const school = await newSchool();
    await load(school, register(12));
    await load(school, register(12, { n: 3, attendance: '60' }));
    await load(school, 'upn,given_name\n');
    const log = await audit.registerLog(school);
    const importIds = log.filter((e) => e.action === 'registerImportStarted').map((e) => e.detail.importId);
    expect(log.map((e) => [e.action, e.actor, e.detail])).toEqual([
      ['registerImportStarted', ACTOR, { importId: importIds[0], file: expect.stringMatching(/^[0-9a-f]{16}$/), toWrite: 12 }],
      ['importedRegister', ACTOR, { importId: importIds[0], total: 12, created: 12, updated: 0, unchanged: 0, notInFile: 0, warnings: 0 }],
      ['registerImportStarted', ACTOR, { importId: importIds[1], file: expect.stringMatching(/^[0-9a-f]{16}$/), toWrite: 1 }],
      ['importedRegister', ACTOR, { importId: importIds[1], total: 12, created: 0, updated: 1, unchanged: 11, notInFile: 0, warnings: 0 }],
      ['registerImportRefused', ACTOR, { total: 0, errors: 1 }],
    ]);
    expect(log.every((e) => e.at.startsWith('2026-11-23T10:'))).toBe(true);
    const text = JSON.stringify(log);
    expect(text).not.toMatch(/Pupil\d|Synthetic|919200017/);
  });

  it("lets this instance's pupil search see the new register at once", async () => {
    const school = await newSchool();
    const directory = new PupilDirectory(pupils, 60 * 60 * 1000);
    expect(await directory.search(school, 'Pupil1', 5)).toEqual([]);
    await importer(directory).import(school, register(1), ACTOR);
    expect((await directory.search(school, 'Pupil1', 5)).map((m) => m.id)).toEqual([pupilIdFor(school, upn(1))]);
  });

  it('warns when the file removes a looked-after status, and about a placing authority with no Virtual School', async () => {
    const school = await newSchool();
    const withCla = 'upn,given_name,family_name,year_group,date_of_birth,cla,placing_authority\n' + `${upn(1)},Pupil1,Synthetic,4,14/03/2017,s31,HERTS\n${upn(2)},Pupil2,Synthetic,4,14/03/2017,s20,NORFOLK\n`;
    const first = await load(school, withCla);
    expect(first.report.warnings.map(formatIssue)).toEqual([
      'line 3, placing_authority: the school profile has no Virtual School for NORFOLK: add it, or the bot cannot tell that Virtual School about this child',
    ]);
    const second = await load(school, withCla.replace('s31,HERTS', ','));
    expect(second.report.updated).toBe(1);
    expect(second.report.warnings.map(formatIssue)).toContain(
      'line 2, cla: the register had this pupil as looked after and this line leaves cla blank, so that status was removed; if that is wrong, correct the MIS and load the file again',
    );
  });

  it('a load killed part way is on record before its first row, and the next load reconciles it (security round two, item 10)', async () => {
    const school = await newSchool();
    // The process dies during the second batch: its writes never come back.
    let batches = 0;
    const dying = Object.create(pupils) as PupilRepository;
    dying.saveAll = async (id: string, batch: Pupil[]) => {
      if (++batches === 2) return new Promise<void>(() => undefined);
      return pupils.saveAll(id, batch);
    };
    void new RegisterImporter({ pupils: dying, audit, schools, clock }).import(school, register(250), ACTOR);
    const deadline = Date.now() + 10_000;
    while (batches < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect((await pupils.listBySchool(school)).length).toBe(100);
    const started = (await audit.registerLog(school)).filter((e) => e.action === 'registerImportStarted');
    expect(started).toHaveLength(1);
    expect(started[0]!.detail).toMatchObject({ toWrite: 250 });

    // Loaded again: the 100 already written are unchanged now, and the record says who wrote them.
    const again = await load(school, register(250));
    expect(again.report).toMatchObject({ outcome: 'imported', created: 150, unchanged: 100 });
    expect(again.report.warnings.map(formatIssue)).toContainEqual(expect.stringMatching(/An earlier load of this file .* was interrupted after writing 100 pupils; this load finishes it/));
    const log = await audit.registerLog(school);
    const reconciled = log.find((e) => e.action === 'registerImportReconciled');
    expect(reconciled?.detail).toMatchObject({ importId: started[0]!.detail.importId, planned: 250, writtenBeforeInterruption: 100 });
    // And a third load finds nothing left to reconcile.
    const third = await load(school, register(250));
    expect(third.report.warnings).toEqual([]);
  });

  it('refuses a school that has no profile', async () => {
    await expect(importer().import('no-such-school', register(1), ACTOR)).rejects.toBeInstanceOf(UnknownSchoolError);
    expect(await pupils.listBySchool('no-such-school')).toEqual([]);
  });
});

describe('progress on the command line', () => {
  it('draws a bar', () => {
    expect(progressBarLine(120, 300, 10)).toBe('[####......] 120/300');
    expect(progressBarLine(300, 300, 10)).toBe('[##########] 300/300');
  });

  it('redraws one line on a terminal, and writes a line each tenth elsewhere', () => {
    const tty: string[] = [];
    const terminal = createProgressReporter({ isTTY: true, write: (t: string) => tty.push(t) }, 'Loading');
    terminal.update(0, 300);
    terminal.update(150, 300);
    terminal.finish();
    expect(tty.join('')).toBe(`\rLoading ${progressBarLine(0, 300)}\rLoading ${progressBarLine(150, 300)}\n`);

    const log: string[] = [];
    const plain = createProgressReporter({ isTTY: false, write: (t: string) => log.push(t) }, 'Loading');
    for (let done = 0; done <= 300; done += 10) plain.update(done, 300);
    plain.finish();
    expect(log).toHaveLength(11);
    expect(log[0]).toBe('Loading 0/300 (0%)\n');
    expect(log[10]).toBe('Loading 300/300 (100%)\n');
  });

  it('lists the first 50 problems and says how many more', () => {
    const issues = Array.from({ length: 53 }, (_, i) => ({ line: i + 2, message: 'x' }));
    const lines = listIssues(issues);
    expect(lines).toHaveLength(51);
    expect(lines.at(-1)).toBe('and 3 more');
  });
});

/** When the server's newest TypeScript source (outside the tests) was last changed. */
function newestSourceMs(dir = ROOT): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (['node_modules', 'dist', 'test', '.data', '.git', 'build'].includes(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceMs(full));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

describe('npm run import (the built command, on Azurite)', () => {
  let prefix: string;
  let store: TableStore;
  const tool = path.join(ROOT, 'dist', 'scripts', 'import.js');
  const env = () => ({ PATH: process.env.PATH ?? '', AZURE_TABLES_CONNECTION_STRING: azuriteConnectionString(), TABLE_PREFIX: prefix, LOG_LEVEL: 'silent', USER: 'synthetic-tester' });
  const importCli = (...args: string[]) => runCommand(process.execPath, [tool, ...args], env());

  beforeAll(async () => {
    // `npm test` has just built dist/, which other files are running bots from: built again here, it
    // was 16 s of CPU for nothing and rewrote their files under them. Run on its own, this file
    // builds the server (what `npm run build` does first) if a source is newer than the tool.
    const newest = newestSourceMs();
    if (!existsSync(tool) || newest > statSync(tool).mtimeMs) {
      const build = await runCommand(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { PATH: process.env.PATH ?? '' });
      if (build.status !== 0) console.warn(`tsc -p tsconfig.build.json exited ${build.status}:\n${build.stdout}${build.stderr}`);
    }
    expect(existsSync(tool) && statSync(tool).mtimeMs >= newest).toBe(true);
    ({ store, prefix } = await freshStore());
    await seedDemoSchoolIfEmpty(new SchoolRepository(store.client(TABLES.schools)), new PupilRepository(store.client(TABLES.pupils)));
  }, 180_000);

  it('loads the synthetic sample into the demo school (exit 0), with progress on stderr; a second run changes nothing', async () => {
    const first = await importCli('--school', DEMO_SCHOOL_ID, SAMPLE);
    expect(first.stderr).toBe(['Loading 0/12 (0%)', 'Loading 12/12 (100%)', ''].join('\n'));
    expect(first.stdout).toBe(`12 rows: 12 new, 0 updated, 0 unchanged; ${demoPupils.length} pupils on the register are not in this file and were left as they are.\n`);
    expect(first.status).toBe(0);
    const stored = await new PupilRepository(store.client(TABLES.pupils)).listBySchool(DEMO_SCHOOL_ID);
    expect(stored).toHaveLength(demoPupils.length + 12);

    const second = await importCli('--school', DEMO_SCHOOL_ID, SAMPLE);
    expect(second.stdout).toMatch(/^12 rows: 0 new, 0 updated, 12 unchanged;/);
    expect(second.status).toBe(0);
    const log = await new RecordAuditRepository(store.client(TABLES.cases)).registerLog(DEMO_SCHOOL_ID);
    expect(log.map((e) => [e.action, e.actor.aadObjectId, e.actor.name, e.detail.created])).toEqual([
      ['registerImportStarted', 'cli', 'synthetic-tester (command line)', undefined],
      ['importedRegister', 'cli', 'synthetic-tester (command line)', 12],
      // The second run wrote nothing, so it had nothing to start.
      ['importedRegister', 'cli', 'synthetic-tester (command line)', 0],
    ]);
  }, 60_000);

  it('--dry-run writes nothing', async () => {
    const dry = await importCli('--dry-run', '--school', DEMO_SCHOOL_ID, SAMPLE);
    expect(dry.status).toBe(0);
    expect(dry.stdout).toMatch(/^Dry run, nothing was written\. 12 rows: 0 new, 0 updated, 12 unchanged;/);
  }, 60_000);

  it('lists the errors by line and exits 1 when the file has errors; nothing is written', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'swbot-import-'));
    const file = path.join(dir, 'register.csv');
    const lines = readFileSync(SAMPLE, 'utf8').split('\n');
    lines[3] = lines[3]!.replace('30/07/2019', '31/02/2019');
    lines[5] = lines[5]!.replace(',E,no,', ',Q,no,');
    lines.push(`${upn(900)},New,Pupil-Synthetic,3,01/01/2018,,,,,,,,,N,no,90,,,,,,`);
    writeFileSync(file, lines.join('\n'));
    const before = (await new PupilRepository(store.client(TABLES.pupils)).listBySchool(DEMO_SCHOOL_ID)).length;
    const bad = await importCli('--school', DEMO_SCHOOL_ID, file);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('line 4, date_of_birth: "31/02/2019" is not a real date\nline 6, send: "Q" is not a SEND status');
    expect(bad.stdout).toMatch(/^Nothing was written: 2 errors in a file of 13 rows\./);
    expect((await new PupilRepository(store.client(TABLES.pupils)).listBySchool(DEMO_SCHOOL_ID)).length).toBe(before);
  }, 60_000);

  it('exits 2 for a usage mistake, an unknown school or a missing file', async () => {
    const noSchool = await importCli(SAMPLE);
    expect([noSchool.status, noSchool.stderr]).toEqual([2, 'which school? Add --school <school id>\nUsage: npm run import -- --school <school id> [--dry-run] <file.csv>\n']);
    const unknown = await importCli('--school', 'nowhere-primary', SAMPLE);
    expect([unknown.status, unknown.stderr]).toEqual([2, 'No school with the id "nowhere-primary". Check the id, or set the school up first: npm run school -- init (README, "Setting up your school").\n']);
    const missing = await importCli('--school', DEMO_SCHOOL_ID, path.join(os.tmpdir(), 'no-such-register.csv'));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^No file at .*no-such-register\.csv\.\n$/);
  }, 60_000);

  it('refuses a file that is not UTF-8 (exit 1)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'swbot-import-'));
    const file = path.join(dir, 'latin1.csv');
    // "Zoë" saved as Windows-1252, as Excel's plain "CSV" does.
    writeFileSync(file, Buffer.concat([Buffer.from(`upn,given_name,family_name,year_group,date_of_birth\n${upn(1)},Zo`), Buffer.from([0xeb]), Buffer.from(',Synthetic,4,14/03/2017\n')]));
    const latin1 = await importCli('--school', DEMO_SCHOOL_ID, file);
    expect(latin1.status).toBe(1);
    expect(latin1.stderr).toContain('is not UTF-8 text: save it from the MIS or Excel as "CSV UTF-8"');
  }, 60_000);
});

