import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEMO_SCHOOL_ID, DEMO_STAFF, PLAYGROUND_TENANT_ID } from '../demo/demoSchool';
import { seedDemoSchoolIfEmpty } from '../demo/seed';
import { PupilInput } from '../policy/pupil';
import { DIGEST_NOT_POSTED } from '../services/digestService';
import { SchoolDirectory } from '../services/schoolDirectory';
import { PupilRepository } from '../storage/pupilRepository';
import { RecordAuditRepository } from '../storage/recordAuditRepository';
import { SchoolRepository } from '../storage/schoolRepository';
import { TABLES, TableStore } from '../storage/tableStore';
import { startTestApp, TestApp } from './support/app';
import { SCHOOL_A_PUPIL_NAMES, SCHOOL_B_ID, SCHOOL_B_PUPIL_NAMES, seedSchoolB } from './support/secondSchool';
import { azuriteConnectionString, uniquePrefix } from './support/store';
import { ORLA, seedWillowbrook, TRUST_ADMIN, TRUST_ID, WILLOW_HEAD, WILLOW_ID, willowbrookProfile, willowPupil } from './support/trustSchool';

/**
 * SYNTHETIC TEST DATA. Besides the demo school (Oakfield) and school B in another tenant,
 * Willowbrook (test/support/trustSchool.ts), where Megan Bowen (Oakfield's DSL) is also on the staff
 * as a teacher. Every name, id and address here is invented.
 */
const NEW_SCHOOL_ID = 'riverside-synthetic';
const willowbrook = willowbrookProfile([{ ...DEMO_STAFF.dsl, email: 'megan.bowen@oakfield.example.org', roles: ['teacher'] }]);

/** Names that share no word with the demo school's or school B's children. */
const willowPupils: PupilInput[] = [
  ORLA,
  willowPupil({
    id: 'willow-p02', givenName: 'Tobias', familyName: 'Kestrelmoor', yearGroup: '5', dateOfBirth: '2016-07-21',
    statuses: [{ kind: 'CWSW', plan: 'CP' }],
    send: 'none', carers: [{ name: 'Mother (synthetic)' }], attendancePercent: 88.0,
  }),
];
const WILLOW_PUPIL_NAMES = willowPupils.map((p) => `${p.givenName} ${p.familyName}`);

async function seed(): Promise<string> {
  const prefix = uniquePrefix();
  const store = new TableStore({ connectionString: azuriteConnectionString(), tablePrefix: prefix });
  await store.ensureTables();
  const schools = new SchoolRepository(store.client(TABLES.schools));
  const pupils = new PupilRepository(store.client(TABLES.pupils));
  await seedDemoSchoolIfEmpty(schools, pupils);
  // Oakfield has a leadership channel chosen (one the app has not been added to in this store).
  const oakfield = (await schools.get(DEMO_SCHOOL_ID))!;
  await schools.save({ ...oakfield, digest: { ...oakfield.digest, channelConversationId: '19:leadership-synthetic@thread.tacv2' } });
  await seedSchoolB(store);
  await seedWillowbrook(store, willowbrook, willowPupils);
  return prefix;
}

type Json = Record<string, unknown>;

/**
 * The dashboard tab's Settings, in local mode with the development sign-in: who may see and change
 * a school's settings, that each change takes effect and is in the audit trail, the school switcher
 * of someone on two schools (and that a tampered `school` never reaches another school's children),
 * a trust's administrator setting up a new school, and the plain-words reason a digest is not posted.
 */
describe('the dashboard tab’s settings', () => {
  let app: TestApp;
  let audit: RecordAuditRepository;
  let schools: SchoolRepository;

  beforeAll(async () => {
    app = await startTestApp({ TABLE_PREFIX: await seed() });
    audit = new RecordAuditRepository(app.store.client(TABLES.cases));
    schools = new SchoolRepository(app.store.client(TABLES.schools));
  });
  afterAll(async () => {
    await app?.stop();
  });

  const tokens = new Map<string, string>();
  const signIn = async (aadObjectId: string): Promise<string> => {
    const known = tokens.get(aadObjectId);
    if (known) return known;
    const res = await fetch(`${app.url}/api/tab/dev/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ aadObjectId }) });
    expect(res.status).toBe(200);
    const { token } = (await res.json()) as { token: string };
    tokens.set(aadObjectId, token);
    return token;
  };
  const get = async (url: string, token: string) => {
    const res = await fetch(`${app.url}${url}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, body: (await res.json()) as Json };
  };
  const post = async (url: string, body: unknown, token: string, contentType = 'application/json') => {
    const res = await fetch(`${app.url}${url}`, { method: 'POST', headers: { 'content-type': contentType, authorization: `Bearer ${token}` }, body: typeof body === 'string' ? body : JSON.stringify(body) });
    return { status: res.status, body: (await res.json().catch(() => ({}))) as Json };
  };
  const settingsLog = async (schoolId: string) => audit.settingsLog(schoolId);
  const noChildIn = (body: unknown) => {
    const text = JSON.stringify(body);
    for (const name of [...SCHOOL_A_PUPIL_NAMES, ...SCHOOL_B_PUPIL_NAMES, ...WILLOW_PUPIL_NAMES]) expect(text).not.toContain(name);
  };
  const icsFile = () => readFileSync(path.join(__dirname, 'fixtures', 'term-dates-sample.ics'), 'utf8');

  it('a class teacher and the Designated Teacher are refused every settings route (403, in plain words), and each refusal is recorded', async () => {
    const before = (await settingsLog(DEMO_SCHOOL_ID)).length;
    for (const who of [DEMO_STAFF.teacher, DEMO_STAFF.dt]) {
      const token = await signIn(who.aadObjectId);
      expect(((await get('/api/tab/me', token)).body.views as string[]) ?? []).not.toContain('settings');
      const answers = [
        await get('/api/tab/settings', token),
        await get(`/api/tab/settings?school=${DEMO_SCHOOL_ID}`, token),
        await get('/api/tab/settings/template?id=any-school&name=Any', token),
        await post('/api/tab/settings/role', { school: DEMO_SCHOOL_ID, role: 'DT', person: { aadObjectId: who.aadObjectId }, give: true }, token),
        await post('/api/tab/settings/virtual-school', { school: DEMO_SCHOOL_ID, localAuthority: '822', name: 'Bedford Virtual School', email: 'vs@bedford.example.org' }, token),
        await post('/api/tab/settings/term-dates', { school: DEMO_SCHOOL_ID, fileName: 'terms.ics', text: icsFile(), dryRun: true }, token),
        await post('/api/tab/settings/profile', { school: DEMO_SCHOOL_ID, yaml: 'id: oakfield-demo\n', dryRun: true }, token),
        await post('/api/tab/settings/profile', { yaml: 'id: oakfield-demo\n', dryRun: true }, token),
      ];
      for (const answer of answers) {
        expect(answer.status).toBe(403);
        expect(answer.body.error).toMatch(/DSL|headteacher|trust’s administrator/);
        noChildIn(answer.body);
      }
    }
    const refusals = (await settingsLog(DEMO_SCHOOL_ID)).slice(before);
    expect(refusals.map((e) => e.action)).toEqual(Array(refusals.length).fill('settingsRefused'));
    expect(new Set(refusals.map((e) => e.actor.name))).toEqual(new Set(['Alex Wilber', 'Adele Vance']));
    // One entry per person and part of Settings (repeats are counted, not written one by one).
    expect(refusals.find((e) => e.actor.name === 'Adele Vance' && e.detail.what === 'role')).toBeDefined();
    expect(refusals.filter((e) => e.actor.name === 'Adele Vance' && e.detail.what === 'profile')).toHaveLength(1);
    // The repeats are written with their count when the window closes, or when the app stops.
    await app.flushAudit();
    const counted = (await settingsLog(DEMO_SCHOOL_ID)).slice(before + refusals.length);
    expect(counted.find((e) => e.actor.name === 'Adele Vance' && e.detail.what === 'profile')?.detail).toMatchObject({ repeats: 1 });
    // Nothing was changed by any of it.
    expect((await schools.get(DEMO_SCHOOL_ID))!.staff.find((s) => s.name === 'Adele Vance')!.roles).toContain('DT');
  });

  it('the settings routes take signed-in JSON only, of a bounded size', async () => {
    const token = await signIn(DEMO_STAFF.dsl.aadObjectId);
    expect((await post('/api/tab/settings/role', { school: DEMO_SCHOOL_ID }, 'not-a-token')).status).toBe(401);
    expect((await get('/api/tab/settings', 'not-a-token')).status).toBe(401);
    expect((await post('/api/tab/settings/role', 'school=oakfield-demo&role=DT', token, 'application/x-www-form-urlencoded')).status).toBe(415);
    expect((await post('/api/tab/settings/role', { school: DEMO_SCHOOL_ID, role: 'DT', person: { aadObjectId: 'x'.repeat(20_000) }, give: true }, token)).status).toBe(413);
    expect((await post('/api/tab/settings/role', { school: DEMO_SCHOOL_ID, role: 'teacher', person: { aadObjectId: 'x' }, give: true }, token)).status).toBe(400);
    expect((await post('/api/tab/settings/profile', { yaml: 'x'.repeat(300 * 1024), dryRun: true }, token)).status).toBe(400);
  });

  it('the DSL changes the Designated Teacher in the tab: it takes effect at once and is in the audit trail as a settings row', async () => {
    const token = await signIn(DEMO_STAFF.dsl.aadObjectId);
    const me = await get('/api/tab/me', token);
    expect(me.body).toMatchObject({ name: 'Megan Bowen', school: { id: DEMO_SCHOOL_ID }, views: ['cohort', 'chronology', 'actions', 'digest', 'importRegister', 'settings'] });

    const view = await get('/api/tab/settings', token);
    expect(view.status).toBe(200);
    noChildIn(view.body);
    const school = view.body.school as { roles: Array<{ role: string; singleHolder: boolean; holders: Array<{ name: string }> }>; people: Array<{ aadObjectId: string; name: string }>; profileYaml: string };
    const dt = school.roles.find((r) => r.role === 'DT')!;
    expect(dt).toMatchObject({ singleHolder: true, holders: [{ name: 'Adele Vance' }] });
    expect(school.roles.find((r) => r.role === 'SLT')!.singleHolder).toBe(false);
    expect(school.people.map((p) => p.name)).toContain('Lynne Robbins');
    expect(school.profileYaml).toMatch(/^id: oakfield-demo$/m);

    const before = (await settingsLog(DEMO_SCHOOL_ID)).length;
    const change = await post('/api/tab/settings/role', { school: DEMO_SCHOOL_ID, role: 'DT', person: { aadObjectId: DEMO_STAFF.senco.aadObjectId, name: 'Someone Else' }, give: true }, token);
    expect(change.status).toBe(200);
    expect(change.body).toMatchObject({ changed: true, replaced: ['Adele Vance'] });
    expect(change.body.summary).toMatch(/^Lynne Robbins is now the Designated Teacher.*\(was Adele Vance\)\.$/);

    const log = (await settingsLog(DEMO_SCHOOL_ID)).slice(before);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ action: 'roleGiven', actor: { aadObjectId: DEMO_STAFF.dsl.aadObjectId, name: 'Megan Bowen' }, detail: { role: 'DT', person: 'Lynne Robbins', replaced: 'Adele Vance' } });

    // In effect: the directory (read afresh from the store) and the tab itself.
    const directory = new SchoolDirectory(schools, 0);
    expect((await directory.membership(PLAYGROUND_TENANT_ID, DEMO_STAFF.senco.aadObjectId))!.roles).toContain('DT');
    expect((await directory.membership(PLAYGROUND_TENANT_ID, DEMO_STAFF.dt.aadObjectId))!.roles).not.toContain('DT');
    const lynne = await signIn(DEMO_STAFF.senco.aadObjectId);
    expect((await get('/api/tab/me', lynne)).body.roles).toContain('Designated Teacher for looked-after and previously looked-after children (DT)');
    expect((await get('/api/tab/cohort', lynne)).status).toBe(200);
    expect((await get('/api/tab/cohort', await signIn(DEMO_STAFF.dt.aadObjectId))).status).toBe(403);

    // Giving it again changes nothing; someone not on the staff cannot be given a role; the only DSL cannot be taken away.
    expect((await post('/api/tab/settings/role', { school: DEMO_SCHOOL_ID, role: 'DT', person: { aadObjectId: DEMO_STAFF.senco.aadObjectId }, give: true }, token)).body).toMatchObject({ changed: false });
    expect((await post('/api/tab/settings/role', { school: DEMO_SCHOOL_ID, role: 'DT', person: { aadObjectId: 'not-on-the-staff' }, give: true }, token)).status).toBe(404);
    const onlyDsl = await post('/api/tab/settings/role', { school: DEMO_SCHOOL_ID, role: 'DSL', person: { aadObjectId: DEMO_STAFF.dsl.aadObjectId }, give: false }, token);
    expect(onlyDsl.status).toBe(409);
    expect(onlyDsl.body.error).toMatch(/only DSL/);
  });

  it('the headteacher saves a Virtual School contact, chosen from England’s list of authorities; one for an authority already listed replaces it', async () => {
    const token = await signIn(DEMO_STAFF.headteacher.aadObjectId);
    const before = (await settingsLog(DEMO_SCHOOL_ID)).length;
    const saved = await post('/api/tab/settings/virtual-school', { school: DEMO_SCHOOL_ID, localAuthority: '822', name: 'Bedford Virtual School (synthetic)', email: 'virtualschool@bedford-vs.example.org', phone: '01632 960099' }, token);
    expect(saved.status).toBe(200);
    expect(saved.body.summary).toMatch(/Bedford Virtual School \(synthetic\).*Bedford \(822\)/);
    // "919" is Hertfordshire, listed as "HERTS": its contact is replaced, not doubled.
    expect((await post('/api/tab/settings/virtual-school', { school: DEMO_SCHOOL_ID, localAuthority: '919', name: 'Hertfordshire Virtual School (demo)', email: 'new-contact@herts-vs.example.org' }, token)).status).toBe(200);

    const view = await get('/api/tab/settings', token);
    const list = (view.body.school as { virtualSchools: Array<{ label: string; email: string; fromTrust: boolean }> }).virtualSchools;
    expect(list.find((v) => v.label === 'Bedford (822)')).toMatchObject({ email: 'virtualschool@bedford-vs.example.org', fromTrust: false });
    expect(list.filter((v) => v.label === 'Hertfordshire (919)')).toEqual([expect.objectContaining({ email: 'new-contact@herts-vs.example.org' })]);
    const stored = (await schools.get(DEMO_SCHOOL_ID))!;
    expect(stored.virtualSchools.map((v) => v.localAuthority)).toEqual(['ESSEX', 'LUTON', '822', 'HERTS']);

    const log = (await settingsLog(DEMO_SCHOOL_ID)).slice(before);
    expect(log.map((e) => e.action)).toEqual(['virtualSchoolSaved', 'virtualSchoolSaved']);
    expect(log[0]).toMatchObject({ actor: { name: 'Patti Fernandez' }, detail: { localAuthority: '822' } });

    const unknown = await post('/api/tab/settings/virtual-school', { school: DEMO_SCHOOL_ID, localAuthority: 'Narnia', name: 'Nowhere', email: 'vs@nowhere.example.org' }, token);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatch(/not a local authority in England/);
  });

  it('term dates from the local authority’s iCalendar file: a dry run shows the changes and saves nothing; then saving replaces the calendar', async () => {
    const token = await signIn(DEMO_STAFF.dsl.aadObjectId);
    const before = (await schools.get(DEMO_SCHOOL_ID))!.calendar;
    const check = await post('/api/tab/settings/term-dates', { school: DEMO_SCHOOL_ID, fileName: 'term-dates-sample.ics', text: icsFile(), dryRun: true }, token);
    expect(check.status).toBe(200);
    expect(check.body).toMatchObject({ ok: true, applied: false });
    expect(check.body.changes).toEqual([expect.stringMatching(/^Term dates changed: 3 terms \(Autumn term to Summer term 2027\), 4 closure days$/)]);
    expect(check.body.warnings).toEqual([expect.stringContaining('Sports day')]);
    expect((await schools.get(DEMO_SCHOOL_ID))!.calendar).toEqual(before);

    const save = await post('/api/tab/settings/term-dates', { school: DEMO_SCHOOL_ID, fileName: 'term-dates-sample.ics', text: icsFile(), dryRun: false }, token);
    expect(save.body).toMatchObject({ ok: true, applied: true });
    const after = (await schools.get(DEMO_SCHOOL_ID))!.calendar;
    expect(after.terms.map((t) => [t.name, t.start, t.end])).toEqual([
      ['Autumn term', '2026-09-03', '2026-12-18'],
      ['Spring term', '2027-01-04', '2027-03-26'],
      ['Summer term 2027', '2027-04-12', '2027-07-21'],
    ]);
    expect(after.closures).toHaveLength(4);
    expect((await settingsLog(DEMO_SCHOOL_ID)).at(-1)).toMatchObject({ action: 'termDatesImported', actor: { name: 'Megan Bowen' }, detail: { terms: 3, closures: 4 } });
    const view = await get('/api/tab/settings', token);
    expect((view.body.school as { termDates: { lastDate: string } }).termDates.lastDate).toBe('2027-07-21');

    const broken = await post('/api/tab/settings/term-dates', { school: DEMO_SCHOOL_ID, fileName: 'terms.xlsx', text: 'PK\u0003\u0004 not a text file', dryRun: true }, token);
    expect(broken.body).toMatchObject({ ok: false, applied: false });
    expect((broken.body.problems as string[])[0]).toMatch(/cannot be read here: save the term dates as CSV/);
  });

  it('the advanced editor: a broken profile comes back with line-numbered problems and saves nothing; a good one is checked, then saved', async () => {
    const token = await signIn(DEMO_STAFF.dsl.aadObjectId);
    const yaml = ((await get('/api/tab/settings', token)).body.school as { profileYaml: string }).profileYaml;
    const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

    const broken = yaml.replace('email: exclusions@herts-la.example.org', 'email: not-an-email-address');
    const refused = await post('/api/tab/settings/profile', { school: DEMO_SCHOOL_ID, yaml: broken, dryRun: false }, token);
    expect(refused.status).toBe(200);
    expect(refused.body).toMatchObject({ ok: false, applied: false });
    const problems = refused.body.problems as Array<{ line: number; field: string; text: string }>;
    expect(problems).toEqual([expect.objectContaining({ field: 'exclusionsContact.email', line: lineOf(broken, 'not-an-email-address') })]);
    expect(problems[0]!.text).toMatch(/^line \d+, exclusionsContact\.email: /);
    const notYaml = await post('/api/tab/settings/profile', { school: DEMO_SCHOOL_ID, yaml: `${yaml}\nstaff: [unclosed\n`, dryRun: true }, token);
    expect((notYaml.body.problems as Array<{ line: number }>)[0]!.line).toBeGreaterThan(0);

    // The id, the tenant and the trust are not the DSL's to change.
    const renamed = await post('/api/tab/settings/profile', { school: DEMO_SCHOOL_ID, yaml: yaml.replace(/^id: oakfield-demo$/m, 'id: oakfield-renamed'), dryRun: true }, token);
    expect(renamed.body.problems).toEqual([expect.objectContaining({ field: 'id', line: lineOf(yaml, 'id: oakfield-demo') })]);
    const intoTrust = await post('/api/tab/settings/profile', { school: DEMO_SCHOOL_ID, yaml: yaml.replace(/^(tenantId: .*)$/m, `$1\ntrustId: ${TRUST_ID}`), dryRun: true }, token);
    expect(intoTrust.body.problems).toEqual([expect.objectContaining({ field: 'trustId' })]);
    expect((await schools.get(DEMO_SCHOOL_ID))!.trustId).toBeUndefined();

    const good = yaml.replace(/(schoolDay:\n\s+start: \S+\n\s+end: )\S+/, (_all, head: string) => `${head}15:15`);
    expect(good).not.toEqual(yaml);
    const check = await post('/api/tab/settings/profile', { school: DEMO_SCHOOL_ID, yaml: good, dryRun: true }, token);
    expect(check.body).toMatchObject({ ok: true, applied: false, newSchool: false });
    expect(check.body.changes).toEqual([expect.stringMatching(/^schoolDay changed from .*15:30.* to .*15:15/)]);
    expect((await schools.get(DEMO_SCHOOL_ID))!.schoolDay.end).toBe('15:30');
    const save = await post('/api/tab/settings/profile', { school: DEMO_SCHOOL_ID, yaml: good, dryRun: false }, token);
    expect(save.body).toMatchObject({ ok: true, applied: true });
    expect((await schools.get(DEMO_SCHOOL_ID))!.schoolDay.end).toBe('15:15');
    expect((await settingsLog(DEMO_SCHOOL_ID)).at(-1)).toMatchObject({ action: 'profileApplied', actor: { name: 'Megan Bowen' } });
  });

  it('someone on the staff of two schools switches between them, and a tampered school never shows them another school’s children', async () => {
    const isaiah = await signIn(DEMO_STAFF.deputyDsl.aadObjectId);
    const me = await get('/api/tab/me', isaiah);
    // Both schools, by name; the first is shown until another is chosen.
    expect(me.body).toMatchObject({
      school: { id: DEMO_SCHOOL_ID },
      schools: [{ id: DEMO_SCHOOL_ID, name: 'Oakfield Primary (demo)' }, { id: WILLOW_ID, name: 'Willowbrook Primary (synthetic)' }],
      roles: ['Member of staff', 'Deputy Designated Safeguarding Lead'],
    });
    expect((me.body.views as string[]).includes('settings')).toBe(false);
    const atWillow = await get(`/api/tab/me?school=${WILLOW_ID}`, isaiah);
    expect(atWillow.body).toMatchObject({ school: { id: WILLOW_ID }, roles: ['Member of staff', 'Designated Safeguarding Lead (DSL)'] });
    expect(atWillow.body.views).toContain('settings');

    const names = (body: Json) => ((body.children as Array<{ name: string }> | undefined) ?? []).map((c) => c.name);
    const oakCohort = await get('/api/tab/cohort', isaiah);
    expect(names(oakCohort.body)).toContain('Sam Thistlewood');
    for (const n of WILLOW_PUPIL_NAMES) expect(JSON.stringify(oakCohort.body)).not.toContain(n);
    const willowCohort = await get(`/api/tab/cohort?school=${WILLOW_ID}`, isaiah);
    expect(names(willowCohort.body).sort()).toEqual(['Orla Pennywhistle', 'Tobias Kestrelmoor']);
    for (const n of SCHOOL_A_PUPIL_NAMES) expect(JSON.stringify(willowCohort.body)).not.toContain(n);

    // Settings follow the school: DSL at Willowbrook, not at Oakfield (where Isaiah is the deputy).
    expect((await get(`/api/tab/settings?school=${WILLOW_ID}`, isaiah)).status).toBe(200);
    expect((await get('/api/tab/settings', isaiah)).status).toBe(403);

    // Tampering: a school of another tenant, a malformed id, two ids, a child of the other school.
    for (const url of [`/api/tab/cohort?school=${SCHOOL_B_ID}`, `/api/tab/settings?school=${SCHOOL_B_ID}`, `/api/tab/actions?school=${SCHOOL_B_ID}`, `/api/tab/digest?school=${SCHOOL_B_ID}`, `/api/tab/pupils/brook-p01?school=${SCHOOL_B_ID}`]) {
      const res = await get(url, isaiah);
      expect({ url, status: res.status }).toEqual({ url, status: 403 });
      expect(res.body.error).toMatch(/not one of yours/);
      noChildIn(res.body);
    }
    for (const url of ['/api/tab/cohort?school=..%2F..%2Fetc', `/api/tab/cohort?school=${WILLOW_ID}&school=${DEMO_SCHOOL_ID}`, '/api/tab/cohort?school=']) {
      expect((await get(url, isaiah)).status).toBe(400);
    }
    const crossed = await get(`/api/tab/pupils/demo-p01?school=${WILLOW_ID}`, isaiah);
    expect(crossed.status).toBe(404);
    noChildIn(crossed.body);
    const other = await get('/api/tab/pupils/willow-p01', isaiah);
    expect(other.status).toBe(404);
    noChildIn(other.body);
    expect((await get(`/api/tab/pupils/willow-p01?school=${WILLOW_ID}`, isaiah)).status).toBe(200);
    const upload = await post(`/api/tab/register?school=${SCHOOL_B_ID}`, { csv: 'x', dryRun: true }, isaiah);
    expect(upload.status).toBe(403);

    // Megan is the DSL at Oakfield but a class teacher at Willowbrook: nothing of Willowbrook's children, nor its settings.
    const megan = await signIn(DEMO_STAFF.dsl.aadObjectId);
    expect((await get('/api/tab/me', megan)).body).toMatchObject({ school: { id: DEMO_SCHOOL_ID } });
    for (const url of [`/api/tab/cohort?school=${WILLOW_ID}`, `/api/tab/pupils/willow-p01?school=${WILLOW_ID}`, `/api/tab/settings?school=${WILLOW_ID}`]) {
      const res = await get(url, megan);
      expect({ url, status: res.status }).toEqual({ url, status: 403 });
      noChildIn(res.body);
    }
    expect((await post('/api/tab/settings/role', { school: WILLOW_ID, role: 'DSL', person: { aadObjectId: DEMO_STAFF.dsl.aadObjectId }, give: true }, megan)).status).toBe(403);
    expect((await settingsLog(WILLOW_ID)).at(-1)).toMatchObject({ action: 'settingsRefused', actor: { name: 'Megan Bowen' }, detail: { what: 'role' } });
  });

  it('the digest says in plain words why it is not posted: no channel chosen, or the app no longer in the chosen one', async () => {
    const isaiah = await signIn(DEMO_STAFF.deputyDsl.aadObjectId);
    const willow = await get(`/api/tab/digest?school=${WILLOW_ID}`, isaiah);
    expect(willow.status).toBe(200);
    expect(willow.body.notPosted).toEqual({ reason: 'noChannel', explanation: DIGEST_NOT_POSTED.noChannel });
    noChildIn(willow.body);
    const settings = await get(`/api/tab/settings?school=${WILLOW_ID}`, isaiah);
    expect((settings.body.school as { digest: Json }).digest).toMatchObject({ weekdayName: 'Monday', time: '08:00', channel: { chosen: false, posting: false, reason: 'noChannel', explanation: DIGEST_NOT_POSTED.noChannel } });
    // Oakfield has a channel chosen, but the app was never added to it here.
    const oak = await get('/api/tab/digest', await signIn(DEMO_STAFF.headteacher.aadObjectId));
    expect(oak.body.notPosted).toEqual({ reason: 'appNotInChannel', explanation: DIGEST_NOT_POSTED.appNotInChannel });
  });

  it('a trust’s administrator (on no school’s staff) sees settings only, and sets up a new school of the trust from its profile', async () => {
    const token = await signIn(TRUST_ADMIN.aadObjectId);
    const me = await get('/api/tab/me', token);
    expect(me.body).toMatchObject({ name: 'Jordan Ashcombe', school: { id: WILLOW_ID }, schools: [{ id: WILLOW_ID }], roles: ['Trust administrator'], views: ['settings'], trusts: [{ id: TRUST_ID }] });
    // Settings, yes; children, no.
    for (const url of ['/api/tab/cohort', '/api/tab/actions', '/api/tab/digest', '/api/tab/pupils/willow-p01']) expect((await get(url, token)).status).toBe(403);
    const view = await get('/api/tab/settings', token);
    expect(view.status).toBe(200);
    expect(view.body.trusts).toEqual([{ id: TRUST_ID, name: 'Chiltern Learning Trust (synthetic)', schools: [{ id: WILLOW_ID, name: 'Willowbrook Primary (synthetic)' }] }]);
    noChildIn(view.body);

    const template = await get(`/api/tab/settings/template?id=${NEW_SCHOOL_ID}&name=Riverside%20Primary%20(synthetic)&localAuthority=919&policy=leys`, token);
    expect(template.status).toBe(200);
    const startingPoint = template.body.yaml as string;
    expect(startingPoint).toMatch(/^id: riverside-synthetic$/m);
    expect(startingPoint).toMatch(new RegExp(`^tenantId: ${PLAYGROUND_TENANT_ID}$`, 'm'));
    expect(startingPoint).toMatch(/^trustId: "chiltern-trust"$/m);
    // The template is refused until it is filled in, each gap with its line.
    const unfilled = await post('/api/tab/settings/profile', { yaml: startingPoint, dryRun: true }, token);
    expect(unfilled.body).toMatchObject({ ok: false });
    expect((unfilled.body.problems as Array<{ line: number }>).every((p) => p.line > 0)).toBe(true);
    expect((await get(`/api/tab/settings/template?id=${WILLOW_ID}&name=Taken`, token)).status).toBe(409);

    const yaml = [
      `id: ${NEW_SCHOOL_ID}`,
      'name: Riverside Primary (synthetic)',
      `tenantId: ${PLAYGROUND_TENANT_ID}`,
      `trustId: ${TRUST_ID}`,
      'localAuthority: "919"',
      'policy:',
      '  profile: leys',
      'staff:',
      '  - aadObjectId: 00000000-0000-0000-0000-0000000000092',
      '    name: Priya Calloway',
      '    email: priya.calloway@riverside.example.org',
      '    roles: [DSL, headteacher]',
      'virtualSchools:',
      '  - localAuthority: "919"',
      '    name: Hertfordshire Virtual School (synthetic)',
      '    email: virtualschool@herts-vs.example.org',
      'exclusionsContact:',
      '  name: Hertfordshire exclusions team (synthetic)',
      '  email: exclusions@herts-la.example.org',
      'calendar:',
      '  terms:',
      '    - name: Autumn 2026',
      '      start: 2026-09-03',
      '      end: 2026-12-18',
      'synthetic: true',
      '',
    ].join('\n');
    // Not in another trust, nor another tenant.
    const otherTrust = await post('/api/tab/settings/profile', { yaml: yaml.replace(`trustId: ${TRUST_ID}`, 'trustId: some-other-trust'), dryRun: true }, token);
    expect(otherTrust.body.problems).toEqual([expect.objectContaining({ field: 'trustId', line: 4 })]);
    const otherTenant = await post('/api/tab/settings/profile', { yaml: yaml.replace(`tenantId: ${PLAYGROUND_TENANT_ID}`, 'tenantId: ffffffff-0000-0000-0000-00000000000f'), dryRun: true }, token);
    expect(otherTenant.body.problems).toEqual([expect.objectContaining({ field: 'tenantId', line: 3 })]);
    // Nor by a school's DSL, who is no trust administrator.
    expect((await post('/api/tab/settings/profile', { yaml, dryRun: true }, await signIn(DEMO_STAFF.dsl.aadObjectId))).status).toBe(403);

    const check = await post('/api/tab/settings/profile', { yaml, dryRun: true }, token);
    expect(check.body).toMatchObject({ ok: true, applied: false, newSchool: true, school: { id: NEW_SCHOOL_ID } });
    expect(check.body.changes).toEqual([expect.stringMatching(/^New school Riverside Primary \(synthetic\) \(riverside-synthetic\)/)]);
    expect(await schools.get(NEW_SCHOOL_ID)).toBeUndefined();
    const created = await post('/api/tab/settings/profile', { yaml, dryRun: false }, token);
    expect(created.body).toMatchObject({ ok: true, applied: true, newSchool: true });
    expect((await schools.get(NEW_SCHOOL_ID))!).toMatchObject({ trustId: TRUST_ID, tenantId: PLAYGROUND_TENANT_ID, name: 'Riverside Primary (synthetic)' });
    expect((await settingsLog(NEW_SCHOOL_ID)).at(-1)).toMatchObject({ action: 'schoolCreated', actor: { aadObjectId: TRUST_ADMIN.aadObjectId, name: 'Jordan Ashcombe' } });

    // The new school is the administrator's to choose now, and its settings theirs to change.
    const after = await get('/api/tab/me', token);
    expect((after.body.schools as Array<{ id: string }>).map((s) => s.id)).toEqual([NEW_SCHOOL_ID, WILLOW_ID]);
    const riverside = await get(`/api/tab/settings?school=${NEW_SCHOOL_ID}`, token);
    expect(riverside.body.school).toMatchObject({ id: NEW_SCHOOL_ID, trust: { id: TRUST_ID } });
    // The trust's administrator changes Willowbrook's roles too; Oakfield (no trust) is not theirs.
    const role = await post('/api/tab/settings/role', { school: WILLOW_ID, role: 'SENCO', person: { aadObjectId: WILLOW_HEAD.aadObjectId }, give: true }, token);
    expect(role.body).toMatchObject({ changed: true });
    expect((await get(`/api/tab/settings?school=${DEMO_SCHOOL_ID}`, token)).status).toBe(403);
  });
});
