import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { DEMO_SCHOOL_ID, DEMO_STAFF, demoSchool } from '../demo/demoSchool';
import { describeChanges, formatProblem, parseProfileFile, profileFileJsonSchema, profileToYaml } from '../policy/profileFile';
import { loadSchoolProfile } from '../policy/schoolProfile';
import { profileTemplate, SchoolSetup } from '../services/schoolSetup';
import { RecordAuditRepository } from '../storage/recordAuditRepository';
import { SchoolRepository } from '../storage/schoolRepository';
import { StaffRepository } from '../storage/staffRepository';
import { TrustRepository } from '../storage/trustRepository';
import { TABLES, TableStore } from '../storage/tableStore';
import { runTool } from './support/runTool';
import { azuriteConnectionString, createTestStore, uniquePrefix } from './support/store';

/**
 * The school profile as a file a school edits: read, checked and saved without JSON typed by hand,
 * every mistake named by line and field, nothing written until the whole file is right. The demo
 * school is SYNTHETIC.
 */

const changesOf = (r: Awaited<ReturnType<SchoolSetup['apply']>>) => (r.ok ? r.changes : r.problems.map(formatProblem));

const demoYaml = () => profileToYaml(loadSchoolProfile(demoSchool), ' Oakfield (synthetic)');

/** The demo file with one edit, made through the YAML document as an editor would. */
function edited(edit: (doc: ReturnType<typeof parseDocument>) => void): string {
  const doc = parseDocument(demoYaml());
  edit(doc);
  return doc.toString();
}

function problemsOf(text: string): string[] {
  const read = parseProfileFile(text);
  return read.ok ? [] : read.problems.map(formatProblem);
}

/** The line a setting's key is on in a file, for expected messages. */
function lineOf(text: string, pattern: RegExp, after = 0): number {
  const lines = text.split('\n');
  for (let i = after; i < lines.length; i++) if (pattern.test(lines[i]!)) return i + 1;
  throw new Error(`no line matches ${pattern}`);
}

describe('reading a profile file', () => {
  it('reads the demo school written as a file, to the same profile', () => {
    const read = parseProfileFile(demoYaml());
    expect(read.ok).toBe(true);
    if (read.ok) expect(loadSchoolProfile(read.profile)).toEqual(loadSchoolProfile(demoSchool));
  });

  it('refuses a profile with no DSL, naming the line of the staff list', () => {
    const text = edited((doc) => doc.setIn(['staff', 1, 'roles'], doc.createNode(['SLT'])));
    expect(problemsOf(text)).toEqual([`line ${lineOf(text, /^staff:/)}, staff: the profile names no Designated Safeguarding Lead (a member of staff with the role "DSL")`]);
  });

  it('refuses an unknown policy profile, with the ones there are', () => {
    const text = edited((doc) => doc.setIn(['policy', 'profile'], 'leyz'));
    expect(problemsOf(text)).toEqual([`line ${lineOf(text, /profile: leyz/)}, policy.profile: must be one of leys, busheyHeath, holyFamily, offord, cambridgeshireModel`]);
  });

  it('refuses overlapping terms, naming the term and both dates', () => {
    const text = edited((doc) => doc.setIn(['calendar', 'terms', 1, 'start'], '2025-12-01'));
    expect(problemsOf(text)).toEqual([
      `line ${lineOf(text, /start: 2025-12-01/)}, calendar.terms[2].start: "Spring 2026" starts on 2025-12-01, before "Autumn 2025" ends (2025-12-19): terms must not overlap`,
    ]);
  });

  it('refuses a local authority that does not exist, with what it might have meant', () => {
    const text = edited((doc) => doc.setIn(['localAuthority'], 'Hertfordsire'));
    const problems = problemsOf(text);
    expect(problems[0]).toMatch(new RegExp(`^line ${lineOf(text, /^localAuthority:/)}, localAuthority: "Hertfordsire" is not a local authority in England: did you mean Hertfordshire \\(919\\)`));
    const code = edited((doc) => doc.setIn(['virtualSchools', 1, 'localAuthority'], '999'));
    expect(problemsOf(code)).toContain(`line ${lineOf(code, /localAuthority: "999"/)}, virtualSchools[2].localAuthority: "999" is not a local authority in England (use its three-digit DfE code or its name)`);
  });

  it('names every problem at once, in line order, even a misspelt setting', () => {
    const text = edited((doc) => {
      doc.setIn(['policy', 'profile'], 'leyz');
      doc.setIn(['staff', 1, 'roles'], doc.createNode(['SLT']));
      doc.setIn(['calendar', 'terms', 1, 'start'], '2025-12-01');
    });
    const problems = problemsOf(text);
    expect(problems).toHaveLength(3);
    expect(problems.map((p) => Number(/^line (\d+)/.exec(p)![1]))).toEqual([...problems.map((p) => Number(/^line (\d+)/.exec(p)![1]))].sort((a, b) => a - b));
    const typo = demoYaml().replace('externalStepsNeedApproval: true', 'externalStepsNeedAproval: true');
    expect(problemsOf(typo)).toEqual([`line ${lineOf(typo, /externalStepsNeedAproval/)}, externalStepsNeedAproval: is not a setting this app knows (check the spelling); nothing was read from it`]);
    expect(problemsOf('id: [unclosed')).toEqual([expect.stringMatching(/^line 1, \(the file\): is not valid YAML/)]);
  });

  it('says what changed in the words a headteacher uses', () => {
    const before = loadSchoolProfile(demoSchool);
    const after = loadSchoolProfile({
      ...demoSchool,
      staff: [...demoSchool.staff.map((s) => (s.name === 'Megan Bowen' ? { ...s, roles: ['SLT' as const] } : s.name === 'Isaiah Langer' ? { ...s, roles: ['DSL' as const] } : s)), { aadObjectId: 'new-1', name: 'Jess Newman', roles: ['governor' as const] }],
    });
    expect(describeChanges(before, after)).toEqual(['DSL changed from Megan Bowen to Isaiah Langer', 'Deputy DSL: Isaiah Langer removed', 'Designated governor: Jess Newman added', '1 role holder added']);
    expect(describeChanges(before, before)).toEqual([]);
  });

  it('the published JSON Schema is the one the file is checked against (schemas/school-profile.schema.json)', () => {
    const published = JSON.parse(readFileSync(path.join(__dirname, '..', 'schemas', 'school-profile.schema.json'), 'utf8'));
    // After changing the profile's settings: npm run school -- schema --out schemas/school-profile.schema.json
    expect(published).toEqual(profileFileJsonSchema());
    expect(published.properties.staff.description).toMatch(/role holders/);
    expect(published.required).toEqual(expect.arrayContaining(['id', 'name', 'tenantId', 'localAuthority', 'policy', 'staff', 'virtualSchools', 'exclusionsContact', 'calendar']));
  });

  it('the template from init is refused until it is filled in, and says so for each empty value', () => {
    const problems = problemsOf(profileTemplate({ id: 'new-school', name: 'New School (synthetic)' }));
    expect(problems.length).toBeGreaterThan(10);
    expect(problems).toContain(`line ${lineOf(profileTemplate({ id: 'new-school', name: 'New School (synthetic)' }), /^tenantId:/)}, tenantId: is empty: fill it in`);
  });
});

describe('applying a profile file to the store', () => {
  let store: TableStore;
  let setup: SchoolSetup;
  beforeEach(async () => {
    store = await createTestStore();
    setup = new SchoolSetup({
      schools: new SchoolRepository(store.client(TABLES.schools)),
      staff: new StaffRepository(store.client(TABLES.staff)),
      audit: new RecordAuditRepository(store.client(TABLES.cases)),
      trusts: new TrustRepository(store.client(TABLES.schools)),
      clock: () => new Date(Date.parse('2026-11-30T10:00:00Z') + 1000 * tick++),
    });
  });
  let tick = 0;
  const actor = { aadObjectId: 'cli', name: 'synthetic-it-lead (command line)' };

  it('a file refused writes nothing at all', async () => {
    const bad = edited((doc) => doc.setIn(['policy', 'profile'], 'leyz'));
    const result = await setup.apply(bad, actor);
    expect(result.ok).toBe(false);
    expect(await new SchoolRepository(store.client(TABLES.schools)).list()).toEqual([]);
    expect(await new RecordAuditRepository(store.client(TABLES.cases)).settingsLog(DEMO_SCHOOL_ID)).toEqual([]);
  });

  it('people named by email only are found among those the bot has met; someone it has not met is named by line', async () => {
    const byEmail = edited((doc) => {
      doc.deleteIn(['staff', 1, 'aadObjectId']);
      doc.deleteIn(['staff', 2, 'aadObjectId']);
    });
    const unknown = await setup.apply(byEmail, actor);
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) {
      expect(unknown.problems.map(formatProblem)).toEqual([
        `line ${lineOf(byEmail, /email: megan.bowen/)}, staff[2].email: megan.bowen@oakfield.example.org is not known to the app yet: add the app to your staff team (its roster names everyone), or ask Megan Bowen to say hello to the bot in Teams, then apply again (or give their Entra object id as aadObjectId)`,
        `line ${lineOf(byEmail, /email: adele.vance/)}, staff[3].email: adele.vance@oakfield.example.org is not known to the app yet: add the app to your staff team (its roster names everyone), or ask Adele Vance to say hello to the bot in Teams, then apply again (or give their Entra object id as aadObjectId)`,
      ]);
    }
    const staff = new StaffRepository(store.client(TABLES.staff));
    await staff.rememberPerson(demoSchool.tenantId, { aadObjectId: DEMO_STAFF.dsl.aadObjectId, name: 'Megan Bowen', email: 'Megan.Bowen@oakfield.example.org' });
    await staff.upsertMember(DEMO_SCHOOL_ID, 'team', { aadObjectId: DEMO_STAFF.dt.aadObjectId, name: 'Adele Vance', email: 'adele.vance@oakfield.example.org' }, new Date());
    const applied = await setup.apply(byEmail, actor);
    expect(applied.ok && applied.applied).toBe(true);
    if (applied.ok) expect(applied.profile.staff.find((s) => s.name === 'Megan Bowen')!.aadObjectId).toBe(DEMO_STAFF.dsl.aadObjectId);
  });

  it('export, then apply: nothing changes; an edit shows as a change, is audited, and applying it twice changes nothing more', async () => {
    await setup.apply(demoYaml(), actor);
    const exported = (await setup.exportFile(DEMO_SCHOOL_ID))!;
    expect(exported).toContain('# yaml-language-server: $schema=./school-profile.schema.json');
    expect(changesOf(await setup.apply(exported, actor))).toEqual([]);
    const newDt = edited((doc) => {
      doc.setIn(['staff', 2, 'roles'], doc.createNode(['SLT']));
      doc.setIn(['staff', 5, 'roles'], doc.createNode(['SENCO', 'attendanceLead', 'DT']));
    });
    const first = await setup.apply(newDt, actor);
    expect(first.ok && first.changes).toEqual(['Designated Teacher changed from Adele Vance to Lynne Robbins']);
    expect(changesOf(await setup.apply(newDt, actor))).toEqual([]);
    const log = await new RecordAuditRepository(store.client(TABLES.cases)).settingsLog(DEMO_SCHOOL_ID);
    expect(log.map((e) => [e.action, e.detail.summary])).toEqual([
      ['schoolCreated', 'New school Oakfield Primary (demo) (oakfield-demo): 6 people named with roles, 6 terms, 3 Virtual Schools.'],
      ['profileApplied', 'Designated Teacher changed from Adele Vance to Lynne Robbins'],
    ]);
  });

  it('a file that leaves out the digest channel and the staff team chosen in Teams keeps them', async () => {
    await setup.apply(demoYaml(), actor);
    const repo = new SchoolRepository(store.client(TABLES.schools));
    const stored = (await repo.get(DEMO_SCHOOL_ID))!;
    await repo.save({ ...stored, staffSource: { teamId: '19:staff@thread.tacv2', teamName: 'Oakfield staff' } });
    const withoutChannel = edited((doc) => doc.deleteIn(['digest', 'channelConversationId']));
    expect(changesOf(await setup.apply(withoutChannel, actor))).toEqual([]);
    expect((await repo.get(DEMO_SCHOOL_ID))!.staffSource?.teamId).toBe('19:staff@thread.tacv2');
  });
});

describe('npm run school (the built command)', () => {
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(path.join(os.tmpdir(), 'swbot-school-cli-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const env = (prefix: string) => ({ PATH: process.env.PATH ?? '', AZURE_TABLES_CONNECTION_STRING: azuriteConnectionString(), TABLE_PREFIX: prefix, LOG_LEVEL: 'silent', USER: 'synthetic-it-lead' });

  it('validate names each problem by line and exits 1; apply of the same file writes nothing', async () => {
    const file = path.join(work, 'broken.school.yaml');
    writeFileSync(file, edited((doc) => {
      doc.setIn(['localAuthority'], 'Nowhereshire');
      doc.setIn(['calendar', 'terms', 1, 'start'], '2025-12-01');
    }));
    const prefix = uniquePrefix();
    const check = await runTool('school.js', ['validate', file], env(prefix));
    expect(check.status).toBe(1);
    expect(check.stderr).toMatch(/^line \d+, localAuthority: "Nowhereshire" is not a local authority in England/m);
    expect(check.stderr).toMatch(/^line \d+, calendar\.terms\[2\]\.start: "Spring 2026" starts on 2025-12-01/m);
    expect(check.stderr).toMatch(/\n\d+ problems in .*broken\.school\.yaml: nothing was saved\.\n$/);
    const apply = await runTool('school.js', ['apply', file], env(prefix));
    expect(apply.status).toBe(1);
    expect((await runTool('school.js', ['list'], env(prefix))).stdout).toMatch(/^No schools yet/);
  });

  it('says how it is used when asked wrongly', async () => {
    const run = await runTool('school.js', ['frobnicate'], env(uniquePrefix()));
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^Unknown command "frobnicate"\.\nUsage:/);
  });
});
