import { DEMO_SCHOOL_ID, DEMO_STAFF, PLAYGROUND_TENANT_ID } from '../demo/demoSchool';
import { CaseRepository } from '../storage/caseRepository';
import { RecordAuditRepository } from '../storage/recordAuditRepository';
import { TableName, TABLES } from '../storage/tableStore';
import { postActivity, teamsMessage } from './support/activities';
import { TestApp } from './support/app';
import { cardText } from './support/botHarness';
import { ConnectorStub, SentActivity } from './support/connectorStub';
import {
  SCHOOL_A_PUPIL_NAMES,
  SCHOOL_B_ID,
  SCHOOL_B_PUPIL_IDS,
  SCHOOL_B_PUPIL_NAMES,
  SCHOOL_B_STAFF,
  SCHOOL_B_TENANT_ID,
  startTwoSchoolApp,
} from './support/secondSchool';

/**
 * Tenancy and roles (issue 8): two synthetic schools in one store, A (the demo school) and B
 * (another tenant). Nobody at A can find, read or act on a child of B through the bot's dialogs,
 * invokes or search, or through the tab's API; and a class teacher can neither approve, nor read a
 * chronology, nor learn a child's status.
 */

interface Who {
  aadObjectId: string;
  name: string;
  tenantId: string;
}
const A = {
  teacher: { ...DEMO_STAFF.teacher, tenantId: PLAYGROUND_TENANT_ID },
  dsl: { ...DEMO_STAFF.dsl, tenantId: PLAYGROUND_TENANT_ID },
  dt: { ...DEMO_STAFF.dt, tenantId: PLAYGROUND_TENANT_ID },
} satisfies Record<string, Who>;
const B = {
  teacher: { ...SCHOOL_B_STAFF.teacher, tenantId: SCHOOL_B_TENANT_ID },
  dsl: { ...SCHOOL_B_STAFF.dsl, tenantId: SCHOOL_B_TENANT_ID },
  dt: { ...SCHOOL_B_STAFF.dt, tenantId: SCHOOL_B_TENANT_ID },
} satisfies Record<string, Who>;

/** Words that tell a reader why a child is in the cohort: for leads only (need to know). */
const STATUS_WORDS = /looked[ -]after|child protection|care order|section \d+|child in need|adopt|special guardianship|kinship|in care\b|\bCLA\b|\bCPLA\b|\bCP\b|\bCIN\b/i;

/** Anything that would show a reader something about school B's children. */
function expectNoSchoolBData(text: string): void {
  for (const name of SCHOOL_B_PUPIL_NAMES) {
    for (const word of name.split(' ')) expect(text).not.toContain(word);
  }
  for (const id of SCHOOL_B_PUPIL_IDS) expect(text).not.toContain(id);
  expect(text).not.toContain(SCHOOL_B_ID);
  expect(text).not.toContain('Brookside');
}

function expectNoPupilData(text: string): void {
  expectNoSchoolBData(text);
  for (const name of SCHOOL_A_PUPIL_NAMES) expect(text).not.toContain(name.split(' ')[1]!);
  expect(text).not.toMatch(/demo-p\d\d/);
}

/** A bot on HTTP, a connector stub for its replies, and the people of both schools. */
class TwoSchools {
  connector = new ConnectorStub();
  app!: TestApp;
  cases!: CaseRepository;
  audit!: RecordAuditRepository;
  private conv = 0;

  async start(env: Record<string, string> = {}): Promise<void> {
    await this.connector.start();
    this.app = await startTwoSchoolApp({ ALLOWED_SERVICE_URLS: this.connector.url, ...env });
    this.cases = new CaseRepository(this.app.store.client(TABLES.cases));
    this.audit = new RecordAuditRepository(this.app.store.client(TABLES.cases));
  }

  async stop(): Promise<void> {
    await this.app.stop();
    await this.connector.stop();
  }

  freshConversation(who: Who): string {
    return `chat-${who.aadObjectId}-${++this.conv}`;
  }

  activity(who: Who, conversationId: string, input?: string | Record<string, unknown>): Record<string, unknown> {
    return teamsMessage({
      serviceUrl: this.connector.url,
      conversationId,
      aadObjectId: who.aadObjectId,
      userId: `29:${who.aadObjectId}`,
      tenantId: who.tenantId,
      ...(typeof input === 'string' ? { text: input } : input !== undefined ? { value: input } : {}),
    });
  }

  /** One message; the replies sent into that conversation during the turn. */
  async say(who: Who, input: string | Record<string, unknown>, conversationId: string): Promise<SentActivity[]> {
    const before = this.connector.sent.length;
    const res = await postActivity(this.app.url, this.activity(who, conversationId, input));
    expect(res.status).toBe(200);
    return this.connector.sent.slice(before).filter((s) => s.conversationId === conversationId);
  }

  async invoke(who: Who, name: string, value: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await postActivity(this.app.url, { ...this.activity(who, this.freshConversation(who)), type: 'invoke', name, value });
    return { status: res.status, body: (res.body ? JSON.parse(res.body) : {}) as Record<string, unknown> };
  }

  async act(who: Who, verb: string, data: Record<string, unknown>) {
    return this.invoke(who, 'adaptiveCard/action', { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' });
  }

  async search(who: Who, queryText: string): Promise<{ status: number; body: Record<string, unknown>; results: Array<{ title: string; value: string }> }> {
    const res = await this.invoke(who, 'application/search', { kind: 'search', queryText, queryOptions: { skip: 0, top: 15 }, dataset: 'pupils' });
    const results = ((res.body.value as { results?: Array<{ title: string; value: string }> } | undefined)?.results ?? []);
    return { ...res, results };
  }

  /** A worry about a suspension, raised by `who` for one of their school's children. */
  async raiseSuspension(who: Who, schoolId: string, pupilId: string): Promise<{ caseId: string; replies: SentActivity[] }> {
    const conversationId = this.freshConversation(who);
    const replies: SentActivity[] = [];
    replies.push(...(await this.say(who, 'suspension', conversationId)));
    replies.push(...(await this.say(who, { verb: 'answer', question: 'pupil', pupilId, pupilName: '' }, conversationId)));
    replies.push(...(await this.say(who, 'Threw a pencil case across the room after a hard morning.', conversationId)));
    replies.push(...(await this.say(who, { verb: 'answer', question: 'tried', tried: 'softStart', triedOther: '', sendConsiderations: '' }, conversationId)));
    const confirm = await this.say(who, 'no', conversationId);
    replies.push(...confirm);
    const draftId = draftIdIn(confirm);
    replies.push(...(await this.say(who, { verb: 'answer', question: 'confirm', draftId }, conversationId)));
    const saved = await this.cases.findByDraft(schoolId, draftId);
    if (!saved) throw new Error('the case was not saved');
    return { caseId: saved.caseId, replies };
  }

  /** Everything stored about a case, to show that nothing changed. */
  async snapshot(schoolId: string, caseId: string): Promise<unknown> {
    const record = await this.cases.get(schoolId, caseId);
    const audit = await this.cases.auditTrail(schoolId, caseId);
    const notifications = (await this.cases.notifications(schoolId, caseId)).map((n) => ({ id: n.id, channel: n.channel, status: n.status }));
    const actions = (await this.cases.actions(schoolId, caseId)).map((a) => ({ stepId: a.stepId, status: a.status }));
    return { record, audit, notifications, actions };
  }

  /** Background work after a turn (staff cards) settles: take the snapshot once two agree. */
  async settledSnapshot(schoolId: string, caseId: string): Promise<unknown> {
    let previous = JSON.stringify(await this.snapshot(schoolId, caseId));
    for (let i = 0; i < 20; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const now = JSON.stringify(await this.snapshot(schoolId, caseId));
      if (now === previous) return JSON.parse(now) as unknown;
      previous = now;
    }
    throw new Error('the case kept changing');
  }

  async signIn(who: Who): Promise<string> {
    const res = await fetch(`${this.app.url}/api/tab/dev/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ aadObjectId: who.aadObjectId }) });
    expect(res.status).toBe(200);
    return ((await res.json()) as { token: string }).token;
  }

  async get(path: string, token: string): Promise<{ status: number; text: string; body: Record<string, unknown> }> {
    const res = await fetch(`${this.app.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const text = await res.text();
    return { status: res.status, text, body: JSON.parse(text) as Record<string, unknown> };
  }
}

function bodyOf(s: SentActivity): string {
  return JSON.stringify(s.body);
}
function cardsIn(replies: readonly SentActivity[]): unknown[] {
  return replies.flatMap((r) => ((r.body.attachments as Array<{ content: unknown }> | undefined) ?? []).map((a) => a.content));
}
function textsIn(replies: readonly SentActivity[]): string[] {
  return replies.map((r) => r.body.text).filter((t): t is string => typeof t === 'string');
}
function draftIdIn(replies: readonly SentActivity[]): string {
  const card = cardsIn(replies).at(-1) as { actions?: Array<{ data?: { verb?: string; draftId?: string } }> } | undefined;
  const id = card?.actions?.find((a) => a.data?.verb === 'answer')?.data?.draftId;
  if (!id) throw new Error('no confirmation card');
  return id;
}
/** What a person reads: every text of every card and message, flattened. */
function readable(replies: readonly SentActivity[]): string {
  return [...textsIn(replies), ...cardsIn(replies).map(cardText)].join('\n');
}

describe('tenancy: a tenant that is not served', () => {
  const schools = new TwoSchools();
  beforeAll(() => schools.start({ ALLOWED_TENANT_IDS: PLAYGROUND_TENANT_ID }));
  afterAll(() => schools.stop());

  const REFUSAL = "This app is not set up for your organisation. Please speak to your school's IT team.";

  async function rowsIn(table: TableName): Promise<unknown[]> {
    const rows = [];
    for await (const row of schools.app.store.client(table).listEntities()) rows.push(row);
    return rows;
  }

  it('refuses a message from a tenant not on ALLOWED_TENANT_IDS (even one with a school in the store): a polite refusal, no dialog, nothing saved, no pupil data', async () => {
    const conversationId = schools.freshConversation(B.dsl);
    for (const input of ['attendance', 'hello', { verb: 'startDialog', dialog: 'suspension' }, { verb: 'answer', question: 'pupil', pupilName: 'Zephyrine Quennell' }]) {
      const replies = await schools.say(B.dsl, input, conversationId);
      expect(textsIn(replies)).toEqual([REFUSAL]);
      expect(cardsIn(replies)).toEqual([]);
      expectNoPupilData(replies.map(bodyOf).join('\n'));
    }
    expect(await rowsIn(TABLES.botState)).toEqual([]);
    expect(await rowsIn(TABLES.conversationRefs)).toEqual([]);
  });

  it('refuses an activity from a tenant of no school, even carrying a real member of staff\'s id', async () => {
    const stranger = { ...A.dsl, tenantId: '99999999-9999-9999-9999-999999999999' };
    const replies = await schools.say(stranger, 'suspension', schools.freshConversation(stranger));
    expect(textsIn(replies)).toEqual([REFUSAL]);
    expect(await rowsIn(TABLES.botState)).toEqual([]);
  });

  it('answers invokes from a refused tenant with 403 and no data: search finds nothing, actions do nothing', async () => {
    const search = await schools.search(B.dsl, 'Zephyrine');
    expect(search.status).toBe(403);
    expect(search.results).toEqual([]);
    expectNoPupilData(JSON.stringify(search.body));
    const action = await schools.act(B.dsl, 'approveCase', { caseId: '20261123T090000Z-ABCDEF' });
    expect(action.status).toBe(403);
    expectNoPupilData(JSON.stringify(action.body));
    // Nothing was spoken into any conversation for an invoke.
    expect(schools.connector.sent.filter((s) => s.body.type === 'message' && s.body.text !== REFUSAL)).toEqual([]);
  });

  it('still serves the allow-listed tenant (the refusals above are not a broken bot)', async () => {
    const replies = await schools.say(A.teacher, 'hello', schools.freshConversation(A.teacher));
    expect(cardText(cardsIn(replies)[0])).toContain('Oakfield Primary (demo)');
  });
});

describe('tenancy: school A cannot reach school B', () => {
  const schools = new TwoSchools();
  let bCaseId: string;
  let bSnapshot: unknown;

  beforeAll(async () => {
    await schools.start();
    // School B's teacher raises a worry about a child in care there: it waits for B's DSL.
    ({ caseId: bCaseId } = await schools.raiseSuspension(B.teacher, SCHOOL_B_ID, 'brook-p01'));
    bSnapshot = await schools.settledSnapshot(SCHOOL_B_ID, bCaseId);
  });
  afterAll(() => schools.stop());

  it('school B works for its own staff (so the refusals below mean something)', async () => {
    expect(((await schools.search(B.teacher, 'Zephyrine')).results)).toEqual([{ title: 'Zephyrine Quennell (Year 5)', value: 'brook-p01' }]);
    expect((bSnapshot as { notifications: Array<{ status: string }> }).notifications.some((n) => n.status === 'awaitingApproval')).toBe(true);
    const token = await schools.signIn(B.dsl);
    expect((await schools.get('/api/tab/pupils/brook-p01', token)).status).toBe(200);
  });

  it('the type-ahead search (application/search) finds no school B child for a school A teacher, DSL or DT, whatever is typed', async () => {
    for (const who of [A.teacher, A.dsl, A.dt]) {
      expect((await schools.search(who, 'Sam')).results).toEqual([{ title: 'Sam Thistlewood (Year 4)', value: 'demo-p01' }]);
      for (const query of [...SCHOOL_B_PUPIL_NAMES, ...SCHOOL_B_PUPIL_NAMES.flatMap((n) => n.split(' ')), 'Zeph', 'brook-p01', 'Brookside']) {
        const res = await schools.search(who, query);
        expect(res.status).toBe(200);
        expect(res.results).toEqual([]);
        expectNoSchoolBData(JSON.stringify(res.body).replace(JSON.stringify(query).slice(1, -1), ''));
      }
    }
  });

  it('the attendance dialog\'s typed-name fallback does not find a school B child, and says nothing about them', async () => {
    const conversationId = schools.freshConversation(A.teacher);
    await schools.say(A.teacher, 'attendance', conversationId);
    const replies = await schools.say(A.teacher, { verb: 'answer', question: 'pupil', pupilName: 'Zephyrine Quennell' }, conversationId);
    expect(textsIn(replies)).toEqual(['I could not find that name on the register.']);
    const text = readable(replies);
    expect(text).toContain('I could not find that child on the register');
    // The card repeats what was typed, and nothing of the child: no year, no id, no status.
    expect(text).not.toContain('Year 5');
    expect(text).not.toContain('brook-p01');
    expect(text).not.toMatch(STATUS_WORDS);
    // A typed surname alone, and a name typed as a plain message, fare no better.
    for (const typed of ['Vexley', 'Ignatius Vexley']) {
      const again = await schools.say(A.teacher, typed, conversationId);
      expect(textsIn(again)).toEqual(['I could not find that name on the register.']);
      expect(readable(again)).not.toMatch(/brook-p0|Year 3|Child Protection/);
    }
  });

  it('a school B pupil id sent straight in a card submit is not found, in every dialog that asks for a child', async () => {
    for (const [who, dialog] of [[A.teacher, 'attendance'], [A.teacher, 'suspension'], [A.dsl, 'admission'], [A.dt, 'pep']] as const) {
      const conversationId = schools.freshConversation(who);
      await schools.say(who, { verb: 'startDialog', dialog }, conversationId);
      // A new starter is first asked whether they are on the register yet.
      if (dialog === 'admission') await schools.say(who, 'yes', conversationId);
      const replies = await schools.say(who, { verb: 'answer', question: 'pupil', pupilId: 'brook-p01', pupilName: '' }, conversationId);
      expect(textsIn(replies)).toEqual(["I could not find that child on your school's register. Please choose again, or type their name."]);
      expectNoSchoolBData(readable(replies));
    }
  });

  it('a confirmation card of school B, replayed by school A, shows nothing of B\'s case', async () => {
    // The draft id of B's case: any leak of it would let A replay B's confirm button.
    const draft = await schools.cases.get(SCHOOL_B_ID, bCaseId);
    const conversationId = schools.freshConversation(A.dsl);
    const replies = await schools.say(A.dsl, { verb: 'answer', question: 'confirm', draftId: draft!.draftId }, conversationId);
    expect(textsIn(replies)[0]).toBe('That card is from a conversation that has finished, so it no longer does anything. Here is the menu:');
    expectNoSchoolBData(readable(replies));
    expect(readable(replies)).not.toContain(draft!.ref);
  });

  it('a school A DSL cannot approve, amend, decline, refresh or complete anything on a school B case: 404, and the case is unchanged', async () => {
    const [bNotification] = ((bSnapshot as { notifications: Array<{ id: string; channel: string }> }).notifications).filter((n) => n.channel === 'email');
    const [bAction] = (bSnapshot as { actions: Array<{ stepId: string }> }).actions;
    expect(bNotification).toBeDefined();
    expect(bAction).toBeDefined();
    const attempts: Array<[string, Record<string, unknown>]> = [
      ['approveCase', { caseId: bCaseId }],
      ['declineCase', { caseId: bCaseId, declineReason: 'Declining on behalf of another school.' }],
      ['amendCase', { caseId: bCaseId, amendSend: bNotification!.id, amendReason: 'Amending on behalf of another school.' }],
      ['refreshApproval', { caseId: bCaseId }],
      ['completeAction', { caseId: bCaseId, stepId: bAction!.stepId }],
    ];
    for (const who of [A.dsl, A.dt]) {
      for (const [verb, data] of attempts) {
        const res = await schools.act(who, verb, data);
        expect({ verb, status: res.status, body: res.body }).toEqual({
          verb,
          status: 404,
          body: { statusCode: 404, type: 'application/vnd.microsoft.error', value: { code: 'NotFound', message: 'That case could not be found.' } },
        });
      }
    }
    expect(await schools.settledSnapshot(SCHOOL_B_ID, bCaseId)).toEqual(bSnapshot);
  });

  it('a school A DSL or DT asking the tab for a school B child gets the same 404 as for no child at all, and nothing is recorded against B\'s child', async () => {
    const before = await schools.audit.accessLog(SCHOOL_B_ID, 'brook-p01');
    for (const who of [A.dsl, A.dt]) {
      const token = await schools.signIn(who);
      const missing = await schools.get('/api/tab/pupils/no-such-child', token);
      expect(missing.status).toBe(404);
      for (const id of SCHOOL_B_PUPIL_IDS) {
        const res = await schools.get(`/api/tab/pupils/${id}`, token);
        expect(res.status).toBe(404);
        expect(res.body).toEqual(missing.body);
      }
      for (const path of ['/api/tab/cohort', '/api/tab/actions', '/api/tab/digest', '/api/tab/me']) {
        const res = await schools.get(path, token);
        expect(res.status).toBe(200);
        expectNoSchoolBData(res.text);
      }
    }
    expect(await schools.audit.accessLog(SCHOOL_B_ID, 'brook-p01')).toEqual(before);
  });

  it('school B\'s staff cannot reach school A either: a B DSL gets 404 for an A child in the tab and nothing from A in search', async () => {
    const token = await schools.signIn(B.dsl);
    expect((await schools.get('/api/tab/pupils/demo-p01', token)).status).toBe(404);
    const cohort = await schools.get('/api/tab/cohort', token);
    expect((cohort.body.children as Array<{ id: string }>).map((c) => c.id).sort()).toEqual(SCHOOL_B_PUPIL_IDS);
    expect((await schools.search(B.dsl, 'Sam Thistlewood')).results).toEqual([]);
  });

  it('an A member of staff claiming B\'s tenant is not on B\'s staff list: refused as not staff', async () => {
    const impostor = { ...A.dsl, tenantId: SCHOOL_B_TENANT_ID };
    const search = await schools.search(impostor, 'Zephyrine');
    expect(search.results).toEqual([]);
    const action = await schools.act(impostor, 'approveCase', { caseId: bCaseId });
    expect(action.status).toBe(403);
    const replies = await schools.say(impostor, 'suspension', schools.freshConversation(impostor));
    expect(textsIn(replies)[0]).toMatch(/^I cannot find you on the staff list/);
    expect(await schools.settledSnapshot(SCHOOL_B_ID, bCaseId)).toEqual(bSnapshot);
  });
});

describe('roles: what a class teacher may not do or see', () => {
  const schools = new TwoSchools();
  let aCaseId: string;
  let teacherReplies: SentActivity[];

  beforeAll(async () => {
    await schools.start();
    // Sam is in care (section 31, a care order): the teacher raises the worry and sees the staff view.
    ({ caseId: aCaseId, replies: teacherReplies } = await schools.raiseSuspension(A.teacher, DEMO_SCHOOL_ID, 'demo-p01'));
  });
  afterAll(() => schools.stop());

  it('cannot approve, amend or decline: a refusal card, and the case is unchanged', async () => {
    const before = await schools.settledSnapshot(DEMO_SCHOOL_ID, aCaseId);
    for (const [verb, data] of [
      ['approveCase', { caseId: aCaseId }],
      ['amendCase', { caseId: aCaseId, amendSend: '', amendReason: 'A teacher trying to amend.' }],
      ['declineCase', { caseId: aCaseId, declineReason: 'A teacher trying to decline.' }],
    ] as const) {
      const res = await schools.act(A.teacher, verb, data);
      expect(res.status).toBe(200);
      const text = cardText(res.body.value);
      expect(text).toContain('Only the Designated Safeguarding Lead (DSL) or a deputy can decide this. Nothing has changed.');
      expect(JSON.stringify(res.body)).not.toMatch(/"verb":"(approveCase|amendCase|declineCase)"/);
      // The refusal must not itself tell the teacher the child's status.
      expect(text).not.toMatch(STATUS_WORDS);
    }
    expect(await schools.settledSnapshot(DEMO_SCHOOL_ID, aCaseId)).toEqual(before);
  });

  it('cannot read the case through a card refresh either: no status, no reasons', async () => {
    const res = await schools.act(A.teacher, 'refreshApproval', { caseId: aCaseId });
    expect(res.status).toBe(200);
    const text = cardText(res.body.value);
    expect(text).not.toMatch(STATUS_WORDS);
    expect(text).not.toContain('Why:');
    expect(text).not.toContain('Jo Marsh');
  });

  it('cannot read a chronology, the cohort or the open actions in the tab (403), and the refusal is recorded', async () => {
    const token = await schools.signIn(A.teacher);
    const before = await schools.audit.accessLog(DEMO_SCHOOL_ID, 'demo-p01');
    const chronology = await schools.get('/api/tab/pupils/demo-p01', token);
    expect(chronology.status).toBe(403);
    expect(chronology.text).not.toMatch(STATUS_WORDS);
    expect(chronology.text).not.toContain('Thistlewood');
    const after = await schools.audit.accessLog(DEMO_SCHOOL_ID, 'demo-p01');
    expect(after).toHaveLength(before.length + 1);
    expect(after.at(-1)).toMatchObject({ action: 'refused', actor: { name: 'Alex Wilber' } });
    for (const path of ['/api/tab/cohort', '/api/tab/actions', '/api/tab/digest']) {
      const res = await schools.get(path, token);
      expect(res.status).toBe(403);
      expectNoPupilData(res.text);
      expect(res.text).not.toMatch(STATUS_WORDS);
    }
  });

  it('cannot see the child\'s status in the cards it gets while and after raising a concern (the staff view)', async () => {
    const cards = cardsIn(teacherReplies);
    expect(cards.length).toBeGreaterThanOrEqual(5);
    const text = readable(teacherReplies);
    // It is about the right child, and says who is told by when...
    expect(text).toContain('Sam Thistlewood (Year 4)');
    expect(text).toMatch(/Sent: SUS-/);
    // ...but never why Sam is in the cohort.
    expect(text).not.toMatch(STATUS_WORDS);
    expect(text).not.toContain('Status on the register');
    expect(text).not.toContain('Why:');
    expect(text).not.toContain('Jo Marsh');
  });

  it('a deadline card\'s "Mark done" from a teacher who does not own the step changes nothing and shows no status', async () => {
    const open = (await schools.cases.actions(DEMO_SCHOOL_ID, aCaseId)).filter((a) => a.status === 'open' && a.owner !== 'teacher');
    expect(open.length).toBeGreaterThan(0);
    for (const a of open) {
      const res = await schools.act(A.teacher, 'completeAction', { caseId: aCaseId, stepId: a.stepId });
      expect(res.status).toBe(200);
      expect(cardText(res.body.value)).not.toMatch(STATUS_WORDS);
    }
    expect((await schools.cases.actions(DEMO_SCHOOL_ID, aCaseId)).filter((a) => a.status === 'open' && a.owner !== 'teacher')).toHaveLength(open.length);
  });
});
