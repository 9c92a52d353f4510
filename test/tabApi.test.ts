import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DEMO_SCHOOL_ID, DEMO_STAFF } from '../demo/demoSchool';
import { RecordAuditRepository } from '../storage/recordAuditRepository';
import { TABLES } from '../storage/tableStore';
import { postActivity } from './support/activities';
import { appWithConnector, startTestApp } from './support/app';
import { attendanceUpToConfirm, confirmActivity } from './support/httpFlows';

/**
 * The dashboard tab's API in local mode, signed in with the development sign-in as the demo
 * school's (synthetic) staff: what each role may see, and what is written when a record is opened.
 */
describe('the dashboard tab API', () => {
  // The bot's clock set to a day in term, so the demo cohort is the same whenever the suite runs (a
  // plan drops out six years after it ends: one demo child's would in March 2029).
  const suite = appWithConnector({ CLOCK_START: '2026-12-02T10:00:00Z' });
  const connector = suite.connector;
  let audit: RecordAuditRepository;

  beforeAll(() => {
    audit = new RecordAuditRepository(suite.app.store.client(TABLES.cases));
  });

  const signIn = async (aadObjectId: string): Promise<string> => {
    const res = await fetch(`${suite.app.url}/api/tab/dev/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ aadObjectId }) });
    expect(res.status).toBe(200);
    return ((await res.json()) as { token: string }).token;
  };
  const get = async (path: string, token?: string) => {
    const res = await fetch(`${suite.app.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
  };
  type Child = { id: string; name: string; statuses: string[]; nextDeadline?: { ref: string } };

  it('refuses every API call without a valid token, and says nothing else', async () => {
    for (const path of ['/api/tab/me', '/api/tab/cohort', '/api/tab/pupils/demo-p01', '/api/tab/actions', '/api/tab/digest']) {
      expect((await get(path)).status).toBe(401);
      expect((await get(path, 'not-a-token')).status).toBe(401);
      const res = await get(path, 'eyJhbGciOiJub25lIn0.eyJ0aWQiOiJ4Iiwib2lkIjoieSIsIm5hbWUiOiJ6In0.');
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: 'Please sign in again.' });
    }
  });

  it('the Designated Teacher sees the children in care and previously in care, with status, and no one else', async () => {
    const token = await signIn(DEMO_STAFF.dt.aadObjectId);
    const me = await get('/api/tab/me', token);
    expect(me.body).toMatchObject({ name: 'Adele Vance', signIn: 'development', views: ['cohort', 'chronology', 'actions', 'digest', 'importRegister'] });
    const cohort = await get('/api/tab/cohort', token);
    expect(cohort.status).toBe(200);
    const children = cohort.body.children as Child[];
    expect(children.map((c) => c.id).sort()).toEqual(['demo-p01', 'demo-p02', 'demo-p03', 'demo-p04', 'demo-p05', 'demo-p06']);
    expect(children.find((c) => c.id === 'demo-p01')!.statuses[0]).toMatch(/^Looked after: section 31/);
    expect(cohort.headers.get('cache-control')).toBe('no-store');
  });

  it('the DSL sees the whole cohort (a past plan drops out six years after it ended)', async () => {
    const cohort = await get('/api/tab/cohort', await signIn(DEMO_STAFF.dsl.aadObjectId));
    const ids = (cohort.body.children as Child[]).map((c) => c.id);
    expect(ids).toContain('demo-p07');
    expect(ids).toContain('demo-p12');
    // Finn's Child in Need plan ended on 10 Jan 2019: more than six years ago.
    expect(ids).not.toContain('demo-p10');
    expect(ids).toHaveLength(11);
  });

  it('opening a chronology is written to the audit trail first; the chronology shows the case, its steps and who opened it', async () => {
    const draftId = await attendanceUpToConfirm(suite.app.url, connector, 'conv-tab-1', 'Sam Thistlewood');
    expect((await postActivity(suite.app.url, confirmActivity(connector, 'conv-tab-1', draftId))).status).toBe(200);

    const token = await signIn(DEMO_STAFF.dt.aadObjectId);
    const before = await audit.accessLog(DEMO_SCHOOL_ID, 'demo-p01');
    const res = await get('/api/tab/pupils/demo-p01', token);
    expect(res.status).toBe(200);
    const after = await audit.accessLog(DEMO_SCHOOL_ID, 'demo-p01');
    expect(after).toHaveLength(before.length + 1);
    expect(after.at(-1)).toMatchObject({ action: 'viewedChronology', actor: { name: 'Adele Vance' }, detail: { pupilId: 'demo-p01' } });

    const body = res.body as { child: { name: string }; cases: Array<{ title: string; ref: string; raisedBy: string }>; events: Array<{ text: string; by: string }>; viewers: Array<{ name: string }> };
    expect(body.child.name).toBe('Sam Thistlewood');
    expect(body.cases).toHaveLength(1);
    expect(body.cases[0]).toMatchObject({ title: 'Attendance concern', raisedBy: 'Alex Wilber' });
    expect(body.events.map((e) => e.text)).toEqual(expect.arrayContaining(['Attendance concern raised', 'Opened this record']));
    expect(body.viewers.map((v) => v.name)).toContain('Adele Vance');

    // The cohort list now shows the case's next deadline against Sam.
    const cohort = await get('/api/tab/cohort', token);
    const sam = (cohort.body.children as Child[]).find((c) => c.id === 'demo-p01')!;
    expect(sam.nextDeadline?.ref).toBe(body.cases[0]!.ref);
  });

  it('the DT is refused a child on a child protection plan (not theirs to know), and the attempt is recorded', async () => {
    const res = await get('/api/tab/pupils/demo-p07', await signIn(DEMO_STAFF.dt.aadObjectId));
    expect(res.status).toBe(403);
    expect(JSON.stringify(res.body)).not.toMatch(/Amara|Windmere|Protection/);
    const log = await audit.accessLog(DEMO_SCHOOL_ID, 'demo-p07');
    expect(log.at(-1)).toMatchObject({ action: 'refused', actor: { name: 'Adele Vance' } });
  });

  it('200 refused attempts on one child make one audit entry, then one with the count; after a burst the refusals are 429 (security round two, item 11)', async () => {
    const token = await signIn(DEMO_STAFF.dt.aadObjectId);
    const before = (await audit.accessLog(DEMO_SCHOOL_ID, 'demo-p08')).length;
    const statuses: number[] = [];
    for (let i = 0; i < 200; i++) statuses.push((await get('/api/tab/pupils/demo-p08', token)).status);
    expect(statuses.slice(0, 15).every((st) => st === 403)).toBe(true);
    expect(statuses.slice(-100).every((st) => st === 429)).toBe(true);
    await suite.app.flushAudit();
    const entries = (await audit.accessLog(DEMO_SCHOOL_ID, 'demo-p08')).slice(before);
    expect(entries.map((e) => e.action)).toEqual(['refused', 'refused']);
    expect(entries[1]!.detail).toMatchObject({ repeats: 199 });
  });

  it('a class teacher sees no cohort, no record and no digest; the attempt on a record is recorded', async () => {
    const token = await signIn(DEMO_STAFF.teacher.aadObjectId);
    expect((await get('/api/tab/me', token)).body).toMatchObject({ views: [] });
    for (const path of ['/api/tab/cohort', '/api/tab/actions', '/api/tab/digest', '/api/tab/pupils/demo-p01']) {
      const res = await get(path, token);
      expect(res.status).toBe(403);
      expect(JSON.stringify(res.body)).not.toMatch(/Sam|Thistlewood|Looked after/);
    }
    expect((await audit.accessLog(DEMO_SCHOOL_ID, 'demo-p01')).at(-1)).toMatchObject({ action: 'refused', actor: { name: 'Alex Wilber' } });
  });

  it('a malformed record id is a 400, an unknown one a 404', async () => {
    const token = await signIn(DEMO_STAFF.dsl.aadObjectId);
    expect((await get('/api/tab/pupils/..%2F..%2Fetc', token)).status).toBe(400);
    expect((await get('/api/tab/pupils/nobody', token)).status).toBe(404);
  });

  it('the digest view has numbers only: no child named (the headteacher sees every count; "fewer than 3" is for SLT only: tabApiActions.test.ts)', async () => {
    const res = await get('/api/tab/digest', await signIn(DEMO_STAFF.headteacher.aadObjectId));
    expect(res.status).toBe(200);
    const text = JSON.stringify(res.body);
    expect(text).not.toMatch(/Thistlewood|Marchbank|Windmere/);
    expect(res.body.smallNumbersHidden).toBe(false);
  });

  it('the DT loads the register from the tab: checked first, then loaded, audited with their name; a second load changes nothing', async () => {
    const csv = readFileSync(path.join(__dirname, 'fixtures', 'register-sample.csv'), 'utf8');
    const token = await signIn(DEMO_STAFF.dt.aadObjectId);
    const upload = async (body: unknown, as = token) => {
      const res = await fetch(`${suite.app.url}/api/tab/register`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${as}` }, body: JSON.stringify(body) });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const registerLog = () => audit.registerLog(DEMO_SCHOOL_ID);
    const auditBefore = (await registerLog()).length;

    const check = await upload({ csv, dryRun: true });
    expect(check).toMatchObject({ status: 200, body: { outcome: 'dryRun', total: 12, created: 12, written: false } });
    expect((await get('/api/tab/cohort', token)).body.children).toHaveLength(6);

    const load = await upload({ csv, dryRun: false });
    expect(load).toMatchObject({ status: 200, body: { outcome: 'imported', created: 12, updated: 0, written: true } });
    const log = await registerLog();
    // The load is on record before its first row (in case it is stopped part way), and when it finishes.
    expect(log.slice(auditBefore).map((e) => e.action)).toEqual(['registerImportStarted', 'importedRegister']);
    expect(log.at(-1)).toMatchObject({ action: 'importedRegister', actor: { name: 'Adele Vance' } });
    expect(JSON.stringify(log.at(-1))).not.toMatch(/Sampleton|K919200017101/);
    // The new children in care are on the DT's register at once (the search cache was refreshed).
    const names = ((await get('/api/tab/cohort', token)).body.children as Child[]).map((c) => c.name);
    expect(names).toContain('Ada Sampleton');

    expect((await upload({ csv, dryRun: false })).body).toMatchObject({ outcome: 'imported', created: 0, updated: 0, unchanged: 12 });

    const broken = csv.replace('14/03/2017', '31/02/2017');
    const refused = await upload({ csv: broken, dryRun: false });
    expect(refused.body).toMatchObject({ outcome: 'refused', written: false });
    expect((refused.body.errors as Array<{ line: number; column: string }>)[0]).toMatchObject({ line: 2, column: 'date_of_birth' });

    const teacher = await upload({ csv, dryRun: true }, await signIn(DEMO_STAFF.teacher.aadObjectId));
    expect(teacher.status).toBe(403);
    expect((await upload({ nonsense: true })).status).toBe(400);
  });

  it('serves the tab page with a Content-Security-Policy that lets only Teams frame it', async () => {
    const res = await fetch(`${suite.app.url}/tab/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<script type="module" src="app.js">');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain('frame-ancestors');
    expect(csp).toContain('https://teams.microsoft.com');
    expect((await fetch(`${suite.app.url}/tab/app.js`)).status).toBe(200);
    // Every module the page imports is served, with the same headers (an unlisted one would break the page).
    for (const file of readdirSync(path.join(__dirname, '..', 'dist', 'tab', 'client')).filter((f) => f.endsWith('.js'))) {
      const module = await fetch(`${suite.app.url}/tab/${file}`);
      expect({ file, status: module.status, type: module.headers.get('content-type') }).toEqual({ file, status: 200, type: 'text/javascript; charset=utf-8' });
    }
    expect((await fetch(`${suite.app.url}/tab/teams-js.js`)).status).toBe(200);
    expect((await fetch(`${suite.app.url}/tab/..%2Fpackage.json`)).status).toBe(404);
  });
});

describe('the development sign-in', () => {
  it('does not exist in production mode', async () => {
    const app = await startTestApp({
      BOT_MODE: 'production',
      MicrosoftAppId: '11111111-2222-3333-4444-555555555555',
      MicrosoftAppPassword: 'test-secret-not-real',
      MicrosoftAppType: 'SingleTenant',
      MicrosoftAppTenantId: '99999999-8888-7777-6666-555555555555',
      AZURE_TABLES_CONNECTION_STRING: 'set-by-test',
      LOAD_DEMO_SCHOOL: 'false',
      TAB_JWKS_URL: 'http://127.0.0.1:9/keys',
    });
    try {
      const signIn = await fetch(`${app.url}/api/tab/dev/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ aadObjectId: DEMO_STAFF.dt.aadObjectId }) });
      expect(signIn.status).toBe(404);
      expect((await fetch(`${app.url}/api/tab/dev/staff`)).status).toBe(404);
    } finally {
      await app.stop();
    }
  });
});
