import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { SchoolRepository } from '../storage/schoolRepository';
import { StaffRepository } from '../storage/staffRepository';
import { RecordAuditRepository } from '../storage/recordAuditRepository';
import { TABLES, TableStore } from '../storage/tableStore';
import { postActivity, teamsMessage } from './support/activities';
import { startTestApp, TestApp } from './support/app';
import { ConnectorStub, SentActivity, teamsMember } from './support/connectorStub';
import { runTool } from './support/runTool';
import { azuriteConnectionString, uniquePrefix } from './support/store';

/**
 * A real school adopting the product, from an empty store, with the commands and Teams alone (no
 * JSON typed by hand, no object id typed anywhere): its DSL and head say hello to the bot; the IT
 * lead writes the profile with `npm run school -- init`, fills it in, takes the term dates from the
 * local authority's file, validates and applies it; the register is loaded; the DSL makes the staff
 * team the staff list from the card the app posts there; a teacher who is only in that team raises
 * a concern; the school's own DSL gets the card. Then the staff list follows the team (a member
 * added can raise a concern, a member removed cannot) and a role changed in Teams is audited and
 * takes effect. Every person and school here is SYNTHETIC.
 */

const TENANT = 'a7c3e1f0-2b4d-4c6e-8f10-2a3b4c5d6e7f';
const SCHOOL = 'riverside-primary';
const TEAM = '19:riverside-staff@thread.tacv2';
const PEOPLE = {
  dsl: teamsMember('5b0e8a3c-1d2f-4e6a-9b7c-0d1e2f3a4b01', 'Priya Okonjo', 'priya.okonjo@riverside.example.org'),
  head: teamsMember('5b0e8a3c-1d2f-4e6a-9b7c-0d1e2f3a4b02', 'Daniel Reyes', 'daniel.reyes@riverside.example.org'),
  teacher: teamsMember('5b0e8a3c-1d2f-4e6a-9b7c-0d1e2f3a4b03', 'Tom Baker', 'tom.baker@riverside.example.org'),
  newcomer: teamsMember('5b0e8a3c-1d2f-4e6a-9b7c-0d1e2f3a4b04', 'Sara Lind', 'sara.lind@riverside.example.org'),
};
type Who = keyof typeof PEOPLE;

const connector = new ConnectorStub();
const prefix = uniquePrefix();
let app: TestApp;
let work: string;
const env = () => ({ PATH: process.env.PATH ?? '', AZURE_TABLES_CONNECTION_STRING: azuriteConnectionString(), TABLE_PREFIX: prefix, LOG_LEVEL: 'silent', USER: 'synthetic-it-lead' });
const store = () => new TableStore({ connectionString: azuriteConnectionString(), tablePrefix: prefix });
const chat = (who: Who) => `chat-${PEOPLE[who].aadObjectId}`;

function say(who: Who, input: string | Record<string, unknown>) {
  const p = PEOPLE[who];
  return postActivity(app.url, teamsMessage({ serviceUrl: connector.url, conversationId: chat(who), aadObjectId: p.aadObjectId, userId: p.id, tenantId: TENANT, ...(typeof input === 'string' ? { text: input } : { value: input }) }));
}

/** Something happening in the staff team's General channel, as Teams posts it. */
function inTeam(who: Who, extra: Record<string, unknown>) {
  const p = PEOPLE[who];
  return {
    ...teamsMessage({ serviceUrl: connector.url, conversationId: TEAM, aadObjectId: p.aadObjectId, userId: p.id, tenantId: TENANT }),
    conversation: { id: TEAM, conversationType: 'channel', isGroup: true, tenantId: TENANT },
    channelData: { tenant: { id: TENANT }, team: { id: TEAM, name: 'Riverside staff' }, channel: { id: TEAM, name: 'General' } },
    ...extra,
  };
}

function execute(who: Who, where: 'team' | 'chat', verb: string, data: Record<string, unknown>) {
  const base = where === 'team' ? inTeam(who, {}) : teamsMessage({ serviceUrl: connector.url, conversationId: chat(who), aadObjectId: PEOPLE[who].aadObjectId, userId: PEOPLE[who].id, tenantId: TENANT });
  return postActivity(app.url, { ...base, type: 'invoke', name: 'adaptiveCard/action', text: undefined, value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' } });
}

const sentTo = (conversationId: string) => connector.sent.filter((s) => s.conversationId === conversationId);
const cardOf = (s: SentActivity | undefined) => (s?.body.attachments as Array<{ content: Record<string, unknown> }> | undefined)?.[0]?.content;
const textOf = (s: SentActivity | undefined) => JSON.stringify(s?.body ?? {});

async function until(what: string, check: () => Promise<boolean> | boolean, tries = 200): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'swbot-setup-'));
  await connector.start();
  for (const p of Object.values(PEOPLE)) connector.people.set(p.id, { ...p, tenantId: TENANT });
  connector.teams.set(TEAM, [PEOPLE.dsl, PEOPLE.head, PEOPLE.teacher].map((p) => ({ ...p, tenantId: TENANT })));
}, 30_000);

afterAll(async () => {
  await app?.stop();
  await connector.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('a new school set up with the commands and Teams alone', () => {
  const file = () => path.join(work, 'riverside.school.yaml');

  it('every command works on a fresh store, and says what to do first', async () => {
    const list = await runTool('school.js', ['list'], env());
    expect([list.status, list.stdout]).toEqual([0, 'No schools yet. Start with: npm run school -- init --id <id> --name "<name>"\n']);
    const load = await runTool('import.js', ['--school', SCHOOL, path.join(__dirname, 'fixtures', 'register-sample.csv')], env());
    expect(load.status).toBe(2);
    expect(load.stderr).toBe(`No school with the id "${SCHOOL}". Check the id, or set the school up first: npm run school -- init (README, "Setting up your school").\n`);
    expect(load.stderr).not.toMatch(/TableNotFound|odata|\{/);
  });

  it('the DSL and the headteacher say hello to the bot, which learns who they are from Teams', async () => {
    app = await startTestApp({ ALLOWED_SERVICE_URLS: connector.url, ALLOWED_TENANT_IDS: TENANT, LOAD_DEMO_SCHOOL: 'false', PROFILE_CACHE_MS: '300', DATA_DIR: work }, azuriteConnectionString());
    expect(app.prefix).not.toBe(prefix);
    // The app runs on the school's own tables.
    await app.stop();
    app = await startTestApp({ ALLOWED_SERVICE_URLS: connector.url, ALLOWED_TENANT_IDS: TENANT, LOAD_DEMO_SCHOOL: 'false', PROFILE_CACHE_MS: '300', DATA_DIR: work, TABLE_PREFIX: prefix });
    for (const who of ['dsl', 'head'] as const) {
      const res = await postActivity(app.url, { ...teamsMessage({ serviceUrl: connector.url, conversationId: chat(who), aadObjectId: PEOPLE[who].aadObjectId, userId: PEOPLE[who].id, tenantId: TENANT }), type: 'conversationUpdate', text: undefined, membersAdded: [{ id: '28:bot-id' }] });
      expect(res.status).toBe(200);
    }
    const staff = new StaffRepository(store().client(TABLES.staff));
    await until('the bot to remember both', async () => (await staff.known(TENANT, [])).length === 2);
    expect((await staff.known(TENANT, [])).map((p) => p.email).sort()).toEqual([PEOPLE.head.email, PEOPLE.dsl.email]);
  });

  it('init writes a commented file that validate refuses until it is filled in, naming each line', async () => {
    const init = await runTool('school.js', ['init', '--id', SCHOOL, '--name', 'Riverside Primary (synthetic)', '--policy', 'offord', '--la', '873', '--tenant', TENANT, '--out', file()], env());
    expect(init.status).toBe(0);
    const text = readFileSync(file(), 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=./school-profile.schema.json');
    expect(JSON.parse(readFileSync(path.join(work, 'school-profile.schema.json'), 'utf8'))).toMatchObject({ title: 'School profile (sw-cohort-teams-bot)' });
    const check = await runTool('school.js', ['validate', file()], env());
    expect(check.status).toBe(1);
    expect(check.stderr).toMatch(/^line \d+, staff\[1\]\.name: is empty: give the person's name$/m);
    expect(check.stderr).toMatch(/^line \d+, calendar\.terms: at least one term is needed to count school days$/m);
    expect(check.stderr).toMatch(/problems in .*riverside\.school\.yaml: nothing was saved\.\n$/);
  });

  it('filled in (people by email), with the local authority\'s term dates, it validates and applies; applying again changes nothing', async () => {
    // What the IT lead types into the file, in their editor.
    const doc = parseDocument(readFileSync(file(), 'utf8'));
    doc.setIn(['staff'], doc.createNode([
      { name: PEOPLE.dsl.name, email: PEOPLE.dsl.email, roles: ['DSL', 'SLT'] },
      { name: PEOPLE.head.name, email: PEOPLE.head.email, roles: ['headteacher', 'SLT'] },
    ]));
    doc.setIn(['virtualSchools'], doc.createNode([{ localAuthority: '873', name: 'Cambridgeshire Virtual School (synthetic)', email: 'vs@cambs-vs.example.org' }]));
    doc.setIn(['exclusionsContact'], doc.createNode({ name: 'Cambridgeshire exclusions team (synthetic)', email: 'exclusions@cambs-la.example.org' }));
    doc.setIn(['senderMailbox'], 'safeguarding@riverside.example.org');
    writeFileSync(file(), doc.toString());
    const terms = await runTool('school.js', ['terms', path.join(__dirname, 'fixtures', 'term-dates-sample.ics'), '--file', file()], env());
    expect([terms.status, terms.stdout]).toEqual([0, `Wrote 3 terms (Autumn term to Summer term 2027), 4 closure days into ${file()}.\n`]);
    expect(readFileSync(file(), 'utf8')).toContain('# The role holders'); // comments kept

    const check = await runTool('school.js', ['validate', file()], env());
    expect([check.status, check.stderr]).toEqual([0, '']);
    const dry = await runTool('school.js', ['apply', file(), '--dry-run'], env());
    expect(dry.stdout).toBe('- New school Riverside Primary (synthetic) (riverside-primary): 2 people named with roles, 3 terms, 1 Virtual School.\nDry run: nothing was saved.\n');
    expect(await new SchoolRepository(store().client(TABLES.schools)).get(SCHOOL)).toBeUndefined();
    const apply = await runTool('school.js', ['apply', file()], env());
    expect([apply.status, apply.stderr]).toEqual([0, '']);
    const saved = (await new SchoolRepository(store().client(TABLES.schools)).get(SCHOOL))!;
    expect(saved.staff.map((s) => [s.name, s.aadObjectId])).toEqual([[PEOPLE.dsl.name, PEOPLE.dsl.aadObjectId], [PEOPLE.head.name, PEOPLE.head.aadObjectId]]);
    const again = await runTool('school.js', ['apply', file()], env());
    expect(again.stdout).toBe('No changes: Riverside Primary (synthetic) already has these settings.\n');
    const log = await new RecordAuditRepository(store().client(TABLES.cases)).settingsLog(SCHOOL);
    expect(log.map((e) => [e.action, e.actor.name])).toEqual([['schoolCreated', 'synthetic-it-lead (command line)']]);
  });

  it('the register loads into the new school', async () => {
    const load = await runTool('import.js', ['--school', SCHOOL, path.join(__dirname, 'fixtures', 'register-sample.csv')], env());
    expect(load.status).toBe(0);
    expect(load.stdout).toBe('12 rows: 12 new, 0 updated, 0 unchanged.\n');
  });

  it('added to the staff team, the app posts a set-up card (no concern buttons); the DSL makes the team the staff list', async () => {
    const added = await postActivity(app.url, inTeam('dsl', { type: 'conversationUpdate', text: undefined, membersAdded: [{ id: '28:bot-id' }] }));
    expect(added.status).toBe(200);
    await connector.waitFor(1);
    const setup = sentTo(TEAM).at(-1);
    expect(textOf(setup)).toContain('Set up the safeguarding assistant');
    expect(textOf(setup)).not.toMatch(/Attendance concern|startDialog/);
    const refused = await execute('teacher', 'team', 'setStaffTeam', { school: SCHOOL });
    expect(refused.status).toBe(403);
    expect(refused.body).toContain('Only Riverside Primary (synthetic)\'s DSL or headteacher can change its settings.');
    const pressed = await execute('dsl', 'team', 'setStaffTeam', { school: SCHOOL });
    expect(pressed.status).toBe(200);
    expect(pressed.body).toContain('The members of this team are Riverside Primary (synthetic)\'s staff (chosen by Priya Okonjo).');
    const staff = new StaffRepository(store().client(TABLES.staff));
    await until('the roster to be read', async () => (await staff.members(SCHOOL)).length === 3);
    expect(connector.rosterReads).toContain(TEAM);
  });

  it('a teacher who is only in the staff team raises a concern, and the school\'s own DSL gets the card', async () => {
    await until('the teacher to be staff', async () => {
      const res = await say('teacher', 'attendance');
      return res.status === 200 && !textOf(sentTo(chat('teacher')).at(-1)).includes('cannot find you on the staff list');
    });
    await say('teacher', { verb: 'answer', question: 'pupil', pupilName: 'Hal Pretendwell' });
    await say('teacher', { verb: 'answer', question: 'details', what: 'unexplainedToday', absenceType: 'notKnown', reasons: '' });
    const confirm = cardOf(sentTo(chat('teacher')).at(-1)) as { actions: Array<{ data: { verb: string; draftId?: string } }> };
    const draftId = confirm.actions.find((a) => a.data.verb === 'answer')!.data.draftId!;
    const dslBefore = sentTo(chat('dsl')).length;
    expect((await say('teacher', { verb: 'answer', question: 'confirm', draftId })).status).toBe(200);
    expect(textOf(sentTo(chat('teacher')).at(-1))).toMatch(/ATT-/);
    await until('the DSL\'s card', () => sentTo(chat('dsl')).length > dslBefore);
    const card = textOf(sentTo(chat('dsl')).at(-1));
    expect(card).toContain('Hal Pretendwell');
    expect(card).toMatch(/Decision needed: Attendance concern \(ATT-/);
  });
});

describe('the staff list follows the staff team, and roles change in Teams', () => {
  it('someone added to the team can raise a concern at once; someone removed cannot', async () => {
    connector.teams.get(TEAM)!.push({ ...PEOPLE.newcomer, tenantId: TENANT });
    expect((await postActivity(app.url, inTeam('dsl', { type: 'conversationUpdate', text: undefined, membersAdded: [{ id: PEOPLE.newcomer.id, aadObjectId: PEOPLE.newcomer.aadObjectId }] }))).status).toBe(200);
    await until('the newcomer to be staff', async () => {
      await say('newcomer', 'cancel');
      await say('newcomer', 'attendance');
      return textOf(sentTo(chat('newcomer')).at(-1)).includes('Which child is this about?');
    });
    expect((await postActivity(app.url, inTeam('dsl', { type: 'conversationUpdate', text: undefined, membersRemoved: [{ id: PEOPLE.teacher.id, aadObjectId: PEOPLE.teacher.aadObjectId }] }))).status).toBe(200);
    await say('teacher', 'cancel');
    await until('the teacher to be refused', async () => {
      await say('teacher', 'attendance');
      return textOf(sentTo(chat('teacher')).at(-1)).includes('cannot find you on the staff list');
    });
  });

  it('the DSL types "make Sara Lind the Designated Teacher": a card to confirm, then the change is audited, told to Sara, and in effect', async () => {
    await say('newcomer', 'cancel');
    await say('newcomer', 'record a PEP');
    expect(textOf(sentTo(chat('newcomer')).at(-1))).toContain('Recording a PEP meeting is for the Designated Teacher');
    await say('dsl', 'make Sara Lind the Designated Teacher');
    const card = cardOf(sentTo(chat('dsl')).at(-1)) as { actions: Array<{ verb?: string; data: Record<string, unknown> }> };
    expect(JSON.stringify(card)).toContain('Make Sara Lind the Designated Teacher');
    const confirm = card.actions.find((a) => a.verb === 'confirmRoleChange')!;
    const before = sentTo(chat('newcomer')).length;
    const done = await execute('dsl', 'chat', 'confirmRoleChange', confirm.data);
    expect(done.body).toContain('Sara Lind is now the Designated Teacher');
    await until('Sara to be told', () => sentTo(chat('newcomer')).length > before);
    expect(textOf(sentTo(chat('newcomer')).at(-1))).toContain('Priya Okonjo made you the Designated Teacher');
    const log = await new RecordAuditRepository(store().client(TABLES.cases)).settingsLog(SCHOOL);
    expect(log.at(-1)).toMatchObject({ action: 'roleGiven', actor: { name: 'Priya Okonjo' }, detail: { role: 'DT', person: 'Sara Lind' } });
    await until('the role to take effect', async () => {
      await say('newcomer', 'cancel');
      await say('newcomer', 'record a PEP');
      return !textOf(sentTo(chat('newcomer')).at(-1)).includes('Recording a PEP meeting is for the Designated Teacher');
    });
  });

  it('someone who is not the DSL or headteacher cannot change a role, by typing or by pressing', async () => {
    await say('newcomer', 'cancel');
    await say('newcomer', 'make Sara Lind the DSL');
    expect(textOf(sentTo(chat('newcomer')).at(-1))).toContain('Only the DSL or the headteacher can change who holds a role');
    const pressed = await execute('newcomer', 'chat', 'confirmRoleChange', { school: SCHOOL, role: 'DSL', person: PEOPLE.newcomer.aadObjectId, give: true });
    expect(pressed.body).toContain('can change its settings');
    const saved = (await new SchoolRepository(store().client(TABLES.schools)).get(SCHOOL))!;
    expect(saved.staff.filter((s) => s.roles.includes('DSL')).map((s) => s.name)).toEqual(['Priya Okonjo']);
  });

  it('in a channel nobody\'s concern is taken: a message there gets one line pointing to the personal chat', async () => {
    const before = sentTo(TEAM).length;
    await postActivity(app.url, inTeam('teacher', { text: 'attendance' }));
    await until('the reply', () => sentTo(TEAM).length > before);
    const reply = sentTo(TEAM).at(-1)!;
    expect(reply.body.attachments).toBeUndefined();
    expect(String(reply.body.text)).toContain('Open a personal chat with me');
  });
});
