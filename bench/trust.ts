import { performance } from 'node:perf_hooks';
import { demoPupils, demoSchool } from '../demo/demoSchool';
import { pupilSchema } from '../policy/pupil';
import { loadSchoolProfile } from '../policy/schoolProfile';
import { ConversationRefRepository } from '../storage/conversationRefRepository';
import { PupilRepository } from '../storage/pupilRepository';
import { SchoolRepository } from '../storage/schoolRepository';
import { TABLES, TableStore } from '../storage/tableStore';
import { activity, ActivityBody, Person } from './activities';
import { BenchConnector } from './connector';
import { draftIdOn } from './scenarios';
import { SEARCH_PREFIXES, syntheticRegister } from './schoolData';
import { figuresOf, RunFigures } from './stats';
import { watchEventLoopStalls } from '../telemetry/eventLoopStalls';

/**
 * A multi-academy trust's load (issue 20): 50 schools, each with its own tenant, staff and register,
 * and 500 conversations at once (ten a school: nine class teachers and the DSL) for a minute.
 * Teachers raise attendance concerns turn by turn and search for children; each DSL approves the
 * concerns that reach their chat, as the cards arrive, and searches in between. Every name is
 * made up; every pupil is synthetic.
 */

export interface TrustSchool {
  id: string;
  tenantId: string;
  dsl: Person;
  teachers: Person[];
}

export type TrustKind = 'turn' | 'search' | 'approval';

export interface TrustResult {
  conversations: number;
  seconds: number;
  byKind: Record<TrustKind, RunFigures & { shed: number }>;
  /** Requests that failed outright (not a 503 or a "busy" answer, which Teams retries). */
  errors: number;
  firstError?: string;
  peakRssMb: number;
  /**
   * When the answers that took over a second were sent, in seconds from the start of the minute, by
   * kind: a tail in the first seconds is the cold start (every school's first reads at once), one
   * spread over the minute is the load itself.
   */
  lateAt: Record<TrustKind, number[]>;
  /** When the bench's own thread was held over a quarter of a second (seconds from the start, and for how long): every answer in flight is measured late by it. */
  benchStalls: Array<{ at: number; ms: number }>;
  /** When the minute started, to line the late answers up with the bot's log (`--keep-logs`). */
  startedAt: string;
}

/** An answer slower than this is listed, with when it was sent, beside the percentiles. */
export const LATE_MS = 1000;

const person = (school: number, n: number, role: string): Person & { email: string } => ({
  aadObjectId: `00000000-0000-0000-${String(school).padStart(4, '0')}-${String(n).padStart(12, '0')}`,
  name: `${role} ${n} of trust school ${school} (synthetic)`,
  email: `${role.toLowerCase().replace(/\s+/g, '.')}.${n}@trust-school-${school}.example.org`,
});

/** Leo Hazelgrove, a child in need in every school's register here: a concern about him needs the DSL's approval. */
const PUPIL_NEEDING_APPROVAL = 'demo-p08';

/** The trust's schools: a profile, a register of the demo children and 400 more, and the leads' chats with the bot. */
export async function seedTrustSchools(store: TableStore, serviceUrl: string, count: number): Promise<TrustSchool[]> {
  await store.ensureTables();
  const schools = new SchoolRepository(store.client(TABLES.schools));
  const pupils = new PupilRepository(store.client(TABLES.pupils));
  const refs = new ConversationRefRepository(store.client(TABLES.conversationRefs));
  const out: TrustSchool[] = [];
  for (let s = 1; s <= count; s++) {
    const id = `load-school-${String(s).padStart(2, '0')}`;
    const tenantId = `00000000-0000-0000-0000-${String(200000000000 + s)}`;
    const teachers = Array.from({ length: 9 }, (_, i) => person(s, i + 1, 'Teacher'));
    const [dsl, dt, deputy, head, senco] = ['DSL', 'DT', 'Deputy DSL', 'Head', 'SENCO'].map((role, i) => person(s, 100 + i, role));
    await schools.save(
      loadSchoolProfile({
        ...demoSchool,
        id,
        name: `Load school ${s} (synthetic)`,
        tenantId,
        staff: [
          ...teachers.map((t) => ({ ...t, roles: ['teacher'] })),
          { ...dsl!, roles: ['DSL', 'SLT'] },
          { ...dt!, roles: ['DT', 'SLT'] },
          { ...deputy!, roles: ['deputyDSL'] },
          { ...head!, roles: ['headteacher', 'SLT'] },
          { ...senco!, roles: ['SENCO', 'attendanceLead'] },
        ],
        digest: { weekday: 1, time: '08:00', channelConversationId: `slt-${id}` },
      }),
    );
    await pupils.saveAll(id, [...demoPupils.map((p) => pupilSchema.parse({ ...p, schoolId: id })), ...syntheticRegister(id, 400, id)]);
    for (const lead of [dsl!, dt!, deputy!]) {
      await refs.save({ tenantId, scope: 'personal', conversationId: chatOf(lead), serviceUrl, channelId: 'msteams', botId: '28:bot-id', aadObjectId: lead.aadObjectId, userId: `29:${lead.aadObjectId}`, updatedAt: new Date().toISOString() });
    }
    out.push({ id, tenantId, dsl: dsl!, teachers });
  }
  return out;
}

const chatOf = (p: Person) => `chat-${p.aadObjectId}`;

/** Approve buttons in a card the bot sent: the case ids they carry. */
function approveCaseIds(raw: string): string[] {
  const ids: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    // Action.Execute carries its verb beside its data; a Submit, inside it.
    const data = o.data && typeof o.data === 'object' ? (o.data as Record<string, unknown>) : o;
    if (o.verb === 'approveCase' && typeof data.caseId === 'string') ids.push(data.caseId);
    Object.values(o).forEach(walk);
  };
  try {
    walk(JSON.parse(raw));
  } catch {
    // Not JSON: nothing to approve.
  }
  return ids;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Closed loop, by time: each conversation sends its next request when the last is answered. A 503
 * is what Teams retries after Retry-After (2 s here), so the conversation waits that long and sends
 * the same request again; a card button answered "busy" is pressed again later. Both count as shed.
 */
export async function runTrust(botUrl: string, connector: BenchConnector, schools: readonly TrustSchool[], o: { conversations: number; seconds: number; peakRssMb: () => number }): Promise<TrustResult> {
  const latencies: Record<TrustKind, number[]> = { turn: [], search: [], approval: [] };
  const shed: Record<TrustKind, number> = { turn: 0, search: 0, approval: 0 };
  const lateAt: Record<TrustKind, number[]> = { turn: [], search: [], approval: [] };
  let errors = 0;
  let firstError: string | undefined;
  // Each DSL's approvals to make, as their cards arrive in their chat.
  const toApprove = new Map<string, string[]>(schools.map((s) => [chatOf(s.dsl), []]));
  const seen = new Set<string>();
  connector.onActivity = (conversationId, raw) => {
    const queue = toApprove.get(conversationId);
    if (!queue) return;
    for (const caseId of approveCaseIds(raw)) {
      if (seen.has(caseId)) continue;
      seen.add(caseId);
      queue.push(caseId);
    }
  };

  // Azure's front end holds its connections to an instance open; so does this, one a conversation,
  // opened before the minute starts. A busy Node process accepts new connections at 10 to 30 a
  // second (its listen queue measured draining at that rate), so 500 opened during the run would
  // measure that queue, not the bot.
  await Promise.all(Array.from({ length: o.conversations }, () => fetch(`${botUrl}/healthz`).then((r) => r.text())));
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const benchStalls: TrustResult['benchStalls'] = [];
  const watch = watchEventLoopStalls((s) => benchStalls.push({ at: (s.endedAt - s.ms - started) / 1000, ms: s.ms }));
  const end = started + o.seconds * 1000;
  const send = async (kind: TrustKind, body: string, check: (text: string) => 'ok' | 'busy'): Promise<boolean> => {
    const t0 = performance.now();
    try {
      const res = await fetch(`${botUrl}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const text = await res.text();
      if (res.status === 503) {
        shed[kind]++;
        await sleep(Number(res.headers.get('retry-after') ?? '2') * 1000);
        return false;
      }
      if (res.status !== 200) throw new Error(`answered ${res.status}: ${text.slice(0, 200)}`);
      if (check(text) === 'busy') {
        shed[kind]++;
        return false;
      }
      const took = performance.now() - t0;
      latencies[kind].push(took);
      if (took > LATE_MS) lateAt[kind].push((t0 - started) / 1000);
      return true;
    } catch (err) {
      errors++;
      firstError ??= `${kind}: ${err instanceof Error ? err.message : String(err)}`;
      return false;
    }
  };
  const BUSY = 'The bot is busy';
  const searchCheck = (text: string) => (text.includes(BUSY) ? 'busy' : text.includes('"results":[{') ? 'ok' : fail(`search found nothing: ${text.slice(0, 200)}`));

  await Promise.all(
    Array.from({ length: o.conversations }, async (_, w) => {
      const school = schools[w % schools.length]!;
      const slot = Math.floor(w / schools.length) % 10;
      const post = (who: Person, conversation: string, body: ActivityBody) => activity(connector.url, conversation, who, body, school.tenantId);
      const search = (who: Person, i: number) =>
        send('search', post(who, `search-${who.aadObjectId}`, { type: 'invoke', name: 'application/search', value: { queryText: SEARCH_PREFIXES[(w * 7 + i) % SEARCH_PREFIXES.length], dataset: 'pupils', queryOptions: { skip: 0, top: 15 } } }), searchCheck);
      // Conversations start spread over the first second, as people do, not in one instant.
      await sleep((w / o.conversations) * 1000);
      if (slot === 0) {
        // The DSL: approves what has reached their chat; searches while nothing has.
        const queue = toApprove.get(chatOf(school.dsl))!;
        for (let i = 0; performance.now() < end; i++) {
          const caseId = queue.shift();
          if (!caseId) {
            await search(school.dsl, i);
            continue;
          }
          const body = post(school.dsl, chatOf(school.dsl), { type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: 'approveCase', data: { caseId } }, trigger: 'manual' } });
          const ok = await send('approval', body, (text) => (text.includes(BUSY) ? 'busy' : text.includes('Approved by') || text.includes('already') ? 'ok' : fail(`approval did not come back approved: ${text.slice(0, 200)}`)));
          if (!ok) queue.push(caseId);
        }
        return;
      }
      // A class teacher: an attendance concern turn by turn (Send needs the DSL), a search every fifth request.
      const teacher = school.teachers[slot - 1]!;
      const chat = chatOf(teacher);
      let step = 0;
      let lastAnswered = '';
      for (let i = 0; performance.now() < end; i++) {
        if (i % 5 === 4) {
          await search(teacher, i);
          continue;
        }
        // A button pressed on a card carries the card's id, as in Teams (the bot asks the next question in its place).
        const turn = async (value: { text?: string; value?: unknown }) => {
          const json = post(teacher, chat, value.value === undefined ? value : { ...value, replyToId: connector.replyIdTo(chat, lastAnswered) });
          const ok = await send('turn', json, () => 'ok');
          if (ok) lastAnswered = (JSON.parse(json) as { id: string }).id;
          return ok;
        };
        let ok: boolean;
        switch (step % 4) {
          case 0:
            ok = await turn({ text: 'attendance' });
            break;
          case 1:
            ok = await turn({ value: { verb: 'answer', question: 'pupil', pupilId: PUPIL_NEEDING_APPROVAL, pupilName: '' } });
            break;
          case 2:
            ok = await turn({ value: { verb: 'answer', question: 'details', what: 'unexplainedToday', absenceType: 'notKnown', reasons: '' } });
            break;
          default: {
            const draftId = draftIdOn(connector.replyTo(chat, lastAnswered));
            // The last reply was not the check-and-send card (a turn was shed mid-way): start again.
            if (draftId === undefined) {
              step = 0;
              continue;
            }
            ok = await turn({ value: { verb: 'answer', question: 'confirm', draftId } });
          }
        }
        if (ok) step++;
      }
    }),
  );
  connector.onActivity = undefined;
  watch.stop();
  const seconds = (performance.now() - started) / 1000;
  const kinds: TrustKind[] = ['turn', 'search', 'approval'];
  const byKind = Object.fromEntries(kinds.map((k) => [k, { ...figuresOf(latencies[k], seconds, 0), shed: shed[k] }])) as TrustResult['byKind'];
  return { conversations: o.conversations, seconds, byKind, errors, ...(firstError ? { firstError } : {}), peakRssMb: o.peakRssMb(), lateAt, benchStalls, startedAt };
}

function fail(message: string): never {
  throw new Error(message);
}
