import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEMO_SCHOOL_ID, DEMO_STAFF } from '../demo/demoSchool';
import { CaseRepository } from '../storage/caseRepository';
import { RecordAuditRepository } from '../storage/recordAuditRepository';
import { TABLES } from '../storage/tableStore';
import { postActivity } from './support/activities';
import { appWithConnector } from './support/app';
import { approvalInvoke, attendanceUpToConfirm, confirmActivity } from './support/httpFlows';

const SHOTS = path.join(__dirname, '..', 'test-output', 'tab');

interface ActionRow {
  caseId: string;
  stepId: string;
  ref: string;
  child: { id: string; name: string } | null;
  label: string;
  owner: string;
  deadline: string;
  overdue: boolean;
  mayChange: boolean;
}
interface Event {
  at: string;
  text: string;
  kind: string;
  note?: string;
}

/** The value beside a label in a card (cards/text.ts labelledUserText: a ColumnSet of the label and the value's text or text runs). */
function labelledValue(card: unknown, label: string): string | undefined {
  let found: string | undefined;
  JSON.stringify(card, (_k, v: unknown) => {
    if (found === undefined && v && typeof v === 'object' && (v as { type?: string }).type === 'ColumnSet') {
      const cols = (v as { columns: Array<{ items: Array<{ text?: string; inlines?: Array<{ text: string }> }> }> }).columns;
      const value = cols[1]?.items[0];
      if (cols[0]?.items[0]?.text === label) found = value?.text ?? value?.inlines?.map((i) => i.text).join('');
    }
    return v;
  });
  return found;
}

/** The teacher's confirmation, person by person (cards/planCards.ts peopleElements): "**Who**", then a line per task. */
function personBlocks(card: unknown): Array<{ who: string; tasks: string[] }> {
  const out: Array<{ who: string; tasks: string[] }> = [];
  JSON.stringify(card, (_k, v: unknown) => {
    const items = v && typeof v === 'object' && (v as { type?: string }).type === 'Container' ? (v as { items: Array<{ text?: string }> }).items : undefined;
    const who = items?.[0]?.text && /^\*\*(.+)\*\*$/.exec(items[0].text)?.[1];
    if (items && who) out.push({ who, tasks: items.slice(1).map((i) => i.text ?? '') });
    return v;
  });
  return out;
}

/**
 * The dashboard's Actions and export API, in local mode with the development sign-in, on the
 * synthetic demo school: who may close or hand on an action and what is written when they do,
 * what forged and malformed requests get, the chronology's PDF and its audit entry, one owner for
 * a step on the card and in the dashboard, and full numbers for the people who see the children.
 */
describe('the dashboard: actions, the chronology export and the figures', () => {
  const suite = appWithConnector();
  let audit: RecordAuditRepository;
  let cases: CaseRepository;
  const tokens = new Map<string, string>();
  /** The check-and-send card the teacher saw for the concern about Sam. */
  let samConfirmation: unknown;

  beforeAll(async () => {
    audit = new RecordAuditRepository(suite.app.store.client(TABLES.cases));
    cases = new CaseRepository(suite.app.store.client(TABLES.cases));
    // A concern about Sam (in care) and one about Amara (on a child protection plan: the DSL's, not the DT's).
    for (const [conversation, child] of [['conv-actions-sam', 'Sam Thistlewood'], ['conv-actions-amara', 'Amara Windmere']] as const) {
      const draftId = await attendanceUpToConfirm(suite.app.url, suite.connector, conversation, child);
      if (child === 'Sam Thistlewood') samConfirmation = (suite.connector.sent.filter((x) => x.conversationId === conversation).at(-1)!.body.attachments as Array<{ content: unknown }>)[0]!.content;
      expect((await postActivity(suite.app.url, confirmActivity(suite.connector, conversation, draftId))).status).toBe(200);
    }
  });

  const signIn = async (aadObjectId: string): Promise<string> => {
    const known = tokens.get(aadObjectId);
    if (known) return known;
    const res = await fetch(`${suite.app.url}/api/tab/dev/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ aadObjectId }) });
    expect(res.status).toBe(200);
    const { token } = (await res.json()) as { token: string };
    tokens.set(aadObjectId, token);
    return token;
  };
  const as = (who: keyof typeof DEMO_STAFF) => signIn(DEMO_STAFF[who].aadObjectId);
  const get = async (p: string, token?: string) => {
    const res = await fetch(`${suite.app.url}${p}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const post = async (p: string, body: unknown, token?: string, contentType = 'application/json') => {
    const res = await fetch(`${suite.app.url}${p}`, {
      method: 'POST',
      headers: { 'content-type': contentType, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
  };
  const actionsOf = async (token: string) => (await get('/api/tab/actions', token)).body.actions as ActionRow[];
  const ofChild = (rows: ActionRow[], name: string) => rows.filter((a) => a.child?.name === name);
  const stored = async (a: Pick<ActionRow, 'caseId' | 'stepId'>) => (await cases.getAction(DEMO_SCHOOL_ID, a.caseId, a.stepId))!.action;

  it('the teacher’s check-and-send card, the card a member of staff gets for a step and the dashboard name the same owner for each step', async () => {
    const rows = await actionsOf(await as('dsl'));
    const sam = ofChild(rows, 'Sam Thistlewood');
    expect(sam.length).toBeGreaterThan(2);
    // Owners are people, named the way the teacher's confirmation names them (policy/stepOwners.ts).
    expect(sam.map((a) => a.owner)).toEqual(expect.arrayContaining(['Alex Wilber, member of staff', 'Megan Bowen, DSL']));
    // The teacher's card groups the steps by person ("You" for the teacher's own): each step sits under its owner.
    const people = personBlocks(samConfirmation);
    for (const a of sam) {
      const under = people.filter((p) => p.tasks.some((t) => t.endsWith(`: ${a.label}`))).map((p) => p.who);
      expect({ step: a.stepId, under }).toEqual({ step: a.stepId, under: [a.owner === 'Alex Wilber, member of staff' ? 'You' : a.owner] });
    }
    for (const a of sam) {
      // "Mark done" pressed by someone who may not: the bot answers with the action's card as it stands.
      const outsider = a.owner.startsWith('Alex Wilber') ? DEMO_STAFF.senco : DEMO_STAFF.teacher;
      const res = await postActivity(suite.app.url, approvalInvoke(suite.connector, outsider.aadObjectId, 'completeAction', { caseId: a.caseId, stepId: a.stepId }));
      expect(res.status).toBe(200);
      const card = (JSON.parse(res.body) as { value: unknown }).value;
      expect({ step: a.stepId, who: labelledValue(card, 'Who') }).toEqual({ step: a.stepId, who: a.owner });
      expect((await stored(a)).status).toBe('open');
    }
  });

  it('the DSL marks an action done with an outcome and a note: written to the case’s audit trail, shown newest first in the chronology; a second try is a 409', async () => {
    const token = await as('dsl');
    const [first] = ofChild(await actionsOf(token), 'Sam Thistlewood');
    expect(first!.mayChange).toBe(true);
    const trailBefore = await cases.auditTrail(DEMO_SCHOOL_ID, first!.caseId);
    const note = 'Spoke to the foster carers (synthetic): support plan agreed, review in two weeks.';
    const res = await post('/api/tab/actions/close', { caseId: first!.caseId, stepId: first!.stepId, outcome: 'followUp', note }, token);
    expect(res).toMatchObject({ status: 200, body: { summary: expect.stringContaining('Done, and more is needed') } });

    expect(await stored(first!)).toMatchObject({ status: 'done', closedBy: 'person', doneByName: 'Megan Bowen', outcome: 'followUp', doneNote: note });
    const trail = await cases.auditTrail(DEMO_SCHOOL_ID, first!.caseId);
    expect(trail).toHaveLength(trailBefore.length + 1);
    expect(trail.at(-1)).toMatchObject({ action: 'actionDone', actor: { name: 'Megan Bowen' }, detail: { step: first!.stepId, outcome: 'followUp', withNote: true } });
    // The free text stays on the action row: the audit entry holds ids and our own words.
    expect(JSON.stringify(trail.at(-1))).not.toContain('foster carers');
    expect((await cases.verifyAuditChain(DEMO_SCHOOL_ID)).ok).toBe(true);
    expect((await actionsOf(token)).some((a) => a.caseId === first!.caseId && a.stepId === first!.stepId)).toBe(false);

    const record = await get('/api/tab/pupils/demo-p01', token);
    const events = record.body.events as Event[];
    const times = events.map((e) => e.at);
    expect(times).toEqual([...times].sort().reverse());
    const done = events.find((e) => e.kind === 'action' && e.text.startsWith('Done, and more is needed'));
    expect(done).toMatchObject({ text: `Done, and more is needed: ${first!.label}`, note });
    // Newest first: the opening just now comes before the concern being raised.
    expect(events.findIndex((e) => e.text === 'Opened this record')).toBeLessThan(events.findIndex((e) => e.text === 'Attendance concern raised'));

    const again = await post('/api/tab/actions/close', { caseId: first!.caseId, stepId: first!.stepId, outcome: 'done' }, token);
    expect(again).toMatchObject({ status: 409, body: { error: expect.stringContaining('already closed by Megan Bowen') } });
    expect(await cases.auditTrail(DEMO_SCHOOL_ID, first!.caseId)).toHaveLength(trailBefore.length + 1);
  });

  it('"Not needed" and "more is needed" need a note; without one nothing is written', async () => {
    const token = await as('dsl');
    const [a] = ofChild(await actionsOf(token), 'Sam Thistlewood');
    for (const outcome of ['notNeeded', 'followUp']) {
      const res = await post('/api/tab/actions/close', { caseId: a!.caseId, stepId: a!.stepId, outcome, note: '  \u200b ' }, token);
      expect(res).toMatchObject({ status: 400, body: { error: expect.stringContaining('needs a note') } });
    }
    expect((await stored(a!)).status).toBe('open');
  });

  it('forged and malformed requests: 401 without a valid token, 415 for anything but JSON, 400 for a body that is not an action change, 404 for no such action', async () => {
    const token = await as('dsl');
    const [a] = ofChild(await actionsOf(token), 'Sam Thistlewood');
    const good = { caseId: a!.caseId, stepId: a!.stepId, outcome: 'done' };
    expect((await post('/api/tab/actions/close', good)).status).toBe(401);
    expect((await post('/api/tab/actions/close', good, 'eyJhbGciOiJub25lIn0.eyJ0aWQiOiJ4Iiwib2lkIjoieSIsIm5hbWUiOiJ6In0.')).status).toBe(401);
    expect((await post('/api/tab/actions/reassign', { caseId: a!.caseId, stepId: a!.stepId, to: DEMO_STAFF.senco.aadObjectId }, 'not-a-token')).status).toBe(401);
    expect((await post('/api/tab/actions/close', 'caseId=x', token, 'application/x-www-form-urlencoded')).status).toBe(415);
    expect((await post('/api/tab/actions/close', '{"caseId":', token)).status).toBe(400);
    for (const body of [
      {},
      { ...good, outcome: 'finished' },
      { ...good, caseId: '../../etc' },
      { ...good, stepId: 'a step; drop' },
      { ...good, note: 'x'.repeat(1001) },
      { ...good, doneByName: 'Someone else' },
      [good],
    ]) {
      expect({ body, status: (await post('/api/tab/actions/close', body, token)).status }).toEqual({ body, status: 400 });
    }
    for (const body of [{ caseId: a!.caseId, stepId: a!.stepId }, { caseId: a!.caseId, stepId: a!.stepId, to: '<script>' }]) {
      expect((await post('/api/tab/actions/reassign', body, token)).status).toBe(400);
    }
    expect((await post('/api/tab/actions/close', { ...good, stepId: 'attendance.noSuchStep' }, token)).status).toBe(404);
    expect((await stored(a!)).status).toBe('open');
  });

  it('a class teacher may not change actions in the dashboard; the DT may for a child in care and is refused a child on a protection plan (the attempt recorded)', async () => {
    const dslRows = await actionsOf(await as('dsl'));
    const [sam] = ofChild(dslRows, 'Sam Thistlewood');
    const [amara] = ofChild(dslRows, 'Amara Windmere');
    expect(amara).toBeDefined();

    const teacher = await post('/api/tab/actions/close', { caseId: sam!.caseId, stepId: sam!.stepId, outcome: 'done' }, await as('teacher'));
    expect(teacher.status).toBe(403);
    expect(JSON.stringify(teacher.body)).not.toMatch(/Sam|Thistlewood/);

    const dt = await as('dt');
    const dtRows = await actionsOf(dt);
    expect(ofChild(dtRows, 'Amara Windmere')).toEqual([]);
    expect(ofChild(dtRows, 'Sam Thistlewood').every((a) => a.mayChange)).toBe(true);
    const before = (await audit.accessLog(DEMO_SCHOOL_ID, 'demo-p07')).length;
    const refused = await post('/api/tab/actions/close', { caseId: amara!.caseId, stepId: amara!.stepId, outcome: 'done' }, dt);
    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.body)).not.toMatch(/Amara|Windmere|Protection/);
    const log = await audit.accessLog(DEMO_SCHOOL_ID, 'demo-p07');
    expect(log).toHaveLength(before + 1);
    expect(log.at(-1)).toMatchObject({ action: 'refused', actor: { name: 'Adele Vance' }, detail: { view: 'closeAction' } });
    expect((await stored(amara!)).status).toBe('open');

    const res = await post('/api/tab/actions/close', { caseId: sam!.caseId, stepId: sam!.stepId, outcome: 'done' }, dt);
    expect(res.status).toBe(200);
    expect(await stored(sam!)).toMatchObject({ status: 'done', doneByName: 'Adele Vance', outcome: 'done' });
  });

  it('the DSL gives an action to someone with a role: audited, named as its owner on the card and in the dashboard; not to someone without a role', async () => {
    const token = await as('dsl');
    const body = (await get('/api/tab/actions', token)).body as { actions: ActionRow[]; people: Array<{ aadObjectId: string; name: string }> };
    expect(body.people.map((p) => p.name)).toContain('Lynne Robbins');
    // "The people with roles in the school profile": a class teacher is not offered.
    expect(body.people.map((p) => p.name)).not.toContain('Alex Wilber');
    const a = ofChild(body.actions, 'Amara Windmere').find((x) => !x.owner.startsWith('Lynne'))!;

    const refused = await post('/api/tab/actions/reassign', { caseId: a.caseId, stepId: a.stepId, to: DEMO_STAFF.teacher.aadObjectId }, token);
    expect(refused.status).toBe(400);
    const trailBefore = await cases.auditTrail(DEMO_SCHOOL_ID, a.caseId);
    const res = await post('/api/tab/actions/reassign', { caseId: a.caseId, stepId: a.stepId, to: DEMO_STAFF.senco.aadObjectId }, token);
    expect(res).toMatchObject({ status: 200, body: { summary: expect.stringContaining('Lynne Robbins') } });
    expect(await stored(a)).toMatchObject({ status: 'open', assigneeId: DEMO_STAFF.senco.aadObjectId, assigneeName: 'Lynne Robbins' });
    const trail = await cases.auditTrail(DEMO_SCHOOL_ID, a.caseId);
    expect(trail).toHaveLength(trailBefore.length + 1);
    expect(trail.at(-1)).toMatchObject({ action: 'actionReassigned', actor: { name: 'Megan Bowen' }, detail: { step: a.stepId, toName: 'Lynne Robbins', from: a.owner } });

    const now = (await actionsOf(token)).find((x) => x.caseId === a.caseId && x.stepId === a.stepId)!;
    expect(now.owner).toBe('Lynne Robbins');
    const card = await postActivity(suite.app.url, approvalInvoke(suite.connector, DEMO_STAFF.teacher.aadObjectId, 'completeAction', { caseId: a.caseId, stepId: a.stepId }));
    expect(labelledValue((JSON.parse(card.body) as { value: unknown }).value, 'Who')).toBe('Lynne Robbins');
    // Now hers: the SENCO closes it with the bot's own "Mark done".
    const hers = await postActivity(suite.app.url, approvalInvoke(suite.connector, DEMO_STAFF.senco.aadObjectId, 'completeAction', { caseId: a.caseId, stepId: a.stepId }));
    expect(labelledValue((JSON.parse(hers.body) as { value: unknown }).value, 'Marked done by')).toBe('Lynne Robbins');
    const record = await get('/api/tab/pupils/demo-p07', token);
    expect((record.body.events as Event[]).map((e) => e.text)).toContain(`Given to Lynne Robbins: ${a.label}`);
  });

  it('exports the chronology as a PDF for the child protection file: audited first, newest first, for those who may open the record only', async () => {
    const token = await as('dsl');
    const before = (await audit.accessLog(DEMO_SCHOOL_ID, 'demo-p01')).length;
    const res = await fetch(`${suite.app.url}/api/tab/pupils/demo-p01/chronology.pdf`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="chronology-demo-p01-\d{4}-\d{2}-\d{2}\.pdf"$/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const pdf = Buffer.from(await res.arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const log = await audit.accessLog(DEMO_SCHOOL_ID, 'demo-p01');
    expect(log).toHaveLength(before + 1);
    expect(log.at(-1)).toMatchObject({ action: 'exportedChronology', actor: { name: 'Megan Bowen' }, detail: { view: 'pdf', pupilId: 'demo-p01' } });

    mkdirSync(SHOTS, { recursive: true });
    const file = path.join(SHOTS, 'chronology-export.pdf');
    writeFileSync(file, pdf);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toContain('Chronology: Sam Thistlewood');
    expect(text).toContain('Exported by Megan Bowen');
    expect(text).toContain('DEMO DATA');
    expect(text).toMatch(/Attendance concern ATT-/);
    expect(text).toContain('Spoke to the foster carers (synthetic)');
    expect(text).toMatch(/Page 1 of \d/);
    // Newest first: the export itself was recorded before the file was made, so it is listed above the concern.
    expect(text.indexOf('Exported the chronology as a PDF')).toBeLessThan(text.indexOf('Attendance concern raised'));
    execFileSync('pdftoppm', ['-png', '-r', '60', file, path.join(SHOTS, 'chronology-export')]);

    // The record then lists the export among who opened it.
    const record = await get('/api/tab/pupils/demo-p01', token);
    expect((record.body.viewers as Array<{ name: string; what: string }>)[1]).toMatchObject({ name: 'Megan Bowen', what: 'Exported the chronology as a PDF' });

    // The DT may not export a record she may not open (her refusals on Amara's record are counted into one entry, services/refusalLog.ts).
    const dtRefused = await fetch(`${suite.app.url}/api/tab/pupils/demo-p07/chronology.pdf`, { headers: { authorization: `Bearer ${await as('dt')}` } });
    expect(dtRefused.status).toBe(403);
    expect(dtRefused.headers.get('content-type')).toMatch(/^application\/json/);
    expect((await audit.accessLog(DEMO_SCHOOL_ID, 'demo-p07')).some((e) => e.action === 'exportedChronology')).toBe(false);
    expect((await fetch(`${suite.app.url}/api/tab/pupils/demo-p01/chronology.pdf`, { headers: { authorization: `Bearer ${await as('teacher')}` } })).status).toBe(403);
    expect((await fetch(`${suite.app.url}/api/tab/pupils/demo-p01/chronology.pdf`)).status).toBe(401);
    expect((await fetch(`${suite.app.url}/api/tab/pupils/..%2Fx/chronology.pdf`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(400);
    expect((await fetch(`${suite.app.url}/api/tab/pupils/nobody/chronology.pdf`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(404);
  });

  it('the cohort list carries what its filters and sorting need, and PEP words that cannot contradict their date', async () => {
    const body = (await get('/api/tab/cohort', await as('dsl'))).body as {
      today: string;
      children: Array<{ id: string; kinds: string[]; attendancePercent: number | null; openActions: number; overdueActions: number; pep?: { state: string; words: string } }>;
    };
    const sam = body.children.find((c) => c.id === 'demo-p01')!;
    expect(sam).toMatchObject({ kinds: ['inCare'], attendancePercent: 93.5 });
    expect(sam.openActions).toBeGreaterThan(0);
    const peps = body.children.flatMap((c) => (c.pep ? [c.pep] : []));
    expect(peps.length).toBeGreaterThan(0);
    const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    const iso = (words: string) => {
      const m = /(\d{1,2}) ([A-Z][a-z]{2}) (\d{4})/.exec(words)!;
      return `${m[3]}-${String(months.indexOf(m[2]!) + 1).padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
    };
    for (const p of peps) {
      if (p.words.startsWith('Overdue since')) expect({ p, past: iso(p.words) < body.today }).toEqual({ p, past: true });
      if (/Due|due by/.test(p.words)) expect({ p, toCome: iso(p.words) >= body.today }).toEqual({ p, toCome: true });
      if (p.state === 'overdue') expect(p.words).toMatch(/^Overdue since/);
    }
  });

  it('full numbers for the people who open the children’s records; "fewer than 3", with no number behind it, for the senior leadership team only', async () => {
    const countsOf = (body: unknown) => {
      const counts: Array<{ value: number | null; display: string; suppressed: boolean }> = [];
      JSON.parse(JSON.stringify(body), (_k, v: unknown) => {
        if (v && typeof v === 'object' && 'suppressed' in v && 'display' in v) counts.push(v as (typeof counts)[number]);
        return v;
      });
      return counts;
    };
    for (const who of ['dsl', 'headteacher', 'dt', 'deputyDsl'] as const) {
      const res = await get('/api/tab/digest', await as(who));
      expect(res.status).toBe(200);
      expect(res.body.smallNumbersHidden).toBe(false);
      expect(JSON.stringify(res.body)).not.toContain('fewer than 3');
      const counts = countsOf(res.body);
      expect(counts.some((c) => c.value === 1 || c.value === 2)).toBe(true);
      for (const c of counts) expect(c).toMatchObject({ suppressed: false, display: String(c.value) });
    }

    // Lynne Robbins (SENCO, attendance lead) joins the senior leadership team: she sees the week's figures, not the children.
    const dsl = await as('dsl');
    const give = (giveIt: boolean) => post('/api/tab/settings/role', { school: DEMO_SCHOOL_ID, role: 'SLT', person: { aadObjectId: DEMO_STAFF.senco.aadObjectId }, give: giveIt }, dsl);
    expect((await give(true)).status).toBe(200);
    try {
      const slt = await signIn(DEMO_STAFF.senco.aadObjectId);
      expect((await get('/api/tab/cohort', slt)).status).toBe(403);
      const res = await get('/api/tab/digest', slt);
      expect(res.status).toBe(200);
      expect(res.body.smallNumbersHidden).toBe(true);
      const hidden = countsOf(res.body).filter((c) => c.suppressed);
      expect(hidden.length).toBeGreaterThan(0);
      for (const c of hidden) expect(c).toMatchObject({ value: null, display: 'fewer than 3' });
    } finally {
      expect((await give(false)).status).toBe(200);
    }
  });
});
