import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { Readable } from 'node:stream';
import { DEMO_SCHOOL_ID, DEMO_STAFF, demoPupils, demoSchool, PLAYGROUND_TENANT_ID } from '../demo/demoSchool';
import { SchoolCalendar } from '../policy/calendar';
import { loadSchoolProfile } from '../policy/schoolProfile';
import { addDays, londonDate } from '../policy/dates';
import { CaseRepository } from '../storage/caseRepository';
import { TABLES, TableStore } from '../storage/tableStore';
import { postActivity, teamsMessage } from './support/activities';
import { BotProcess, startBotProcess } from './support/botProcess';
import { ConnectorStub } from './support/connectorStub';
import { azuriteConnectionString, uniquePrefix } from './support/store';

/**
 * SECURITY.md: "Never logged: a child's name, date of birth or status, the free text of a
 * concern, tokens, secrets or email bodies." The real bot runs as a child process (local mode,
 * LOG_LEVEL=trace) and is driven over HTTP through a full run, as staff would use it; every byte
 * it writes to stdout and stderr is captured and searched. The logs must also be structured
 * (pino JSON lines) and carry one correlation id per turn.
 */

type Json = Record<string, unknown>;
type Staff = { aadObjectId: string; name: string };

/** Unique per run, so a hit can only come from this run's input. */
const MARK = `PRIVMARK${randomBytes(4).toString('hex')}`;
const markers: string[] = [];
function marker(field: string): string {
  const m = `${MARK}-${field}`;
  markers.push(m);
  return m;
}

// ---------------------------------------------------------------------------------------------
// What must never appear, and the matcher that looks for it.

interface Term {
  /** What it is, for the failure message ("given name of demo-p08"). */
  label: string;
  pattern: RegExp;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
/** Case-insensitive, not inside a longer word ("Leo" is not found in "Leopard"). */
function wholeWord(label: string, text: string): Term {
  return { label, pattern: new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(text)}(?![\\p{L}\\p{N}])`, 'iu') };
}
/** Case-insensitive substring: long, distinctive values (markers, keys, tokens). */
function anywhere(label: string, text: string): Term {
  return { label, pattern: new RegExp(escapeRegExp(text), 'iu') };
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** A date of birth in every form a person or a program would write it. */
function dateTerms(label: string, iso: string): Term[] {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const dd = String(d).padStart(2, '0');
  const mm = String(m).padStart(2, '0');
  const month = MONTHS[m - 1]!;
  return [
    wholeWord(`${label} (ISO)`, iso),
    wholeWord(`${label} (dd/mm/yyyy)`, `${dd}/${mm}/${y}`),
    wholeWord(`${label} (d/m/yyyy)`, `${d}/${m}/${y}`),
    wholeWord(`${label} (dd-mm-yyyy)`, `${dd}-${mm}-${y}`),
    wholeWord(`${label} (d Month yyyy)`, `${d} ${month} ${y}`),
    wholeWord(`${label} (d Mon yyyy)`, `${d} ${month.slice(0, 3)} ${y}`),
  ];
}

function nameTerms(label: string, givenName: string, familyName: string): Term[] {
  return [
    wholeWord(`given name of ${label}`, givenName),
    wholeWord(`family name of ${label}`, familyName),
    anywhere(`full name of ${label}`, `${givenName} ${familyName}`),
    anywhere(`full name (family first) of ${label}`, `${familyName}, ${givenName}`),
  ];
}

interface Finding {
  term: string;
  where: string;
  excerpt: string;
}

/** Every term found in every line, with where and an excerpt (truncated) for the failure message. */
function search(stream: string, text: string, terms: readonly Term[]): Finding[] {
  const found: Finding[] = [];
  text.split('\n').forEach((line, i) => {
    for (const t of terms) {
      const m = t.pattern.exec(line);
      if (!m) continue;
      const from = Math.max(0, m.index - 120);
      found.push({ term: t.label, where: `${stream} line ${i + 1}`, excerpt: `${from > 0 ? '…' : ''}${line.slice(from, m.index + m[0].length + 120)}${line.length > m.index + m[0].length + 120 ? '…' : ''}` });
    }
  });
  return found;
}

/** A minimal CSV reader (quoted fields, doubled quotes) for the fixture's own columns. */
function parseCsv(text: string): Array<Record<string, string>> {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      field = '';
      if (row.some((f) => f !== '')) rows.push(row);
      row = [];
    } else field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  const [header, ...body] = rows;
  return body.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ''])));
}

/** 14/03/2017 or 2015-01-22 to ISO. */
function csvDateToIso(v: string): string | undefined {
  const uk = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(v);
  if (uk) return `${uk[3]}-${uk[2]}-${uk[1]}`;
  return /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : undefined;
}

// ---------------------------------------------------------------------------------------------
// Driving the bot.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** Each /api/messages request's wall-clock window: lines logged during a turn fall inside one. */
interface TurnWindow {
  label: string;
  start: number;
  end: number;
}

/** A connector that refuses every send, to make a turn fail and log twice. */
async function failingConnector(): Promise<{ url: string; stop(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      // A 4xx: botbuilder does not retry it, so the turn fails at once.
      res.statusCode = 403;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ error: { code: 'BotNotInConversationRoster', message: 'The bot is not part of the conversation roster.' } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function streamEnded(stream: Readable | null): Promise<void> {
  if (!stream || stream.readableEnded || stream.destroyed) return;
  await new Promise<void>((resolve) => {
    stream.once('end', resolve);
    stream.once('close', resolve);
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('log privacy: a full run of the real bot, its logs captured and searched', () => {
  const connector = new ConnectorStub();
  const prefix = uniquePrefix();
  const digestKey = randomBytes(24).toString('hex');
  const wrongDigestKey = `wrong-${randomBytes(24).toString('hex')}`;
  const bogusBearer = `not-a-token-${randomBytes(12).toString('hex')}`;
  const issuedTokens: string[] = [];
  const windows: TurnWindow[] = [];
  let requests = 0;
  let lastEnd = 0;
  let bot: BotProcess | undefined;
  let broken: { url: string; stop(): Promise<void> } | undefined;
  let dataDir = '';
  let cases: CaseRepository;

  afterAll(async () => {
    await bot?.stop('SIGKILL');
    await connector.stop();
    await broken?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  /** Requests go one at a time, in disjoint (millisecond) windows, so each log line belongs to at most one. */
  async function timed<T>(label: string, turn: boolean, send: () => Promise<T>): Promise<T> {
    while (Date.now() <= lastEnd) await sleep(1);
    const start = Date.now();
    try {
      return await send();
    } finally {
      const end = Date.now();
      lastEnd = end;
      requests++;
      if (turn) windows.push({ label, start, end });
    }
  }

  async function post(label: string, activity: unknown, expected = 200): Promise<string> {
    const res = await timed(label, true, () => postActivity(bot!.url, activity));
    if (res.status !== expected) throw new Error(`${label}: expected ${expected}, got ${res.status}: ${res.body.slice(0, 300)}`);
    return res.body;
  }

  const chatOf = (who: Staff) => `chat-${who.aadObjectId}`;
  const personal = (who: Staff, extra: { text?: string; value?: unknown; serviceUrl?: string; tenantId?: string; conversationId?: string }) =>
    teamsMessage({ serviceUrl: extra.serviceUrl ?? connector.url, conversationId: extra.conversationId ?? chatOf(who), aadObjectId: who.aadObjectId, userId: `29:${who.aadObjectId}`, ...extra });
  const say = (label: string, who: Staff, input: string | Json) => post(label, personal(who, typeof input === 'string' ? { text: input } : { value: input }));
  const invoke = (who: Staff, name: string, value: unknown, extra: { tenantId?: string } = {}) => ({ ...personal(who, extra), type: 'invoke', name, value });
  const typeAhead = (label: string, who: Staff, queryText: string) => post(label, invoke(who, 'application/search', { kind: 'search', queryText, queryOptions: { skip: 0, top: 15 }, dataset: 'pupils' }));
  const act = (label: string, who: Staff, verb: string, data: Json, expected = 200) => post(label, invoke(who, 'adaptiveCard/action', { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' }), expected);

  const sentTo = (conversationId: string) => connector.sent.filter((s) => s.conversationId === conversationId).map((s) => JSON.stringify(s.body));
  // Staff cards go out after the turn that caused them, so one may land in a chat after a later reply:
  // look for the reply among the recent messages rather than expecting it to be the very last.
  const recentSent = (conversationId: string, n = 4) => sentTo(conversationId).slice(-n).join('\n');
  const draftIdIn = (conversationId: string) =>
    sentTo(conversationId)
      .reverse()
      .map((m) => /"draftId":"([0-9a-f-]{36})"/.exec(m)?.[1])
      .find((id) => id !== undefined);

  async function caseFromDraft(draftId: string | undefined): Promise<string> {
    if (!draftId) throw new Error('no confirmation card with a draft id');
    const saved = await cases.findByDraft(DEMO_SCHOOL_ID, draftId);
    if (!saved) throw new Error('the case was not saved');
    return saved.caseId;
  }

  async function call(label: string, method: 'GET' | 'POST', route: string, opts: { token?: string; authorization?: string; body?: unknown; raw?: string } = {}): Promise<{ status: number; body: Json }> {
    const headers: Record<string, string> = {};
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.authorization) headers.authorization = opts.authorization;
    if (opts.body !== undefined || opts.raw !== undefined) headers['content-type'] = 'application/json';
    return timed(label, true, async () => {
      const res = await fetch(`${bot!.url}${route}`, { method, headers, body: opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)) });
      const text = await res.text();
      let body: Json;
      try {
        body = JSON.parse(text) as Json;
      } catch {
        body = { text };
      }
      return { status: res.status, body };
    });
  }

  async function signIn(who: Staff): Promise<string> {
    const res = await call(`sign in as ${who.name}`, 'POST', '/api/tab/dev/sign-in', { body: { aadObjectId: who.aadObjectId } });
    expect(res.status).toBe(200);
    const token = String(res.body.token);
    issuedTokens.push(token);
    return token;
  }

  it('no pupil name, date of birth, status, free text, token, secret or email body is logged; every line is pino JSON, turns carry one id each', async () => {
    const startedAt = Date.now();
    await connector.start();
    broken = await failingConnector();
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'swbot-logs-'));
    const connectionString = azuriteConnectionString();
    bot = await startBotProcess({
      AZURE_TABLES_CONNECTION_STRING: connectionString,
      TABLE_PREFIX: prefix,
      ALLOWED_SERVICE_URLS: `${connector.url},${broken.url}`,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'trace',
      OUTBOX_INTERVAL_MS: '300',
      REMINDER_INTERVAL_MS: '500',
      OUTBOX_LEASE_MS: '1000',
      DIGEST_API_KEY: digestKey,
    });
    cases = new CaseRepository(new TableStore({ connectionString, tablePrefix: prefix }).client(TABLES.cases));
    const { teacher, dsl, dt, deputyDsl, senco } = DEMO_STAFF;
    const today = londonDate(new Date());
    // A start date the bot takes without asking whether it is right, whatever day the suite runs on: the
    // first school day a week or more ahead (a weekend or a holiday is questioned, rightly).
    const startDay = new SchoolCalendar(loadSchoolProfile(demoSchool).calendar).onOrAfter(addDays(today, 7));

    // --- Installs: every member of staff in their personal chat, and the team for the digest.
    for (const who of Object.values(DEMO_STAFF)) await post(`install for ${who.name}`, { ...personal(who, {}), type: 'installationUpdate', action: 'add' });
    await post('added to the SLT team', {
      ...personal(dsl, { conversationId: 'team-id' }),
      type: 'conversationUpdate',
      conversation: { id: 'team-id', conversationType: 'channel', tenantId: PLAYGROUND_TENANT_ID, isGroup: true },
      channelData: { tenant: { id: PLAYGROUND_TENANT_ID }, team: { id: 'team-id', name: 'SLT' }, channel: { id: 'team-id' } },
      membersAdded: [{ id: '28:bot-id', name: 'Bot' }],
    });
    // The DSL makes that channel the digest channel from the set-up card posted there.
    await post('digest channel chosen', {
      ...personal(dsl, { conversationId: 'team-id' }),
      type: 'invoke',
      name: 'adaptiveCard/action',
      value: { action: { type: 'Action.Execute', verb: 'setDigestChannel', data: { school: DEMO_SCHOOL_ID } }, trigger: 'manual' },
      conversation: { id: 'team-id', conversationType: 'channel', tenantId: PLAYGROUND_TENANT_ID, isGroup: true },
      channelData: { tenant: { id: PLAYGROUND_TENANT_ID }, team: { id: 'team-id', name: 'SLT' }, channel: { id: 'team-id' } },
    });

    // --- Welcome and help.
    await say('teacher says hello', teacher, 'hello');
    await say('teacher asks for help', teacher, 'help');

    // --- 1. Attendance concern about Leo, found by typing his name (after a name that is not on the register).
    const t = chatOf(teacher);
    await say('attendance: start', teacher, "I'm worried about attendance");
    await say('attendance: unknown name', teacher, `Zed ${marker('typed-unknown-name')}`);
    expect(sentTo(t).some((s) => s.includes('could not find that name'))).toBe(true);
    await say('attendance: typed name', teacher, 'Leo Hazelgrove');
    await say('attendance: help at a step', teacher, 'help');
    await say('attendance: invalid details', teacher, { verb: 'answer', question: 'details', what: '', absenceType: 'notKnown', reasons: '', alreadyDone: marker('attendance-invalid-alreadyDone') });
    expect(sentTo(t).some((s) => s.includes('Please tick at least one'))).toBe(true);
    await say('attendance: details', teacher, { verb: 'answer', question: 'details', what: 'unexplainedToday,pattern', absenceType: 'unauthorised', reasons: '', sessionsMissed: '6', attendancePercent: '49.5', alreadyDone: marker('attendance-alreadyDone') });
    const attendanceDraft = draftIdIn(t);
    await say('attendance: typed send', teacher, 'send');
    const attendanceCase = await caseFromDraft(attendanceDraft);

    // --- 2. Worry about a suspension for Kai, found with the type-ahead search.
    await say('suspension: start from the menu', teacher, { verb: 'startDialog', dialog: 'suspension' });
    const found = await typeAhead('suspension: type-ahead', teacher, 'Marchbank');
    expect(found).toContain('demo-p02');
    await say('suspension: chosen from the list', teacher, { verb: 'answer', question: 'pupil', pupilId: 'demo-p02', pupilName: '' });
    await say('suspension: empty account', teacher, { verb: 'answer', question: 'whatHappened', whatHappened: '   ' });
    expect(sentTo(t).some((s) => s.includes('Please tell me what happened'))).toBe(true);
    await say('suspension: typed account', teacher, `${marker('whatHappened')} He pushed a chair over after a change of carer; another pupil was upset.`);
    await say('suspension: tried', teacher, { verb: 'answer', question: 'tried', tried: 'softStart', triedOther: marker('triedOther'), sendConsiderations: marker('sendConsiderations') });
    await say('suspension: stage', teacher, 'no');
    const suspensionDraft = draftIdIn(t);
    await say('suspension: send', teacher, { verb: 'answer', question: 'confirm', draftId: suspensionDraft! });
    const suspensionCase = await caseFromDraft(suspensionDraft);

    // --- 3. A child joining us (Ellis, in care), by the Designated Teacher, found with the type-ahead search.
    const d = chatOf(dt);
    await say('admission: start', dt, 'new starter');
    await say('admission: on the register', dt, 'yes');
    expect(await typeAhead('admission: type-ahead', dt, 'Ellis')).toContain('demo-p03');
    await say('admission: chosen from the list', dt, { verb: 'answer', question: 'pupil', pupilId: 'demo-p03', pupilName: '' });
    const admissionDetails = { verb: 'answer', question: 'details', transitionMeetingDate: '', send: 'ehcp', statusEvidenceSeen: 'true' };
    await say('admission: invalid start date', dt, { ...admissionDetails, startDate: marker('admission-bad-startDate'), previousSchool: marker('admission-invalid-previousSchool'), keyAdult: '', peerBuddy: '' });
    expect(recentSent(d)).toMatch(/start date/i);
    await say('admission: details', dt, { ...admissionDetails, startDate: startDay, previousSchool: marker('previousSchool'), keyAdult: marker('keyAdult'), peerBuddy: marker('peerBuddy') });
    const admissionDraft = draftIdIn(d);
    await say('admission: typed yes', dt, 'yes');
    const admissionCase = await caseFromDraft(admissionDraft);

    // --- 4. A child not on the register, described in free text.
    await say('not on register: start', teacher, 'absent again');
    await say('not on register: described', teacher, { verb: 'answer', question: 'pupil', pupilId: 'notListed', notOnRegister: `${marker('notOnRegister')} Zara, new in Year 3` });
    await say('not on register: details', teacher, { verb: 'answer', question: 'details', what: 'missedSessions', absenceType: 'notKnown', reasons: '', alreadyDone: marker('notOnRegister-alreadyDone') });
    const unlistedDraft = draftIdIn(t);
    await say('not on register: send', teacher, { verb: 'answer', question: 'confirm', draftId: unlistedDraft! });
    await caseFromDraft(unlistedDraft);

    // --- Approvals: approve, amend (a reason is required first), decline; a teacher is refused.
    await act('teacher presses approve', teacher, 'approveCase', { caseId: attendanceCase });
    await act('DSL refreshes the card', dsl, 'refreshApproval', { caseId: attendanceCase });
    const approved = await act('DSL approves', dsl, 'approveCase', { caseId: attendanceCase });
    expect(approved).toContain('Approved by Megan Bowen');
    const suspensionEmails = (await cases.notifications(DEMO_SCHOOL_ID, suspensionCase)).filter((n) => n.channel === 'email');
    expect(suspensionEmails.length).toBeGreaterThanOrEqual(1);
    const noReason = await act('DSL amends without a reason', dsl, 'amendCase', { caseId: suspensionCase, amendSend: suspensionEmails[0]!.id, amendReason: '', amendNote: marker('amend-noReason-note') });
    expect(noReason).toContain('Please give a reason');
    const amended = await act('DSL amends', dsl, 'amendCase', { caseId: suspensionCase, amendSend: suspensionEmails[0]!.id, amendReason: marker('amendReason'), amendNote: marker('amendNote') });
    expect(amended).toContain('Amended by Megan Bowen');
    const declined = await act('deputy declines', deputyDsl, 'declineCase', { caseId: admissionCase, declineReason: marker('declineReason') });
    expect(declined).toContain('Declined by Isaiah Langer');

    // --- A deadline "Mark done" (a class teacher may not; the DSL may).
    const open = (await cases.actions(DEMO_SCHOOL_ID, admissionCase)).filter((a) => a.status === 'open');
    expect(open.length).toBeGreaterThan(0);
    await act('teacher presses Mark done', teacher, 'completeAction', { caseId: admissionCase, stepId: open[0]!.stepId });
    expect(await act('DSL marks done', dsl, 'completeAction', { caseId: admissionCase, stepId: open[0]!.stepId })).toContain('Marked done by');

    // --- A PEP meeting for Sam, by the Designated Teacher (a future date is refused first); a teacher may not.
    await say('pep: start', dt, 'pep');
    await say('pep: typed name', dt, 'Sam Thistlewood');
    await say('pep: future date', dt, { verb: 'answer', question: 'details', date: addDays(today, 3), note: marker('pep-invalid-note') });
    expect(sentTo(d).some((s) => s.includes('That date is in the future'))).toBe(true);
    await say('pep: details', dt, { verb: 'answer', question: 'details', date: addDays(today, -2), note: marker('pepNote') });
    expect(recentSent(d)).toContain('Recorded: a PEP meeting');
    await say('teacher asks for a PEP', teacher, 'record a pep');
    expect(recentSent(t)).toContain('Recording a PEP meeting is for');

    // --- Someone not on a staff list, an unknown tenant, malformed and refused requests.
    const stranger: Staff = { aadObjectId: 'ffffffff-0000-0000-0000-00000000ffff', name: 'Not staff' };
    await say('stranger starts a concern', stranger, 'attendance for Leo Hazelgrove');
    await typeAhead('stranger searches', stranger, 'Hazelgrove');
    await act('stranger presses approve', stranger, 'approveCase', { caseId: attendanceCase }, 403);
    const foreignTenant = `tenant-${randomBytes(4).toString('hex')}`;
    await post('unknown tenant message', personal(teacher, { tenantId: foreignTenant, text: `Leo Hazelgrove ${marker('foreign-tenant-text')}` }));
    await post('unknown tenant search', invoke(teacher, 'application/search', { kind: 'search', queryText: 'Thistlewood', dataset: 'pupils' }, { tenantId: foreignTenant }), 403);
    await post('not an activity', { type: 'message', channelId: 'msteams', text: `Leo Hazelgrove born 27/04/2015 ${marker('malformed-activity')}` }, 400);
    await post('not JSON', `{"type":"message","text":"Kai Marchbank ${marker('bad-json')}" oops`, 400);
    await post('serviceUrl not allowed', personal(teacher, { serviceUrl: 'https://evil.example.org/', text: `Amara Windmere ${marker('evil-serviceUrl')}` }), 403);
    await post('card action without an action', invoke(dsl, 'adaptiveCard/action', `Sam Thistlewood ${marker('action-not-object')}`), 400);
    await act('unknown verb', dsl, 'leakEverything', { caseId: attendanceCase, note: marker('unknown-verb-data') }, 400);
    // A turn whose replies cannot be sent: it fails, and logs twice under one correlation id.
    await post('help through a failing connector', personal(senco, { serviceUrl: broken.url, conversationId: 'senco-broken-chat', text: 'help' }));

    // --- The tab (development sign-in): cohort, chronologies, refusals, the register upload.
    expect((await call('staff to sign in as', 'GET', '/api/tab/dev/staff')).status).toBe(200);
    const dtToken = await signIn(dt);
    expect((await call('DT me', 'GET', '/api/tab/me', { token: dtToken })).status).toBe(200);
    const cohort = await call('DT cohort', 'GET', '/api/tab/cohort', { token: dtToken });
    expect(JSON.stringify(cohort.body)).toContain('Thistlewood');
    expect(JSON.stringify((await call('DT opens Ellis', 'GET', '/api/tab/pupils/demo-p03', { token: dtToken })).body)).toContain('Fairweather');
    expect((await call('DT opens Kai', 'GET', '/api/tab/pupils/demo-p02', { token: dtToken })).status).toBe(200);
    expect((await call('DT refused a CP record', 'GET', '/api/tab/pupils/demo-p07', { token: dtToken })).status).toBe(403);
    const dslToken = await signIn(dsl);
    expect((await call('DSL opens Leo', 'GET', '/api/tab/pupils/demo-p08', { token: dslToken })).status).toBe(200);
    expect((await call('DSL actions', 'GET', '/api/tab/actions', { token: dslToken })).status).toBe(200);
    expect((await call('DSL digest view', 'GET', '/api/tab/digest', { token: dslToken })).status).toBe(200);
    const teacherToken = await signIn(teacher);
    expect((await call('teacher cohort', 'GET', '/api/tab/cohort', { token: teacherToken })).status).toBe(403);
    expect((await call('teacher opens Sam', 'GET', '/api/tab/pupils/demo-p01', { token: teacherToken })).status).toBe(403);
    expect((await call('bad token', 'GET', '/api/tab/me', { authorization: `Bearer ${bogusBearer}` })).status).toBe(401);

    const csv = readFileSync(path.join(__dirname, 'fixtures', 'register-sample.csv'), 'utf8');
    const brokenCsv = csv.replace('14/03/2017', '31/02/2017');
    const refused = await call('register with a bad date of birth', 'POST', '/api/tab/register', { token: dtToken, body: { csv: brokenCsv, dryRun: false } });
    expect(refused.body).toMatchObject({ outcome: 'refused', written: false });
    expect((refused.body.errors as Array<{ line: number; column: string }>)[0]).toMatchObject({ line: 2, column: 'date_of_birth' });
    expect((await call('register checked', 'POST', '/api/tab/register', { token: dtToken, body: { csv, dryRun: true } })).body).toMatchObject({ outcome: 'dryRun' });
    expect((await call('register loaded', 'POST', '/api/tab/register', { token: dtToken, body: { csv, dryRun: false } })).body).toMatchObject({ outcome: 'imported', written: true });
    expect((await call('teacher uploads', 'POST', '/api/tab/register', { token: teacherToken, body: { csv, dryRun: true } })).status).toBe(403);
    expect((await call('upload of nonsense', 'POST', '/api/tab/register', { token: dtToken, body: { nonsense: 'Ada Sampleton' } })).status).toBe(400);
    expect(await typeAhead('DSL finds a newly loaded child', dsl, 'Sampleton')).toContain('Ada Sampleton');

    // --- The digest endpoint: refused without the key, then built and posted to the SLT channel.
    expect((await call('digest without a key', 'POST', '/api/digest', { body: { school: DEMO_SCHOOL_ID } })).status).toBe(401);
    expect((await call('digest with a wrong key', 'POST', '/api/digest', { authorization: `Bearer ${wrongDigestKey}`, body: { school: DEMO_SCHOOL_ID } })).status).toBe(401);
    expect((await call('digest bad body', 'POST', '/api/digest', { authorization: `Bearer ${digestKey}`, body: { school: 'Leo Hazelgrove' } })).status).toBe(400);
    expect((await call('digest dry run', 'POST', '/api/digest', { authorization: `Bearer ${digestKey}`, body: { school: DEMO_SCHOOL_ID, dryRun: true } })).status).toBe(200);
    expect((await call('digest posted', 'POST', '/api/digest', { authorization: `Bearer ${digestKey}`, body: { school: DEMO_SCHOOL_ID, dryRun: false } })).body).toMatchObject({ posted: true });
    // A path is whatever the caller typed: a child's name in it must not reach the logs either.
    expect((await call('unknown route with a name in it', 'GET', `/api/pupils/Sam%20Thistlewood/${marker('url-path')}`)).status).toBe(404);

    // --- Background work: staff cards and approved emails (.eml in local mode) go out.
    await until('the outbox to empty', async () => (await cases.pendingNotificationIds(DEMO_SCHOOL_ID)).length === 0);
    const emailDir = path.join(dataDir, 'emails');
    await until('the approved emails to be written', () => {
      try {
        return readdirSync(emailDir).filter((f) => f.endsWith('.eml')).length >= 2;
      } catch {
        return false;
      }
    });
    await until('the emails to be logged as delivered', () => (bot!.stdout().match(/"event":"notificationDelivered"[^\n]*"channel":"email"/g) ?? []).length >= 2);
    await sleep(700); // one more pass of the reminder jobs
    expect(await bot.stop('SIGINT')).toBe(0);
    await Promise.all([streamEnded(bot.child.stdout), streamEnded(bot.child.stderr)]);
    const runMs = Date.now() - startedAt;

    // =========================================================================================
    // The captured logs.
    const stdout = bot.stdout();
    const stderr = bot.stderr();
    const lines = stdout.split('\n').filter((l) => l.trim() !== '');
    const outDir = path.join(__dirname, '..', 'test-output', 'logPrivacy');
    mkdirSync(outDir, { recursive: true });
    writeFileSync(path.join(outDir, 'stdout.log'), stdout);
    writeFileSync(path.join(outDir, 'stderr.log'), stderr);

    // --- Structure: every stdout line is a pino JSON object with level, time, msg, through our logger.
    const notStructured: string[] = [];
    const entries: Array<Json & { level: number; time: string; msg: string }> = [];
    lines.forEach((line, i) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        notStructured.push(`line ${i + 1} is not JSON: ${line.slice(0, 200)}`);
        return;
      }
      const e = parsed as Json;
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) notStructured.push(`line ${i + 1} is not an object`);
      else if (typeof e.level !== 'number' || typeof e.time !== 'string' || Number.isNaN(Date.parse(e.time)) || typeof e.msg !== 'string') notStructured.push(`line ${i + 1} lacks level/time/msg: ${line.slice(0, 200)}`);
      else if (e.service !== 'sw-cohort-bot') notStructured.push(`line ${i + 1} did not come through the app's logger: ${line.slice(0, 200)}`);
      else entries.push(e as Json & { level: number; time: string; msg: string });
    });
    expect(notStructured).toEqual([]);
    // Nothing on stderr: no third-party console output, no stack traces.
    expect(stderr).toBe('');

    // --- The run happened: the events of a full run are all there.
    const events = entries.map((e) => String(e.event ?? ''));
    const count = (event: string) => events.filter((e) => e === event).length;
    expect(count('caseRaised')).toBe(4);
    expect(entries.filter((e) => e.event === 'approvalDecided').map((e) => e.outcome).sort()).toEqual(['amended', 'approved', 'declined']);
    const missing = ['listening', 'demoSeeded', 'pepRecorded', 'notificationDelivered', 'approvalRefused', 'actionRefused', 'searchRefused', 'notStaff', 'tenantRefused', 'badActivity', 'serviceUrlRefused', 'unknownVerb', 'turnError', 'turnErrorReplyFailed', 'developmentSignIn', 'tabRecordRefused', 'tabViewRefused', 'digestAuthRefused', 'digestPosted', 'httpError', 'stopped'].filter((event) => count(event) === 0);
    expect(missing).toEqual([]);

    // --- Correlation. Every line written while a request is handled carries the id the HTTP layer
    // made for it (`req`), however deep in the services it was written; an inbound turn's own `turn`
    // id is the same one. All the lines of one request share it, and no two requests share one. Work
    // started after a request was answered (`work`, naming the request in `after`) and scheduled jobs
    // (`job`) are not part of any request; a proactive turn (activity "event") gets a fresh id.
    const problems: string[] = [];
    const inbound = entries.filter((e) => e.req !== undefined);
    const proactive = entries.filter((e) => e.req === undefined && e.turn !== undefined && e.activity === 'event');
    const idsByWindow = new Map<TurnWindow, Set<string>>();
    for (const e of entries) {
      for (const field of ['req', 'turn', 'after'] as const) {
        if (e[field] !== undefined && !UUID.test(String(e[field]))) problems.push(`${String(e.event)}: ${field} is not a uuid: ${String(e[field])}`);
      }
      if (e.turn !== undefined && e.req !== undefined && e.turn !== e.req) problems.push(`turn ${String(e.turn)} and req ${String(e.req)} differ`);
      if (e.turn !== undefined && (typeof e.activity !== 'string' || typeof e.channel !== 'string')) problems.push(`turn line without activity/channel: ${String(e.event)}`);
      const at = Date.parse(e.time);
      const during = windows.some((w) => w.start <= at && at <= w.end);
      if (during && e.req === undefined && e.work === undefined && e.job === undefined && e.activity !== 'event') problems.push(`${String(e.event)} at ${e.time}, during a request, carries no id`);
    }
    for (const e of inbound) {
      const at = Date.parse(e.time);
      const w = windows.filter((x) => x.start <= at && at <= x.end);
      if (w.length !== 1) {
        problems.push(`${String(e.event)} (req ${String(e.req)}) at ${e.time} is in ${w.length} request windows`);
        continue;
      }
      idsByWindow.set(w[0]!, (idsByWindow.get(w[0]!) ?? new Set()).add(String(e.req)));
    }
    for (const e of entries.filter((x) => x.route === 'messages')) if (e.req === undefined) problems.push(`route=messages without req: ${String(e.event)}`);
    // The service-level events that used to be logged without the request's id now carry it.
    for (const event of ['caseRaised', 'approvalDecided', 'pepRecorded', 'digestPosted']) {
      if (!entries.some((e) => e.event === event && e.req !== undefined)) problems.push(`no ${event} line carries a request id`);
    }
    for (const [w, ids] of idsByWindow) if (ids.size !== 1) problems.push(`request "${w.label}" logged under ${ids.size} ids`);
    const requestIds = [...idsByWindow.values()].flatMap((ids) => [...ids]);
    if (new Set(requestIds).size !== requestIds.length) problems.push('two requests logged under the same id');
    for (const e of proactive) if (requestIds.includes(String(e.turn))) problems.push(`proactive ${String(e.event)} reuses a request's id`);
    for (const e of entries.filter((x) => x.after !== undefined)) if (!requestIds.includes(String(e.after))) problems.push(`${String(e.event)} names a request (after) that logged nothing`);
    expect(problems).toEqual([]);
    expect(idsByWindow.size).toBeGreaterThanOrEqual(8);
    // One request logs twice (a turn whose replies cannot be sent), so "one id per request" is tested, not assumed.
    const failed = windows.find((w) => w.label === 'help through a failing connector')!;
    const failedLines = inbound.filter((e) => Date.parse(e.time) >= failed.start && Date.parse(e.time) <= failed.end);
    expect(failedLines.map((e) => e.event)).toEqual(['turnError', 'turnErrorReplyFailed']);
    expect(new Set(failedLines.map((e) => e.turn)).size).toBe(1);

    // --- Privacy: the terms that must never appear.
    const terms: Term[] = [];
    for (const p of demoPupils) {
      terms.push(...nameTerms(p.id, p.givenName, p.familyName), ...dateTerms(`date of birth of ${p.id}`, p.dateOfBirth));
      if (p.socialWorker) terms.push(anywhere(`social worker of ${p.id}`, p.socialWorker.name));
    }
    const registerRows = parseCsv(csv);
    expect(registerRows).toHaveLength(12);
    for (const r of registerRows) {
      const label = `register row ${r.upn}`;
      terms.push(...nameTerms(label, r.given_name!, r.family_name!), anywhere(`UPN of ${label}`, r.upn!));
      const iso = csvDateToIso(r.date_of_birth!);
      if (!iso) throw new Error(`fixture date ${r.date_of_birth}`);
      terms.push(...dateTerms(`date of birth of ${label}`, iso));
      if (r.social_worker_name) terms.push(anywhere(`social worker of ${label}`, r.social_worker_name.replace(/ \(synthetic\)$/, '')));
    }
    terms.push(wholeWord('the invalid date of birth uploaded', '31/02/2017'));
    // The child's status, as the cards and emails put it.
    for (const s of ['looked after', 'looked-after', 'child in need', 'child protection', 'previously looked', 'in care', 'special guardian', 'kinship', 'section 20', 'section 31', 'section 38', 'adoption order', 'child arrangements order']) {
      terms.push(anywhere(`a status ("${s}")`, s));
    }
    for (const m of markers) terms.push(anywhere(`free text marker ${m.slice(MARK.length + 1)}`, m));
    terms.push(anywhere('the run marker itself', MARK));
    terms.push(anywhere('the digest key', digestKey), anywhere('the wrong digest key presented', wrongDigestKey), anywhere('a bogus bearer token', bogusBearer));
    for (const [i, token] of issuedTokens.entries()) {
      terms.push(anywhere(`development sign-in token ${i + 1}`, token));
      terms.push(anywhere(`signature of development sign-in token ${i + 1}`, token.split('.')[2]!));
    }
    terms.push(anywhere('the storage account key', /AccountKey=([^;]+)/.exec(connectionString)![1]!));
    expect(issuedTokens).toHaveLength(3);

    // Email bodies: every substantial line of every .eml written in this run.
    const emails = readdirSync(emailDir).filter((f) => f.endsWith('.eml'));
    expect(emails.length).toBeGreaterThanOrEqual(2);
    // Read as a mail program reads them (lines may be encoded in the file itself).
    const bodies = await Promise.all(emails.map(async (f) => ({ f, text: (await simpleParser(readFileSync(path.join(emailDir, f)))).text ?? '' })));
    for (const { f, text } of bodies) {
      for (const l of text.split(/\r?\n/).map((x) => x.trim()).filter((x) => x.length >= 30)) terms.push(anywhere(`a line of the email ${f}`, l.slice(0, 80)));
    }
    // The data was there to leak: the emails carry names, dates of birth and the DSL's note; the
    // cards sent to staff carry names and the teacher's words.
    const allEmail = bodies.map((b) => b.text).join('\n');
    expect(allEmail).toContain('  Child: Kai Marchbank\n  Date of birth: Thu 22 Jan 2015');
    expect(allEmail).toContain('Leo Hazelgrove');
    expect(allEmail).toContain(`${MARK}-amendNote`);
    const allCards = JSON.stringify(connector.sent.map((s) => s.body));
    for (const shown of ['Leo Hazelgrove', 'Kai Marchbank', 'Ellis Fairweather', `${MARK}-whatHappened`, `${MARK}-previousSchool`]) expect(allCards).toContain(shown);
    // Redaction is the second line of defence: if it ever had to act, something tried to log a sensitive field.
    expect(lines.filter((l) => l.includes('[redacted]'))).toEqual([]);

    // The canary: the same matcher finds each kind of term when it is there, so a pass is not vacuous.
    const sample = JSON.parse(lines.find((l) => l.includes('"event":"caseRaised"'))!) as Json;
    const canary = JSON.stringify({ ...sample, msg: `case saved for leo hazelgrove, born 27 April 2015 (27/04/2015), ${MARK}-whatHappened, Sampleton; ${digestKey}; previously looked after` });
    const canaryHits = new Set(search('canary', canary, terms).map((f) => f.term));
    for (const expected of ['full name of demo-p08', 'given name of demo-p08', 'family name of demo-p08', 'date of birth of demo-p08 (d Month yyyy)', 'date of birth of demo-p08 (dd/mm/yyyy)', 'free text marker whatHappened', 'family name of register row K919200017101', 'the digest key', 'a status ("previously looked")']) {
      expect(canaryHits).toContain(expected);
    }
    // Whole words only: "Leopard" and "Samuel" do not count as Leo or Sam.
    expect(search('canary', JSON.stringify({ msg: 'Leopard Samuel Kaiser Theory' }), terms)).toEqual([]);

    const findings = [...search('stdout', stdout, terms), ...search('stderr', stderr, terms)];
    const summary = {
      runMs,
      requests,
      turns: windows.length,
      logLines: lines.length,
      stderrBytes: stderr.length,
      terms: terms.length,
      markers: markers.length,
      emails: emails.length,
      correlatedLines: inbound.length,
      proactiveTurnLines: proactive.length,
      correlatedRequests: idsByWindow.size,
      events: Object.fromEntries([...new Set(events)].sort().map((e) => [e || '(none)', count(e)])),
      backgroundLines: entries.filter((e) => e.work !== undefined).length,
      jobLines: entries.filter((e) => e.job !== undefined).length,
      findings: findings.length,
    };
    writeFileSync(path.join(outDir, 'summary.json'), JSON.stringify(summary, null, 2));
    expect(findings.map((f) => `${f.term} (${f.where}): ${f.excerpt}`)).toEqual([]);
  }, 90_000);
});
