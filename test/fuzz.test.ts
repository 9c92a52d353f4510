import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { Activity, TestAdapter } from 'botbuilder';
import fc from 'fast-check';
import pino from 'pino';
import { App, startApp } from '../host/app';
import { composeBot } from '../host/composition';
import { loadConfig } from '../host/config';
import { demoPupils, demoSchool, DEMO_STAFF, PLAYGROUND_TENANT_ID } from '../demo/demoSchool';
import { normaliseName } from '../services/pupilDirectory';
import { activityEnvelope } from '../bot/messageEndpoint';
import { APPROVAL_VERBS } from '../cards/approvalCard';
import { stripControl } from '../cards/text';
import { pupilLabel } from '../policy/pupil';
import { absenceReasonSchema, ALTERNATIVES } from '../policy/cases';
import { LEGAL_BASIS_LABEL, PupilInput } from '../policy/pupil';
import { TableStore } from '../storage/tableStore';
import { MONDAY_9AM, RecordingMailer, RecordingSender } from './support/botHarness';
import { ConnectorStub } from './support/connectorStub';
import { SCHOOL_B_ID, SCHOOL_B_STAFF, SCHOOL_B_TENANT_ID, schoolB, schoolBPupils, seedTwoSchools } from './support/secondSchool';
import { MemoryAzurite, startMemoryAzurite } from './support/memoryAzurite';
import { checkCard } from './support/validateCard';

/**
 * Bad input (issue 8): generated activities and card submits, fed to the bot in-process (through
 * the same envelope check the HTTP server applies) and, for a slice, over real HTTP. Whatever
 * arrives: no crash (no turn error, no failed background work, no unhandled rejection, which jest
 * itself fails the test on), no 5xx with a stack, every card valid, user text shown only as
 * literal text, and no child shown to someone who may not see them. Deterministic: fixed seed.
 */

const SEED = 20_261_123;
/**
 * Sized to the counts with a little room (about 10,200 inputs, 1,300 over HTTP): an input
 * over HTTP costs the suite 8.6 ms and one in-process 5.1 ms, and the suite must run in 8 minutes
 * on two cores. More runs: FUZZ_RUNS and FUZZ_HTTP_RUNS.
 */
const IN_PROCESS_RUNS = Number(process.env.FUZZ_RUNS ?? 315);
const LANES = Number(process.env.FUZZ_LANES ?? 4);
const HTTP_RUNS = Number(process.env.FUZZ_HTTP_RUNS ?? 40);
const HTTP_LANES = 4;
const MIN_TOTAL = 10_000;
const MIN_HTTP = 1_000;

/** Every generated piece of user text carries this, so an echo can be found wherever it lands. */
const MARK = 'ZQXJ';

// ---------------------------------------------------------------------------------------------
// Who sends the activities, and what each of them may see.

type Viewer = 'aLead' | 'aStaff' | 'bLead' | 'bStaff' | 'none';
interface Person {
  key: string;
  aadObjectId: string;
  name: string;
  tenantId: string;
  viewer: Viewer;
}
const PEOPLE: readonly Person[] = [
  { key: 'aTeacher', ...DEMO_STAFF.teacher, tenantId: PLAYGROUND_TENANT_ID, viewer: 'aStaff' },
  { key: 'aSenco', ...DEMO_STAFF.senco, tenantId: PLAYGROUND_TENANT_ID, viewer: 'aStaff' },
  { key: 'aDsl', ...DEMO_STAFF.dsl, tenantId: PLAYGROUND_TENANT_ID, viewer: 'aLead' },
  { key: 'aDt', ...DEMO_STAFF.dt, tenantId: PLAYGROUND_TENANT_ID, viewer: 'aLead' },
  { key: 'bTeacher', ...SCHOOL_B_STAFF.teacher, tenantId: SCHOOL_B_TENANT_ID, viewer: 'bStaff' },
  { key: 'stranger', aadObjectId: 'ffffffff-0000-0000-0000-00000000dead', name: 'Not Staff', tenantId: PLAYGROUND_TENANT_ID, viewer: 'none' },
  { key: 'otherTenant', ...DEMO_STAFF.dsl, tenantId: 'eeeeeeee-0000-0000-0000-00000000beef', viewer: 'none' },
];

const A_PUPILS = demoPupils;
const B_PUPILS = schoolBPupils;
const labelOf = (p: PupilInput) => pupilLabel({ givenName: p.givenName, familyName: p.familyName, yearGroup: p.yearGroup as '1' });
const NAMES = [...A_PUPILS, ...B_PUPILS].map((p) => `${p.givenName} ${p.familyName}`);
const NAME_PARTS = [...new Set(NAMES.flatMap((n) => n.split(' ')).flatMap((w) => [w, w.slice(0, 3), w.toUpperCase()]))];

/** What only the DSL, deputies, DT and headteacher may read: statuses, reasons, social workers. */
const LEAD_ONLY = [
  'Status on the register',
  'Looked after:',
  'Previously looked after:',
  'Has a social worker:',
  'Had a social worker:',
  'Kinship care',
  'Why: ',
  'Designated Teacher for looked-after',
  ...Object.values(LEGAL_BASIS_LABEL),
  ...[...A_PUPILS, ...B_PUPILS].flatMap((p) => (p.socialWorker ? [p.socialWorker.name] : [])),
];

/** How a child is shown by the bot: their label (name and year) and, in card data, their id. */
const revealsOf = (pupils: readonly PupilInput[]) => pupils.flatMap((p) => [labelOf(p), p.id]);
const FORBIDDEN: Record<Viewer, readonly string[]> = {
  aLead: revealsOf(B_PUPILS),
  bLead: revealsOf(A_PUPILS),
  aStaff: [...revealsOf(B_PUPILS), ...LEAD_ONLY],
  bStaff: [...revealsOf(A_PUPILS), ...LEAD_ONLY],
  none: [...revealsOf(A_PUPILS), ...revealsOf(B_PUPILS), ...LEAD_ONLY],
};
const VISIBLE_PUPILS: Record<Viewer, readonly PupilInput[]> = { aLead: A_PUPILS, aStaff: A_PUPILS, bLead: B_PUPILS, bStaff: B_PUPILS, none: [] };

/** Who a proactive card went to, from the school profiles' staff lists. */
const LEAD_ROLES = new Set(['DSL', 'deputyDSL', 'DT', 'headteacher']);
function viewerOf(tenantId: string, aadObjectId: string | undefined): Viewer {
  for (const [school, lead, staff] of [[demoSchool, 'aLead', 'aStaff'], [schoolB, 'bLead', 'bStaff']] as const) {
    const member = school.staff.find((m) => m.aadObjectId === aadObjectId);
    if (school.tenantId === tenantId && member) return member.roles.some((r) => LEAD_ROLES.has(r)) ? lead : staff;
  }
  return 'none';
}

// ---------------------------------------------------------------------------------------------
// Hostile text.

const INJECTIONS = [
  '**bold**', '__bold__', '*em*', '~~strike~~', '[link](http://evil.example.org)', '[x](javascript:alert(1))', '![img](http://evil.example.org/p.png)',
  '# Heading', '## Sub', '> quote', '- item', '1. item', '`code`', '```\nblock\n```', '---', '| a | b |',
  '<at>Megan Bowen</at>', '<at id="0">Bot</at>', '<at>', '</at>',
  '${pupil.name}', '${$root.secret}', '${if(true, "a", "b")}', '{{name}}', '{{DATE(2026-11-23T09:00:00Z, SHORT)}}', '$data', '$when',
  '<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '<b>bold</b>', '&lt;b&gt;', '&#x3C;', '<!--',
  "' or 1 eq 1 or '", "'')", "PartitionKey ne ''", "') or (PartitionKey ne '", "x' or RowKey gt '", '%27%20or%201%20eq%201',
  '\\', '"', "'", '{"verb":"startDialog","dialog":"pep"}', 'null', 'undefined', 'NaN', '-1', '1e309', '__proto__', 'constructor',
];
const ODATA_TRICKS = [
  "' or 1 eq 1 or '", "'')", "PartitionKey ne ''", "') or (PartitionKey ne '", "x' or RowKey gt '", "%27 or 1 eq 1", "'; DROP TABLE pupils; --",
  '" or ""="', "' and substringof('a', givenName) or '", "$filter=PartitionKey ne ''", "*", "' eq '", "Sam' or '1' eq '1", "Zephyrine' or PartitionKey ne '",
];
const UNICODE_BITS = [
  '\u202E', '\u202D', '\u2066', '\u2069', '\u200B', '\u200C', '\u200D', '\uFEFF', '\u00AD', 'e\u0301', 'a\u0308\u0308\u0308', '\u0301',
  '👩\u200D💻', '🏴\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}', '😀', '🇬🇧', 'سلام', 'שלום', 'नमस्ते', '漢字', 'Zoë', 'Ołeńka',
  '\u0000', '\u0007', '\u001B[31m', '\u007F', '\u0085', '\u2028', '\u2029', '\r\n', '\t', ' ', '\uD800', '\uDFFF',
];

const plainText = (maxLength: number) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...INJECTIONS) },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength }) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength }) },
    { weight: 3, arbitrary: fc.array(fc.constantFrom(...INJECTIONS, ...UNICODE_BITS), { minLength: 1, maxLength: 8 }).map((a) => a.join('')) },
    { weight: 1, arbitrary: fc.array(fc.integer({ min: 0xd800, max: 0xdfff }), { minLength: 1, maxLength: 3 }).map((cs) => `x${String.fromCharCode(...cs)}y`) },
  );
/** Text a person types, marked. */
const marked = (maxLength = 60) => plainText(maxLength).map((s) => `${MARK}${s}`);
const huge = fc
  .tuple(fc.constantFrom('x', 'é', '😀', '**b** ', '<at>A</at>', '${x}', "'", '\u202E'), fc.integer({ min: 300, max: 30_000 }))
  .map(([s, n]) => `${MARK}${s.repeat(Math.ceil(n / s.length)).slice(0, n)}`);
const userText = fc.oneof({ weight: 9, arbitrary: marked() }, { weight: 1, arbitrary: huge });
const wrongType = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
);
/** A field: usually the right kind of value, sometimes the wrong type, sometimes missing. */
const field = <T>(good: fc.Arbitrary<T>): fc.Arbitrary<T | unknown> =>
  fc.oneof({ weight: 7, arbitrary: good }, { weight: 1, arbitrary: wrongType }, { weight: 1, arbitrary: fc.constant(undefined) });
const csv = (options: readonly string[]) => fc.subarray([...options]).map((a) => a.join(','));
const numberText = fc.oneof(fc.integer({ min: -5, max: 500 }).map(String), fc.double().map(String), fc.constantFrom('', '1e309', 'NaN', '0x10', ' 12 ', '١٢', '12abc'));
const dateText = fc.oneof(fc.constantFrom('2026-11-20', '2026-11-23', '2026-11-30', '2027-12-01', '2026-02-30', '30/11/2026', '', '2026-11-23T09:00:00Z'), marked(20));
/** Extra fields Teams never sends, merged into a payload. */
const extras = fc.dictionary(fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('__proto__', 'constructor', 'verb', 'question')), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 });
const withExtras = (payload: fc.Arbitrary<Record<string, unknown>>) =>
  fc.oneof({ weight: 5, arbitrary: payload }, { weight: 1, arbitrary: fc.tuple(payload, extras).map(([p, e]) => ({ ...e, ...p })) });
const answer = (question: string, fields: Record<string, fc.Arbitrary<unknown>>) =>
  withExtras(fc.record({ verb: fc.constant('answer'), question: fc.constant(question), ...fields }, { requiredKeys: ['verb', 'question'] }));

const A_IDS = A_PUPILS.map((p) => p.id);
const B_IDS = B_PUPILS.map((p) => p.id);
const QUESTIONS = ['onRegister', 'pupil', 'newStarter', 'details', 'whatHappened', 'tried', 'stage', 'decision', 'confirm'];

// ---------------------------------------------------------------------------------------------
// Turns: what one activity carries, before it is addressed to a conversation.

interface MessageTurn {
  type: 'message';
  text?: string;
  value?: unknown;
  entities?: unknown;
}
interface InvokeTurn {
  type: 'invoke';
  name: unknown;
  value: unknown;
}
interface OtherTurn {
  type: 'other';
  activity: Record<string, unknown>;
}
type Turn = (MessageTurn | InvokeTurn | OtherTurn) & { mutate?: Addressing };
/** Addressing gone wrong: the tenant or the user's id missing or of the wrong type. */
interface Addressing {
  channelData?: unknown;
  conversationTenant?: unknown;
  aadObjectId?: unknown;
}

const say = (text: fc.Arbitrary<string>): fc.Arbitrary<Turn> => text.map((t) => ({ type: 'message', text: t }));
const submit = (value: fc.Arbitrary<unknown>): fc.Arbitrary<Turn> => value.map((v) => ({ type: 'message', value: v }));

const pupilTurn = submit(
  answer('pupil', {
    pupilId: field(fc.constantFrom(...A_IDS, ...B_IDS, 'notListed', '', 'demo-p99', "demo-p01' or '1' eq '1")),
    pupilName: field(fc.oneof(fc.constantFrom(...NAMES, ...NAME_PARTS, ''), marked(130), fc.constantFrom(...ODATA_TRICKS))),
    notOnRegister: field(fc.oneof(fc.constant(''), marked(210))),
  }),
);
const typedName = say(fc.oneof(fc.constantFrom(...NAMES), marked(40), fc.constantFrom(...ODATA_TRICKS)));
const attendanceDetails = submit(
  answer('details', {
    what: field(fc.oneof(csv(['unexplainedToday', 'missedSessions', 'pattern', 'punctuality']), marked())),
    absenceType: field(fc.constantFrom('authorised', 'unauthorised', 'mixed', 'notKnown', 'junk')),
    reasons: field(fc.oneof(csv(absenceReasonSchema.options), marked())),
    sessionsMissed: field(numberText),
    attendancePercent: field(numberText),
    consecutiveUnauthorisedDays: field(numberText),
    alreadyDone: field(userText),
  }),
);
const admissionDetails = submit(
  answer('details', {
    startDate: field(dateText),
    previousSchool: field(userText),
    transitionMeetingDate: field(dateText),
    keyAdult: field(userText),
    peerBuddy: field(userText),
    send: field(fc.constantFrom('none', 'senSupport', 'ehcp', 'junk', '')),
    statusEvidenceSeen: field(fc.constantFrom('true', 'false', 'yes', '')),
  }),
);
const onRegister = fc.oneof(say(fc.constantFrom('yes', 'no', 'not yet', 'maybe')), submit(answer('onRegister', { onRegister: field(fc.constantFrom('yes', 'no', 'maybe')) })));
/** A new starter not on the register: a name, a year, a status and an authority, each sometimes hostile. */
const newStarter = submit(
  answer('newStarter', {
    givenName: field(fc.oneof(fc.constantFrom('Jordan', ''), marked(90))),
    familyName: field(fc.oneof(fc.constantFrom('Notonroll', "O'Neill-Smith"), marked(90))),
    yearGroup: field(fc.constantFrom('R', '3', '13', '14', '')),
    dateOfBirth: field(dateText),
    status: field(fc.constantFrom('inCare', 'adopted', 'childProtection', 'noneKnown', 'junk', '')),
    legalBasis: field(fc.constantFrom('s31', 's20', 'x', '')),
    placingAuthority: field(fc.oneof(fc.constantFrom('881', '886', '999', 'Essex', ''), fc.constantFrom(...ODATA_TRICKS))),
    previousSchool: field(userText),
    sameNameConfirmed: field(fc.constantFrom('true', 'false')),
  }),
);
const pepDetails = submit(answer('details', { date: field(dateText), note: field(userText) }));
const whatHappened = fc.oneof(say(userText), submit(answer('whatHappened', { whatHappened: field(userText) })));
const tried = fc.oneof(
  say(userText),
  submit(answer('tried', { tried: field(fc.oneof(csv(ALTERNATIVES), marked())), triedOther: field(userText), sendConsiderations: field(userText) })),
);
const stage = fc.oneof(say(fc.constantFrom('no', 'yes', 'not yet', 'decided', 'maybe')), submit(answer('stage', { stage: field(fc.constantFrom('atRisk', 'decided', 'maybe')) })));
const decision = submit(
  answer('decision', {
    kind: field(fc.constantFrom('suspension', 'permanentExclusion', 'x')),
    startDate: field(dateText),
    days: field(fc.oneof(numberText, fc.constantFrom('1', '2.5', '0.5'))),
  }),
);
const confirm = fc.oneof(
  say(fc.constantFrom('send', 'yes', 'ok', 'nope')),
  submit(answer('confirm', { draftId: field(fc.oneof(fc.uuid(), marked(70), fc.constantFrom('../x', "a'b", '#?/\\', '', 'x'.repeat(64)))) })),
);
const start = (dialog: string, words: readonly string[]) =>
  fc.oneof(say(fc.constantFrom(...words)), submit(fc.constant({ verb: 'startDialog', dialog })));

/** The right steps of each dialog, in order, with hostile text in every free-text box. */
const paths: fc.Arbitrary<Turn[]> = fc.oneof(
  fc.tuple(start('attendance', ['attendance', 'Attendance', ' attendance ']), fc.oneof(pupilTurn, typedName), attendanceDetails, confirm),
  fc.tuple(start('suspension', ['suspension', 'exclusion']), fc.oneof(pupilTurn, typedName), whatHappened, tried, stage, decision, confirm),
  fc.tuple(start('admission', ['new starter', 'admission']), onRegister, fc.oneof(pupilTurn, typedName, newStarter), admissionDetails, confirm),
  fc.tuple(start('pep', ['record a pep', 'pep']), pupilTurn, pepDetails),
);

/** Anything else a conversation may receive, valid or not. */
function noiseTurns(caseIds: readonly string[], stepIds: readonly string[]): fc.Arbitrary<Turn> {
  const menu = submit(
    withExtras(
      fc.oneof(
        fc.record({ verb: fc.constant('startDialog'), dialog: field(fc.constantFrom('attendance', 'suspension', 'admission', 'pep', 'x')) }),
        fc.constant({ verb: 'showHelp' }),
        fc.constant({ verb: 'showMenu' }),
        fc.record({ verb: field(fc.constantFrom('back', 'cancel', 'help', 'answer', 'junk')), question: field(fc.constantFrom(...QUESTIONS, 'junk')) }),
      ),
    ),
  );
  const commands = say(fc.constantFrom('help', 'menu', 'cancel', 'back', 'hello', '?', 'stop', 'go back', 'send', ''));
  const anyValue = submit(fc.jsonValue({ maxDepth: 3 }));
  const mention = fc
    .tuple(fc.constantFrom('attendance', 'help', 'menu'), fc.constantFrom('<at>Bot</at>', '<at>Megan Bowen</at>'))
    .map(([word, at]): Turn => ({ type: 'message', text: `${at} ${word}`, entities: [{ type: 'mention', mentioned: { id: '28:bot-id', name: 'Bot' }, text: '<at>Bot</at>' }] }));
  const junkEntities = fc
    .tuple(userText, fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.array(fc.record({ type: field(fc.constantFrom('mention', 'clientInfo', 'x')), mentioned: field(fc.jsonValue({ maxDepth: 1 })), text: field(fc.string()) }))))
    .map(([text, entities]): Turn => ({ type: 'message', text, entities }));
  const caseId = fc.oneof(fc.constantFrom(...caseIds), fc.constantFrom('20261123T090000Z-ZZZZZZ', "x' or 1 eq 1", '', '20261123T090000Z-ABC12'), marked(30));
  const actionData = withExtras(
    fc.record(
      {
        caseId: field(caseId),
        stepId: field(fc.oneof(fc.constantFrom(...stepIds), fc.constantFrom("lead.dsl' or '", 'x'))),
        declineReason: field(userText),
        amendReason: field(userText),
        amendNote: field(userText),
        amendSend: field(fc.oneof(fc.string(), fc.array(fc.string(), { maxLength: 3 }))),
        matchPupilId: field(fc.oneof(fc.constantFrom(...A_IDS, ...B_IDS, 'notListed', '', '../x'), marked(70))),
        matchPupilName: field(fc.oneof(fc.constantFrom(...NAMES, ''), marked(130))),
      },
      { requiredKeys: [] },
    ),
  );
  const cardAction = fc.record({
    type: fc.constant('invoke' as const),
    name: fc.constant('adaptiveCard/action'),
    value: fc.oneof(
      { weight: 5, arbitrary: fc.record({ action: field(fc.record({ type: field(fc.constantFrom('Action.Execute', 'Action.Submit', 'x')), verb: field(fc.constantFrom(...APPROVAL_VERBS, 'deleteEverything', '')), data: field(actionData) }, { requiredKeys: [] })), trigger: field(fc.constantFrom('manual', 'automatic')) }, { requiredKeys: [] }) },
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
    ),
  });
  const search = fc.record({
    type: fc.constant('invoke' as const),
    name: fc.constant('application/search'),
    value: fc.oneof(
      { weight: 6, arbitrary: fc.record({ kind: field(fc.constantFrom('search', 'searchAnswer', 'typeAhead', 'x')), queryText: field(fc.oneof(fc.constantFrom(...NAMES, ...NAME_PARTS, ...ODATA_TRICKS), marked(150))), queryOptions: field(fc.record({ skip: field(fc.integer()), top: field(fc.integer()) })), dataset: field(fc.constantFrom('pupils', 'other', '')) }, { requiredKeys: [] }) },
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
    ),
  });
  const otherInvoke = fc.record({
    type: fc.constant('invoke' as const),
    name: fc.oneof(fc.constantFrom('task/fetch', 'task/submit', 'composeExtension/query', 'signin/verifyState', 'config/fetch', 'healthCheck', 'actionableMessage/executeAction', ''), fc.string({ maxLength: 80 }), wrongType),
    value: fc.jsonValue({ maxDepth: 2 }),
  });
  const others = fc.oneof(
    fc.record({ type: fc.constant('conversationUpdate'), membersAdded: field(fc.constantFrom([{ id: '28:bot-id' }], [{ id: 'someone' }], [], [null], 'x')) }),
    fc.record({ type: fc.constant('installationUpdate'), action: field(fc.constantFrom('add', 'remove', 'add-upgrade', 'x')) }),
    fc.record({ type: fc.constantFrom('event', 'typing', 'messageReaction', 'endOfConversation', 'messageUpdate', 'messageDelete', 'x'), value: field(fc.jsonValue({ maxDepth: 2 })), name: field(fc.string({ maxLength: 20 })) }),
  ).map((activity): Turn => ({ type: 'other', activity }));
  return fc.oneof(
    { weight: 3, arbitrary: menu },
    { weight: 2, arbitrary: commands },
    { weight: 3, arbitrary: say(userText) },
    { weight: 2, arbitrary: anyValue },
    { weight: 1, arbitrary: mention },
    { weight: 1, arbitrary: junkEntities },
    { weight: 3, arbitrary: cardAction },
    { weight: 3, arbitrary: search },
    { weight: 1, arbitrary: otherInvoke },
    { weight: 1, arbitrary: others },
    { weight: 2, arbitrary: pupilTurn },
    { weight: 1, arbitrary: attendanceDetails },
    { weight: 1, arbitrary: admissionDetails },
    { weight: 1, arbitrary: newStarter },
    { weight: 1, arbitrary: confirm },
  );
}

const addressing: fc.Arbitrary<Addressing | undefined> = fc.oneof(
  { weight: 12, arbitrary: fc.constant(undefined) },
  {
    weight: 1,
    arbitrary: fc.record(
      {
        channelData: fc.constantFrom({ tenant: { id: 5 } }, { tenant: null }, 'x', null, [], { tenant: { id: '' } }),
        conversationTenant: fc.constantFrom(5, '', null, undefined, SCHOOL_B_TENANT_ID),
        aadObjectId: fc.constantFrom(5, '', null, undefined, 'x'.repeat(300)),
      },
      { requiredKeys: [] },
    ),
  },
);

interface Scenario {
  person: Person;
  turns: Turn[];
}

/** A dialog's path with noise dropped in at generated places, sent by one person in one conversation. */
function scenarios(caseIds: readonly string[], stepIds: readonly string[]): fc.Arbitrary<Scenario> {
  const noise = noiseTurns(caseIds, stepIds);
  return fc
    .record({
      person: fc.constantFrom(...PEOPLE),
      path: paths,
      noise: fc.array(fc.tuple(fc.nat(), noise), { maxLength: 5 }),
      mutations: fc.array(fc.tuple(fc.nat(), addressing), { maxLength: 2 }),
    })
    .map(({ person, path, noise: extra, mutations }) => {
      const turns = [...path];
      for (const [at, turn] of extra) turns.splice(at % (turns.length + 1), 0, turn);
      for (const [at, mutate] of mutations) if (mutate) turns[at % turns.length] = { ...turns[at % turns.length]!, mutate };
      return { person, turns };
    });
}

// ---------------------------------------------------------------------------------------------
// Turning a turn into a Teams activity.

let conversations = 0;
function activityFor(turn: Turn, person: Person, conversationId: string, serviceUrl: string): Record<string, unknown> {
  const base: Record<string, unknown> = {
    id: `fuzz-${++conversations}`,
    channelId: 'msteams',
    serviceUrl,
    timestamp: MONDAY_9AM.toISOString(),
    locale: 'en-GB',
    from: { id: `29:${person.aadObjectId}`, name: person.name, aadObjectId: person.aadObjectId },
    recipient: { id: '28:bot-id', name: 'Bot' },
    conversation: { id: conversationId, conversationType: 'personal', tenantId: person.tenantId },
    channelData: { tenant: { id: person.tenantId } },
  };
  let activity: Record<string, unknown>;
  if (turn.type === 'message') {
    activity = { ...base, type: 'message', ...(turn.text !== undefined ? { text: turn.text, textFormat: 'plain' } : {}), ...(turn.value !== undefined ? { value: turn.value } : {}), ...(turn.entities !== undefined ? { entities: turn.entities } : {}) };
  } else if (turn.type === 'invoke') {
    activity = { ...base, type: 'invoke', name: turn.name, value: turn.value };
  } else {
    activity = { ...base, ...turn.activity };
  }
  const m = turn.mutate;
  if (m) {
    if ('channelData' in m) activity.channelData = m.channelData;
    if ('conversationTenant' in m) activity.conversation = { ...(activity.conversation as object), tenantId: m.conversationTenant };
    if ('aadObjectId' in m) activity.from = { ...(activity.from as object), aadObjectId: m.aadObjectId };
  }
  return activity;
}

/** Every string a turn carries, for recognising echoes of it. */
function stringsIn(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => stringsIn(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => stringsIn(v, out));
  return out;
}

// ---------------------------------------------------------------------------------------------
// What must hold of every reply.

const IMPLEMENTED_INVOKES = new Set(['application/search', 'adaptiveCard/action']);
const STACK = /\n\s+at\s|node_modules|\.(ts|js):\d+|\bat (Object|async|new)\b/;

interface Seen {
  person: Person;
  /** Every string sent so far in this conversation. */
  sent: string[];
}

/** As typed, after the trimming and control-character stripping the product does. */
function literalForms(s: string): string[] {
  return [s, s.trim(), stripControl(s.trim()), stripControl(s).trim()];
}

function fail(what: string, detail: unknown): never {
  throw new Error(`${what}: ${JSON.stringify(detail).slice(0, 1500)}`);
}

/** A card: valid, and user text only ever in a TextRun (shown literally) or an input's value. */
function checkCardContent(card: unknown, seen: Seen): void {
  const { errors } = checkCard(card);
  if (errors.length > 0) fail('a card that does not validate', { errors, card });
  const userStrings = seen.sent.filter((s) => s.includes(MARK));
  const walk = (node: unknown, parentType: string | undefined, key: string | undefined): void => {
    if (typeof node === 'string') {
      if (!node.includes(MARK)) return;
      if (parentType === 'TextRun' && key === 'text') {
        if (!userStrings.some((s) => literalForms(s).some((f) => f.includes(MARK) && node.includes(f)))) fail('user text changed on its way into a TextRun', { shown: node, sent: userStrings });
        return;
      }
      if (parentType?.startsWith('Input.') && key === 'value') return;
      fail(`user text in a "${key}" of a ${parentType ?? 'card'}, where Markdown or templates would apply`, { node });
    }
    if (Array.isArray(node)) return node.forEach((n) => walk(n, parentType, key));
    if (node && typeof node === 'object') {
      const type = typeof (node as { type?: unknown }).type === 'string' ? (node as { type: string }).type : parentType;
      for (const [k, v] of Object.entries(node)) {
        // Submit data is sent back, never shown.
        if (k === 'data') continue;
        walk(v, type, k);
      }
    }
  };
  walk(card, undefined, undefined);
}

/** Nothing about a child the person may not see, anywhere in what they were sent. */
function checkVisibility(value: unknown, viewer: Viewer): void {
  const text = stringsIn(value).join('\n');
  for (const forbidden of FORBIDDEN[viewer]) if (text.includes(forbidden)) fail(`a ${viewer} reader was shown "${forbidden}"`, text.slice(0, 1000));
}

function checkReplies(replies: readonly Partial<Activity>[], seen: Seen): void {
  for (const reply of replies) {
    if (typeof reply.text === 'string' && reply.text.includes(MARK)) fail('user text echoed in a plain message (Teams renders Markdown there)', reply.text);
    for (const attachment of reply.attachments ?? []) checkCardContent(attachment.content, seen);
    checkVisibility(reply, seen.person.viewer);
    if (typeof reply.text === 'string' && /something went wrong on our side/.test(reply.text)) fail('the turn failed', reply.text);
  }
}

/** A search answers only with the caller's own school's children whose names match, and nothing for junk. */
function checkSearch(queryText: unknown, results: ReadonlyArray<{ title: string; value: string }>, viewer: Viewer): void {
  const query = typeof queryText === 'string' ? normaliseName(queryText.slice(0, 100)) : '';
  for (const r of results) {
    const pupil = VISIBLE_PUPILS[viewer].find((p) => p.id === r.value);
    if (!pupil) fail(`search gave a ${viewer} reader a child not theirs`, r);
    if (r.title !== labelOf(pupil)) fail('search result mislabelled', r);
    const tokens = normaliseName(`${pupil.givenName} ${pupil.familyName}`).split(/[ -]/);
    if (!query.split(' ').every((w) => tokens.some((t) => t.startsWith(w)))) fail('search result does not match the query', { queryText, r });
  }
  const junk = typeof queryText === 'string' && (ODATA_TRICKS.includes(queryText) || queryText.startsWith(MARK));
  if (junk && results.length > 0) fail('search for junk found children', { queryText, results });
}

function checkInvoke(turn: InvokeTurn, status: number, body: unknown, seen: Seen): void {
  const name = turn.name;
  const implemented = typeof name === 'string' && IMPLEMENTED_INVOKES.has(name);
  if (status >= 500 && !(status === 501 && !implemented)) fail(`invoke ${String(name)} answered ${status}`, body);
  if (STACK.test(JSON.stringify(body ?? ''))) fail('a stack in an invoke response', body);
  checkVisibility(body, seen.person.viewer);
  const b = body as { type?: string; value?: unknown } | undefined;
  if (b?.type === 'application/vnd.microsoft.card.adaptive') checkCardContent(b.value, seen);
  if (b?.type === 'application/vnd.microsoft.search.searchResponse') {
    const q = (turn.value as { queryText?: unknown } | null)?.queryText;
    checkSearch(q, ((b.value as { results?: Array<{ title: string; value: string }> }).results ?? []), seen.person.viewer);
  }
}

// ---------------------------------------------------------------------------------------------
// A logger that keeps every error: a turn error or failed background work is a crash.

function errorCollector(): { logger: pino.Logger; errors: string[] } {
  const errors: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      const line = chunk.toString('utf8');
      if ((JSON.parse(line) as { level: number }).level >= 50) errors.push(line);
      done();
    },
  });
  return { logger: pino({ level: 'warn' }, stream), errors };
}

// ---------------------------------------------------------------------------------------------

describe('fuzzing the bot with generated activities and card submits', () => {
  let inProcessCount = 0;
  let httpCount = 0;
  const started = Date.now();
  let azurite: MemoryAzurite;
  beforeAll(async () => {
    azurite = await startMemoryAzurite();
  });
  afterAll(() => azurite.stop());

  afterAll(() => {
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`fuzz: ${inProcessCount} activities in-process + ${httpCount} over HTTP = ${inProcessCount + httpCount} generated inputs, seed ${SEED}, ${seconds} s`);
  });

  describe('in-process (through the server\'s envelope check)', () => {
    let store: TableStore;
    let parts: ReturnType<typeof composeBot>;
    let sender: RecordingSender;
    let collected: ReturnType<typeof errorCollector>;
    const caseIds: string[] = [];
    const stepIds: string[] = [];
    let bCaseBefore: string;

    /** One activity, as the HTTP server would pass it on: the envelope first, then the bot. */
    async function deliver(activity: Record<string, unknown>): Promise<{ status: number; replies: Partial<Activity>[]; body?: unknown }> {
      inProcessCount++;
      const envelope = activityEnvelope.safeParse(activity);
      if (!envelope.success) return { status: 400, replies: [] };
      const adapter = new TestAdapter((context) => parts.bot.run(context));
      await adapter.receiveActivity(envelope.data as unknown as Partial<Activity>);
      const all = adapter.activeQueue.splice(0);
      const invoke = all.find((r) => r.type === 'invokeResponse')?.value as { status: number; body?: unknown } | undefined;
      const replies = all.filter((r) => r.type !== 'invokeResponse');
      return activity.type === 'invoke' ? { status: invoke?.status ?? 501, body: invoke?.body, replies } : { status: 200, replies };
    }

    async function runScenario(s: Scenario): Promise<void> {
      const conversationId = `fuzz-conv-${++conversations}`;
      const seen: Seen = { person: s.person, sent: [] };
      for (const turn of s.turns) {
        const activity = activityFor(turn, s.person, conversationId, 'http://127.0.0.1/');
        seen.sent.push(...stringsIn(activity.text), ...stringsIn(activity.value));
        const { status, replies, body } = await deliver(activity);
        checkReplies(replies, seen);
        if (turn.type === 'invoke' && status !== 400) checkInvoke(turn, status, body, seen);
      }
    }

    async function caseSnapshot(schoolId: string, caseId: string): Promise<string> {
      const [record, audit, notifications] = await Promise.all([
        parts.cases.get(schoolId, caseId),
        parts.cases.auditTrail(schoolId, caseId),
        parts.cases.notifications(schoolId, caseId),
      ]);
      return JSON.stringify({ record, audit: audit.map((a) => a.action), notifications: notifications.filter((n) => n.channel === 'email').map((n) => n.status) });
    }

    beforeAll(async () => {
      const prefix = await seedTwoSchools(azurite.connectionString);
      store = new TableStore({ connectionString: azurite.connectionString, tablePrefix: prefix });
      sender = new RecordingSender();
      collected = errorCollector();
      parts = composeBot(store, collected.logger, sender, { demo: true, allowedTenantIds: [], clock: () => MONDAY_9AM, mailer: new RecordingMailer(), random: () => 0.5 });
      // Every member of staff of both schools has the app, as in a school that uses it: their cards
      // go at once instead of waiting (and every turn would otherwise re-read the waiting ones).
      for (const school of [demoSchool, schoolB]) {
        for (const member of school.staff) {
          await parts.conversationRefs.save({
            tenantId: school.tenantId, scope: 'personal', conversationId: `installed-${member.aadObjectId}`, serviceUrl: 'http://127.0.0.1/', channelId: 'msteams',
            botId: '28:bot-id', aadObjectId: member.aadObjectId, userId: `29:${member.aadObjectId}`, updatedAt: MONDAY_9AM.toISOString(),
          });
        }
      }
      // A real case in each school, so generated actions can name them.
      for (const [person, schoolId, pupilId] of [[PEOPLE[0]!, 'oakfield-demo', 'demo-p02'], [PEOPLE[4]!, SCHOOL_B_ID, 'brook-p01']] as const) {
        const conversationId = `setup-${person.key}`;
        const send = async (turn: Turn) => (await deliver(activityFor(turn, person, conversationId, 'http://127.0.0.1/'))).replies;
        await send({ type: 'message', text: 'suspension' });
        await send({ type: 'message', value: { verb: 'answer', question: 'pupil', pupilId } });
        await send({ type: 'message', text: 'Threw a chair.' });
        await send({ type: 'message', value: { verb: 'answer', question: 'tried', tried: '' } });
        const replies = await send({ type: 'message', text: 'no' });
        const card = replies.at(-1)?.attachments?.[0]?.content as { actions: Array<{ data: { draftId?: string } }> };
        const draftId = card.actions[0]!.data.draftId!;
        await send({ type: 'message', text: 'send' });
        const saved = (await parts.cases.findByDraft(schoolId, draftId))!;
        caseIds.push(saved.caseId);
        stepIds.push(...(await parts.cases.actions(schoolId, saved.caseId)).map((a) => a.stepId));
      }
      await parts.background.settled();
      bCaseBefore = await caseSnapshot(SCHOOL_B_ID, caseIds[1]!);
      inProcessCount = 0;
    });

    it(`${IN_PROCESS_RUNS} runs of ${LANES} concurrent conversations: no crash, valid cards, literal echoes, no child shown to the wrong reader`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(scenarios(caseIds, stepIds), { minLength: LANES, maxLength: LANES }), async (lanes) => {
          await Promise.all(lanes.map(runScenario));
          await parts.background.settled();
          if (collected.errors.length > 0) fail('an error was logged (a crash)', collected.errors.splice(0));
        }),
        { seed: SEED, numRuns: IN_PROCESS_RUNS, endOnFailure: true },
      );
      // Proactive cards (to the DSL, DT and others) obey the same rules.
      for (const s of sender.sent) {
        const viewer = viewerOf(s.ref.tenantId, s.ref.aadObjectId);
        for (const a of s.activity.attachments ?? []) {
          const { errors } = checkCard(a.content);
          expect(errors).toEqual([]);
        }
        checkVisibility(s.activity, viewer);
      }
      // School B's case was named in generated actions by school A's leads: it never changed.
      expect(await caseSnapshot(SCHOOL_B_ID, caseIds[1]!)).toBe(bCaseBefore);
      expect(collected.errors).toEqual([]);
    }, 120_000);

    it('a search with OData quote tricks finds nothing, and a plain name still finds the child', async () => {
      const dsl = PEOPLE.find((p) => p.key === 'aDsl')!;
      for (const queryText of ODATA_TRICKS) {
        const { status, body } = await deliver(activityFor({ type: 'invoke', name: 'application/search', value: { kind: 'search', queryText, dataset: 'pupils' } }, dsl, 'odata-search', 'http://127.0.0.1/'));
        expect(status).toBe(200);
        expect({ queryText, results: (body as { value: { results: unknown[] } }).value.results }).toEqual({ queryText, results: [] });
      }
      const { body } = await deliver(activityFor({ type: 'invoke', name: 'application/search', value: { kind: 'search', queryText: 'Sam', dataset: 'pupils' } }, dsl, 'odata-search', 'http://127.0.0.1/'));
      expect((body as { value: { results: unknown[] } }).value.results).toEqual([{ title: 'Sam Thistlewood (Year 4)', value: 'demo-p01' }]);
    });

    it('user text with Markdown, mentions and templates comes back as the same characters, in a TextRun (a bidirectional override removed)', async () => {
      const teacher = PEOPLE[0]!;
      const typed = `${MARK} **bold** [link](http://evil.example.org) <at>Megan Bowen</at> \${pupil.name} {{name}} <script>x</script> \u202Eevil`;
      const c = 'literal-echo';
      await deliver(activityFor({ type: 'message', text: 'suspension' }, teacher, c, 'http://127.0.0.1/'));
      await deliver(activityFor({ type: 'message', value: { verb: 'answer', question: 'pupil', notOnRegister: typed } }, teacher, c, 'http://127.0.0.1/'));
      const { replies } = await deliver(activityFor({ type: 'message', text: typed }, teacher, c, 'http://127.0.0.1/'));
      const runs: string[] = [];
      const walk = (n: unknown): void => {
        if (Array.isArray(n)) n.forEach(walk);
        else if (n && typeof n === 'object') {
          if ((n as { type?: string }).type === 'TextRun') runs.push((n as { text: string }).text);
          Object.values(n).forEach(walk);
        }
      };
      walk(replies.map((r) => r.attachments?.[0]?.content));
      // The same characters, but for the right-to-left override, which could make it read differently (security round two, item 12).
      expect(runs).toContain(`About: ${typed.replace('\u202E', '')} (not on the register)`);
      checkReplies(replies, { person: teacher, sent: [typed] });
    });
  });

  describe('over HTTP (POST /api/messages)', () => {
    let connector: ConnectorStub;
    let app: App & { address: { port: number } };
    let url: string;
    let collected: ReturnType<typeof errorCollector>;
    let dataDir: string;

    beforeAll(async () => {
      connector = new ConnectorStub();
      await connector.start();
      dataDir = mkdtempSync(path.join(os.tmpdir(), 'swbot-fuzz-'));
      const prefix = await seedTwoSchools(azurite.connectionString);
      collected = errorCollector();
      const config = loadConfig({ PORT: '0', LOG_LEVEL: 'warn', TABLE_PREFIX: prefix, ALLOWED_SERVICE_URLS: connector.url, DATA_DIR: dataDir });
      app = await startApp(config, collected.logger, { kind: 'connectionString', connectionString: azurite.connectionString });
      url = `http://127.0.0.1:${app.address.port}`;
    });
    afterAll(async () => {
      await app.stop();
      await connector.stop();
      rmSync(dataDir, { recursive: true, force: true });
    });

    /** The envelope gone wrong: fields missing or of the wrong type, or a body that is not an activity at all. */
    type Wrapping = { kind: 'as is' } | { kind: 'drop'; key: string } | { kind: 'set'; key: string; value: unknown } | { kind: 'raw'; body: string; contentType?: string } | { kind: 'pad'; bytes: number };
    const wrapping: fc.Arbitrary<Wrapping> = fc.oneof(
      { weight: 10, arbitrary: fc.constant({ kind: 'as is' as const }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('drop' as const), key: fc.constantFrom('type', 'channelId', 'serviceUrl', 'conversation', 'from', 'recipient', 'id', 'channelData') }) },
      {
        weight: 3,
        arbitrary: fc.record({
          kind: fc.constant('set' as const),
          key: fc.constantFrom('type', 'channelId', 'serviceUrl', 'conversation', 'from', 'recipient', 'text', 'value', 'channelData', 'entities', 'attachments', 'locale', 'timestamp', 'replyToId', 'name'),
          value: fc.oneof(wrongType, fc.jsonValue({ maxDepth: 2 }), fc.constantFrom('javascript:alert(1)', 'http://attacker.example.org/', 'x'.repeat(600), { id: 5 }, { id: '' })),
        }),
      },
      {
        weight: 1,
        arbitrary: fc.record({
          kind: fc.constant('raw' as const),
          body: fc.oneof(fc.string({ maxLength: 50 }), fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)), fc.constantFrom('', 'null', '[]', '{"type":', '{"type":"message"}'), fc.integer({ min: 1, max: 20_000 }).map((n) => '['.repeat(n) + ']'.repeat(n))),
          contentType: fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', undefined),
        }),
      },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('pad' as const), bytes: fc.integer({ min: 200_000, max: 300_000 }) }) },
    );

    async function post(body: string, contentType: string | undefined): Promise<{ status: number; text: string }> {
      httpCount++;
      const res = await fetch(`${url}/api/messages`, { method: 'POST', headers: contentType ? { 'content-type': contentType } : {}, body });
      return { status: res.status, text: await res.text() };
    }

    it(`${HTTP_RUNS} runs of ${HTTP_LANES} concurrent conversations: no 5xx with a stack, valid cards, and the server keeps serving`, async () => {
      const noise = noiseTurns(['20261123T090000Z-ZZZZZZ'], ['lead.dsl']);
      const scenario = fc.record({ s: scenarios(['20261123T090000Z-ZZZZZZ'], ['lead.dsl']), wraps: fc.array(wrapping, { minLength: 12, maxLength: 12 }), more: fc.array(noise, { maxLength: 3 }) });
      await fc.assert(
        fc.asyncProperty(fc.array(scenario, { minLength: HTTP_LANES, maxLength: HTTP_LANES }), async (lanes) => {
          await Promise.all(
            lanes.map(async ({ s, wraps, more }) => {
              const conversationId = `http-conv-${++conversations}`;
              const seen: Seen = { person: s.person, sent: [] };
              const turns = [...s.turns, ...more];
              for (const [i, turn] of turns.entries()) {
                const activity = activityFor(turn, s.person, conversationId, connector.url);
                const w = wraps[i % wraps.length]!;
                let body: string;
                let contentType: string | undefined = 'application/json';
                if (w.kind === 'drop') delete activity[w.key];
                if (w.kind === 'set') activity[w.key] = w.value;
                if (w.kind === 'pad') activity.value = { verb: 'answer', question: 'whatHappened', whatHappened: `${MARK}${'x'.repeat(w.bytes)}` };
                if (w.kind === 'raw') ({ body, contentType } = w);
                else body = JSON.stringify(activity);
                seen.sent.push(...stringsIn(activity.text), ...stringsIn(activity.value));
                const before = connector.sent.length;
                const res = await post(body, contentType);
                if (STACK.test(res.text)) fail('a stack in a response body', res.text);
                // The activity as sent: a wrap may have replaced the invoke's name.
                const implemented = activity.type === 'invoke' && typeof activity.name === 'string' && IMPLEMENTED_INVOKES.has(activity.name);
                const unimplementedInvoke = w.kind !== 'raw' && activity.type === 'invoke' && !implemented;
                if (res.status >= 500 && !(res.status === 501 && unimplementedInvoke)) fail(`HTTP ${res.status}`, { body: res.text, activity: JSON.stringify(activity).slice(0, 500) });
                if (res.status === 200 && w.kind !== 'raw') {
                  const replies = connector.sent.slice(before).filter((x) => x.conversationId === conversationId).map((x) => x.body as Partial<Activity>);
                  checkReplies(replies, seen);
                  if (turn.type === 'invoke' && w.kind === 'as is' && res.text) checkInvoke(turn, res.status, JSON.parse(res.text), seen);
                }
              }
            }),
          );
          if (collected.errors.length > 0) fail('an error was logged (a crash)', collected.errors.splice(0));
        }),
        { seed: SEED, numRuns: HTTP_RUNS, endOnFailure: true },
      );
      // Everything the bot sent to the connector validates, replies and proactive cards alike.
      for (const s of connector.sent) for (const a of (s.body.attachments as Array<{ content: unknown }> | undefined) ?? []) expect(checkCard(a.content).errors).toEqual([]);
      expect(collected.errors).toEqual([]);
      // Still serving: health, and a greeting gets the welcome card.
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      const before = connector.sent.length;
      const hello = activityFor({ type: 'message', text: 'hello' }, PEOPLE[0]!, 'after-fuzz', connector.url);
      expect((await post(JSON.stringify(hello), 'application/json')).status).toBe(200);
      expect(JSON.stringify(connector.sent.slice(before))).toContain('Oakfield Primary (demo)');
    }, 120_000);

    it('counts: at least 10,000 generated inputs in all, at least 1,000 of them over HTTP', () => {
      expect(httpCount).toBeGreaterThanOrEqual(MIN_HTTP);
      expect(inProcessCount + httpCount).toBeGreaterThanOrEqual(MIN_TOTAL);
    });
  });
});

