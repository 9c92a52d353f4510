import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Activity } from 'botbuilder';
import { NOT_SAVED_MESSAGE } from '../dialogs/form/guidedDialog';
import { connectionStringFor, startAzuriteProcess } from '../scripts/azurite';
import { CaseRepository } from '../storage/caseRepository';
import { StorageRetry, TABLES, TableStore } from '../storage/tableStore';
import { cardText, createHarness, draftIdOf, Harness, lastCard, questionOf, texts } from './support/botHarness';
import { checkCases, schoolRows } from './support/caseRows';
import { Fault, FaultKind, FaultOptions, FaultProxy, isBatch } from './support/faultProxy';
import { uniquePrefix } from './support/store';

const SCHOOL = 'oakfield-demo';
/** Short tries, so that a fault which lasts costs under a second rather than the production 25 s. */
const RETRY: StorageRetry = { maxRetries: 2, retryDelayMs: 20, maxRetryDelayMs: 100, tryTimeoutMs: 300 };
/** Longer than a try may wait: the client gives up first. */
const HOLD_MS = 700;

type Outcome = { kind: 'receipt'; ref: string; already: boolean } | { kind: 'notSaved' } | { kind: 'other'; said: string };

function outcomeOf(replies: Partial<Activity>[]): Outcome {
  const receipt = /(Already sent|Sent): ((?:ATT|SUS|ADM)-\w{5})/.exec(cardText(lastCard(replies)));
  if (receipt) return { kind: 'receipt', ref: receipt[2]!, already: receipt[1] === 'Already sent' };
  if (texts(replies).at(-1) === NOT_SAVED_MESSAGE && !lastCard(replies)) return { kind: 'notSaved' };
  return { kind: 'other', said: [...texts(replies), cardText(lastCard(replies))].join(' | ').slice(0, 300) };
}

const PUPILS = Array.from({ length: 12 }, (_, i) => `demo-p${String(i + 1).padStart(2, '0')}`);

/** A class teacher's attendance concern up to the confirmation card; the number of sessions marks it as this one. */
async function upToConfirm(h: Harness, conversation: string, pupilId: string, sessions: number): Promise<string> {
  await h.say('attendance', 'teacher', conversation);
  await h.say({ verb: 'answer', question: 'pupil', pupilId, pupilName: '' }, 'teacher', conversation);
  const confirm = lastCard(
    await h.say(
      { verb: 'answer', question: 'details', what: 'missedSessions,pattern', absenceType: 'unauthorised', reasons: '', sessionsMissed: String(sessions), attendancePercent: '', consecutiveUnauthorisedDays: '', alreadyDone: '' },
      'teacher',
      conversation,
    ),
  );
  if (questionOf(confirm) !== 'confirm') throw new Error(`expected the confirmation in ${conversation}, got ${cardText(confirm).slice(0, 200)}`);
  return draftIdOf(confirm)!;
}

const press = (h: Harness, conversation: string, draftId: string) => h.say({ verb: 'answer', question: 'confirm', draftId }, 'teacher', conversation);

/**
 * The faults, each set just before Send is pressed. "Once" faults hit the first try of the save (the
 * SDK's own retries should hide them); "lasting" ones hit every try, so the teacher must be told
 * and must be able to send again. All but the connection blip aim at the $batch that saves the case.
 */
const CATALOGUE: Array<{ name: string; fault: Fault; options: FaultOptions; cutFirst?: boolean }> = [
  { name: 'none', fault: { kind: 'pass' }, options: {} },
  { name: 'kept-alive connections cut, next one dropped', fault: { kind: 'dropOnConnect' }, options: { times: 1 }, cutFirst: true },
  { name: 'drop before the save, once', fault: { kind: 'dropBeforeRequest' }, options: { match: isBatch, times: 1 } },
  { name: 'drop before the save, lasting', fault: { kind: 'dropBeforeRequest' }, options: { match: isBatch } },
  { name: 'drop after the save, once', fault: { kind: 'dropAfterRequest' }, options: { match: isBatch, times: 1 } },
  { name: 'drop after the save, lasting', fault: { kind: 'dropAfterRequest' }, options: { match: isBatch } },
  { name: 'save held past the timeout, once', fault: { kind: 'delayRequest', ms: HOLD_MS }, options: { match: isBatch, times: 1 } },
  { name: 'save held past the timeout, lasting', fault: { kind: 'delayRequest', ms: HOLD_MS }, options: { match: isBatch } },
  { name: 'answer held past the timeout, once', fault: { kind: 'delayResponse', ms: HOLD_MS }, options: { match: isBatch, times: 1 } },
  { name: 'answer held past the timeout, lasting', fault: { kind: 'delayResponse', ms: HOLD_MS }, options: { match: isBatch } },
  { name: '503, once', fault: { kind: 'http503' }, options: { match: isBatch, times: 1 } },
  { name: '503, lasting', fault: { kind: 'http503' }, options: { match: isBatch } },
];

/**
 * Azurite runs as a child process on its own data folder (as `npm start` runs it), so that it can be
 * stopped and started again with its data, and so that its work does not share this process's core
 * with the bot under test. The bot reaches it only through the fault proxy; checks read it directly.
 */
describe('storage faults between the bot and Azure Tables', () => {
  const location = mkdtempSync(path.join(os.tmpdir(), 'swbot-faults-'));
  const prefix = uniquePrefix();
  let azurite: Awaited<ReturnType<typeof startAzuriteProcess>>;
  let proxy: FaultProxy;
  let h: Harness;

  /** A client straight to Azurite (never through the proxy), made afresh because a restart may move its port. */
  const direct = () => new TableStore({ connectionString: azurite.connectionString, tablePrefix: prefix });
  const cases = () => new CaseRepository(direct().client(TABLES.cases));

  /** Stops Azurite as an operator would (SIGINT: it saves, then exits) and starts it again on the same data. */
  async function restartAzurite(): Promise<void> {
    const port = azurite.port;
    const stopping = azurite.stop();
    // Kept-alive sockets would hold the old process open; a restart drops them anyway.
    proxy.cutAll();
    await stopping;
    azurite = await startAzuriteProcess(location, port);
    proxy.retarget(azurite.port);
  }

  beforeAll(async () => {
    azurite = await startAzuriteProcess(location, 0);
    proxy = new FaultProxy(azurite.port);
    await proxy.start();
    const viaProxy = new TableStore({ connectionString: connectionStringFor('127.0.0.1', proxy.port), tablePrefix: prefix, retry: RETRY });
    await viaProxy.ensureTables();
    h = await createHarness({ store: viaProxy });
  }, 30_000);
  afterAll(async () => {
    await proxy?.stop();
    await azurite?.stop();
    rmSync(location, { recursive: true, force: true });
  });

  it('every Send ends with a reference and one saved case, or "not saved" and nothing saved; sending again saves once', async () => {
    const N = 60;
    const stats = { attempted: 0, savedFirstTime: 0, notSavedThenSaved: 0, duplicates: 0, lost: 0, answerLostButSaved: 0 };
    const byFault = new Map<string, { receipt: number; notSaved: number }>();
    const refs = new Map<string, { draftId: string; sessions: number }>();
    const problems: string[] = [];

    for (let i = 0; i < N; i++) {
      const entry = CATALOGUE[i % CATALOGUE.length]!;
      const conversation = `faults-${i}`;
      const sessions = i + 1;
      const draftId = await upToConfirm(h, conversation, PUPILS[i % PUPILS.length]!, sessions);

      if (entry.cutFirst) {
        proxy.cutAll();
        // Let the client see its sockets close, or its next request meets a dead one (another failure on top).
        await new Promise((r) => setTimeout(r, 50));
      }
      proxy.set(entry.fault, entry.options);
      stats.attempted++;
      let replies: Partial<Activity>[];
      try {
        replies = await press(h, conversation, draftId);
      } finally {
        proxy.pass();
      }
      const first = outcomeOf(replies);
      const tally = byFault.get(entry.name) ?? { receipt: 0, notSaved: 0 };
      byFault.set(entry.name, tally);

      if (first.kind === 'other') {
        problems.push(`#${i} (${entry.name}): neither a receipt nor "not saved": ${first.said}`);
        continue;
      }
      if (first.kind === 'receipt') {
        tally.receipt++;
        stats.savedFirstTime++;
        if (first.already) problems.push(`#${i} (${entry.name}): told "already sent" for a first press`);
        const saved = await cases().findByDraft(SCHOOL, draftId);
        if (!saved || saved.ref !== first.ref) {
          stats.lost++;
          problems.push(`#${i} (${entry.name}): receipt ${first.ref} but the draft row says ${saved?.ref ?? 'nothing'}`);
        }
        refs.set(first.ref, { draftId, sessions });
      } else {
        tally.notSaved++;
        // Nothing half-saved: no draft row and no case for this draft. (Rows left behind by a case
        // that was not saved would outlive it: the check of every row at the end finds those.)
        if (await cases().findByDraft(SCHOOL, draftId)) problems.push(`#${i} (${entry.name}): "not saved" but the draft row exists`);
        const saved = checkCases(await schoolRows(direct(), SCHOOL, 'case|'));
        if (saved.casesByDraft.has(draftId)) problems.push(`#${i} (${entry.name}): "not saved" but a case was saved`);

        // The teacher presses Send again on the same card, with the storage back.
        const again = outcomeOf(await press(h, conversation, draftId));
        if (again.kind !== 'receipt' || again.already) {
          stats.lost++;
          problems.push(`#${i} (${entry.name}): second press gave ${JSON.stringify(again)}`);
          continue;
        }
        stats.notSavedThenSaved++;
        refs.set(again.ref, { draftId, sessions });
      }
    }

    // Afterwards, from the rows themselves: each reference once, each draft once, its answers intact, nothing orphaned.
    const check = checkCases(await schoolRows(direct()));
    for (const [draftId, ids] of check.casesByDraft) {
      if (ids.length > 1) {
        stats.duplicates++;
        problems.push(`draft ${draftId} saved ${ids.length} times`);
      }
    }
    for (const [ref, { draftId, sessions }] of refs) {
      const ids = check.casesByRef.get(ref) ?? [];
      if (ids.length !== 1) {
        stats.lost++;
        problems.push(`${ref}: ${ids.length} cases`);
        continue;
      }
      const record = await cases().get(SCHOOL, ids[0]!);
      if (record?.draftId !== draftId || record.answers.caseType !== 'attendance' || record.answers.sessionsMissed !== sessions) {
        problems.push(`${ref}: saved with the wrong draft or answers`);
      }
    }
    if (check.casesByDraft.size !== refs.size) problems.push(`${check.casesByDraft.size} cases saved for ${refs.size} receipts`);
    if (check.orphans.length > 0) problems.push(`rows without a case: ${check.orphans.slice(0, 5).join(', ')}`);
    if (check.incomplete.length > 0) problems.push(`cases missing their ref or draft row: ${check.incomplete.join(', ')}`);

    const injected = Object.fromEntries(Object.entries(proxy.injected).filter(([, n]) => n > 0)) as Partial<Record<FaultKind, number>>;
    console.log(
      [
        'Storage faults at Send',
        `  confirmations attempted: ${stats.attempted}`,
        `  faults injected (requests or connections hit, by kind): ${JSON.stringify(injected)}`,
        `  saved first time: ${stats.savedFirstTime}`,
        `  "not saved", then saved on pressing Send again: ${stats.notSavedThenSaved}`,
        `  duplicates: ${stats.duplicates}`,
        `  lost: ${stats.lost}`,
        '  by fault (receipt / not saved):',
        ...[...byFault].map(([name, t]) => `    ${name}: ${t.receipt} / ${t.notSaved}`),
      ].join('\n'),
    );

    expect(problems).toEqual([]);
    expect(stats.duplicates).toBe(0);
    expect(stats.lost).toBe(0);
    expect(stats.savedFirstTime + stats.notSavedThenSaved).toBe(N);
    // Each kind of fault really happened, and the lasting ones that never reach Azurite were reported as not saved.
    for (const kind of ['dropOnConnect', 'dropBeforeRequest', 'dropAfterRequest', 'delayRequest', 'delayResponse', 'http503'] as const) expect(proxy.injected[kind]).toBeGreaterThan(0);
    for (const name of ['drop before the save, lasting', 'save held past the timeout, lasting', '503, lasting']) expect(byFault.get(name)).toEqual({ receipt: 0, notSaved: 5 });
    // A save that was applied but whose answer never came back is found by its draft: a receipt, not "not saved".
    for (const name of ['drop after the save, once', 'drop after the save, lasting', 'answer held past the timeout, lasting']) expect(byFault.get(name)).toEqual({ receipt: 5, notSaved: 0 });
  }, 150_000);

  it('Azurite restarted in the middle of a run of confirmations: every concern given a reference exists afterwards', async () => {
    // Three teachers at once, each raising concerns one after another. When each has their third
    // confirmation on screen, Azurite is stopped (it saves its data as it goes), left down for a
    // moment and started again; they press Send as it stops, and carry on.
    const LANES = 3;
    const PER_LANE = 6;
    const AT = 2;
    const DOWN_MS = 800;
    let waiting = 0;
    let release!: () => void;
    const restartBegun = new Promise<void>((resolve) => (release = resolve));
    type Phase = 'before' | 'during' | 'after';
    const got: Array<{ ref: string; draftId: string; phase: Phase }> = [];
    const restart: { began?: number; ended?: number } = {};
    let unanswered = 0;
    let notSaved = 0;
    /** When Send was first pressed, against the restart: before it began, while it ran, or after. */
    const phaseAt = (t: number): Phase => (restart.began === undefined || t < restart.began ? 'before' : restart.ended === undefined || t < restart.ended ? 'during' : 'after');

    // One bot instance per teacher (all on the same tables): a harness's reply queue is not per conversation.
    const instances = [h, ...(await Promise.all(Array.from({ length: LANES - 1 }, () => createHarness({ store: h.store }))))];

    /** One turn, sent again until the bot answers (as a teacher presses again when nothing happens). */
    const turn = async (lane: number, conversation: string, input: string | Record<string, unknown>): Promise<Partial<Activity>[]> => {
      for (let tries = 0; ; tries++) {
        try {
          return await instances[lane]!.say(input, 'teacher', conversation);
        } catch (err) {
          unanswered++;
          if (tries > 100) throw err;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    };

    /** One concern to its reference. Each answer goes to whatever the bot asks now: a turn whose answer was lost may have moved on. */
    const concern = async (lane: number, n: number): Promise<void> => {
      const conversation = `restart-${lane}-${n}`;
      let replies = await turn(lane, conversation, 'attendance');
      let draftId: string | undefined;
      let pressedAt: number | undefined;
      for (let steps = 0; steps < 200; steps++) {
        const outcome = outcomeOf(replies);
        if (outcome.kind === 'receipt') {
          got.push({ ref: outcome.ref, draftId: draftId!, phase: phaseAt(pressedAt!) });
          return;
        }
        if (outcome.kind === 'notSaved') notSaved++;
        const card = lastCard(replies);
        const question = questionOf(card);
        if (question === 'pupil') replies = await turn(lane, conversation, { verb: 'answer', question: 'pupil', pupilId: PUPILS[(lane * PER_LANE + n) % PUPILS.length]!, pupilName: '' });
        else if (question === 'details') {
          replies = await turn(lane, conversation, { verb: 'answer', question: 'details', what: 'pattern', absenceType: 'notKnown', reasons: '', sessionsMissed: String(100 + lane * PER_LANE + n), attendancePercent: '', consecutiveUnauthorisedDays: '', alreadyDone: '' });
        } else if (question === 'confirm' || draftId) {
          // The confirmation, or "not saved" (or a reply without a card) after it: press Send again.
          draftId = draftIdOf(card) ?? draftId;
          if (n === AT && pressedAt === undefined) {
            waiting++;
            await restartBegun;
            // Spread out over the shutdown: one presses at once, the others a little later.
            await new Promise((r) => setTimeout(r, lane * 150));
          }
          pressedAt ??= Date.now();
          if (outcome.kind === 'notSaved') await new Promise((r) => setTimeout(r, 100));
          replies = await turn(lane, conversation, { verb: 'answer', question: 'confirm', draftId: draftId! });
        } else replies = await turn(lane, conversation, 'attendance');
      }
      throw new Error(`${conversation} never got a reference`);
    };

    const lanes = Array.from({ length: LANES }, async (_, lane) => {
      for (let n = 0; n < PER_LANE; n++) await concern(lane, n);
    });
    while (waiting < LANES) await new Promise((r) => setTimeout(r, 10));
    restart.began = Date.now();
    const port = azurite.port;
    const stopping = azurite.stop();
    release();
    proxy.cutAll();
    await stopping;
    await new Promise((r) => setTimeout(r, DOWN_MS));
    azurite = await startAzuriteProcess(location, port);
    proxy.retarget(azurite.port);
    restart.ended = Date.now();
    await Promise.all(lanes);
    // Staff cards queued during the outage finish (or give up) before the checks and the next test.
    await Promise.all(instances.map((i) => i.parts.background.settled()));
    // And once more, on purpose: what was confirmed must be in Azurite's files, not only in the memory of the process that took it.
    await restartAzurite();

    const check = checkCases(await schoolRows(direct()));
    const missing = got.filter((g) => (check.casesByRef.get(g.ref) ?? []).length !== 1 || check.casesByDraft.get(g.draftId)?.length !== 1);
    const duplicates = [...check.casesByDraft.values()].filter((ids) => ids.length > 1).length;
    const count = (p: Phase) => got.filter((g) => g.phase === p).length;
    console.log(
      [
        'Azurite restarted mid-run',
        `  concerns confirmed: ${got.length} (Send first pressed before the restart: ${count('before')}, during it: ${count('during')}, after it: ${count('after')})`,
        `  Azurite down for ${restart.ended - restart.began} ms; turns with no answer, sent again: ${unanswered}; "not saved" replies: ${notSaved}`,
        `  after the restart and one more: missing ${missing.length}, duplicates ${duplicates}, rows without a case ${check.orphans.length}`,
      ].join('\n'),
    );
    expect(got).toHaveLength(LANES * PER_LANE);
    expect(missing).toEqual([]);
    expect(duplicates).toBe(0);
    expect(check.orphans).toEqual([]);
    expect(count('during')).toBeGreaterThan(0);
    expect(count('after')).toBeGreaterThan(0);
  }, 120_000);
});
