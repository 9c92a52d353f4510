import { DEMO_SCHOOL_ID } from '../demo/demoSchool';
import { activity, ActivityBody, post } from './activities';
import { BenchConnector } from './connector';
import { benchTeachers, SEARCH_PREFIXES } from './schoolData';

/** The class teachers of the concurrent conversations: worker n is teacher n, in their own chat. */
export const BENCH_TEACHERS = benchTeachers(20);
const teacher = (worker: number) => BENCH_TEACHERS[worker % BENCH_TEACHERS.length]!;
/** A teacher's personal chat with the bot: one per person, the same every time, as in Teams. */
export const personalChat = (aadObjectId: string) => `chat-${aadObjectId}`;

/** What a scenario needs of the running system. */
export interface BenchTarget {
  botUrl: string;
  connector: BenchConnector;
  digestKey: string;
  /** The bot's CPU time so far in ms, where its process can be read: the bench reports it per request. */
  cpuMs?: () => number;
  /** The same for the bot's main thread (its event loop) alone. */
  mainThreadCpuMs?: () => number;
}

/** One timed request by a worker (a conversation) in one measured run. */
export type Request = (worker: number, i: number) => Promise<void>;

/** A fresh request function per measured run: `tag` keeps each run's conversations apart. */
export type Scenario = (target: BenchTarget, tag: string) => Request;

/** Leo Hazelgrove, a demo child in need: a concern about him needs the DSL's approval. */
const PUPIL_NEEDING_APPROVAL = 'demo-p08';

/** The draft id on a check-and-send card as sent, if it is one. */
export function draftIdOn(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const reply = JSON.parse(raw) as { attachments?: Array<{ content?: { actions?: Array<{ data?: { verb?: string; draftId?: string } }> } }> };
  return reply.attachments?.[0]?.content?.actions?.find((a) => a.data?.verb === 'answer')?.data?.draftId;
}

function draftIdIn(raw: string | undefined): string {
  if (!raw) throw new Error('the confirmation card never came');
  const draftId = draftIdOn(raw);
  if (!draftId) throw new Error('the confirmation card has no draft id');
  return draftId;
}

export const echo: Scenario = (t, tag) => async (worker, i) => {
  await post(`${t.botUrl}/api/messages`, activity(t.connector.url, `echo-${tag}-${worker}`, 'teacher', { text: `hello ${i}` }));
};

/**
 * Where each teacher's chat is in the four turns of a concern. A teacher keeps one chat across
 * every run (as in Teams), and a run may stop mid-concern, so the next run carries on from there:
 * typed "attendance" in the middle of a concern would be read as an answer, not a new start.
 * The soak's concerns have the same first three turns, then cancel instead of Send.
 */
export class TeacherChats {
  private readonly steps = new Map<number, number>();
  /** The id of each teacher's last answered activity: the check-and-send card is the answer to it. */
  private readonly lastIds = new Map<number, string>();

  lastId(worker: number): string {
    return this.lastIds.get(worker % BENCH_TEACHERS.length) ?? '';
  }

  answered(worker: number, activityId: string): void {
    this.lastIds.set(worker % BENCH_TEACHERS.length, activityId);
  }

  stepOf(worker: number): number {
    return (this.steps.get(worker % BENCH_TEACHERS.length) ?? 0) % 4;
  }

  /** Back to the start of a concern (after "cancel"). */
  restart(worker: number): void {
    const key = worker % BENCH_TEACHERS.length;
    this.steps.set(key, 0);
  }

  advance(worker: number): void {
    const key = worker % BENCH_TEACHERS.length;
    this.steps.set(key, (this.steps.get(key) ?? 0) + 1);
  }
}

/**
 * A class teacher's attendance concern, one turn per request: start, the child, what happened,
 * Send. Each Send must come back with a reference; its draft id is kept for the approval run.
 */
export function attendanceDialog(drafts: string[], chats: TeacherChats): Scenario {
  return (t) => {
    return async (worker) => {
      const who = teacher(worker);
      const conversation = personalChat(who.aadObjectId);
      const step = chats.stepOf(worker);
      let sent = '';
      // A button pressed on a card comes with the card's id, as Teams sends it: the bot then asks the
      // next question in that card's place, as it does for a teacher in Teams.
      const onCard = () => t.connector.replyIdTo(conversation, chats.lastId(worker));
      const say = (body: ActivityBody) => {
        const json = activity(t.connector.url, conversation, who, body);
        sent = (JSON.parse(json) as { id: string }).id;
        return post(`${t.botUrl}/api/messages`, json);
      };
      switch (step % 4) {
        case 0:
          await say({ text: 'attendance' });
          break;
        case 1:
          await say({ value: { verb: 'answer', question: 'pupil', pupilId: PUPIL_NEEDING_APPROVAL, pupilName: '' }, replyToId: onCard() });
          break;
        case 2:
          await say({ value: { verb: 'answer', question: 'details', what: 'unexplainedToday', absenceType: 'notKnown', reasons: '' }, replyToId: onCard() });
          break;
        default: {
          const card = t.connector.replyTo(conversation, chats.lastId(worker));
          if (card === undefined) {
            // The check-and-send card is not to be found (this chat's last answer is older than the
            // replies kept): start the concern again rather than fail every Send from here on.
            await say({ text: 'cancel' });
            chats.restart(worker);
            return;
          }
          const draftId = draftIdIn(card);
          await say({ value: { verb: 'answer', question: 'confirm', draftId }, replyToId: onCard() });
          const receipt = t.connector.replyTo(conversation, sent) ?? '';
          if (!receipt.includes('ATT-')) throw new Error(`Send gave no reference: ${receipt.slice(0, 300)}`);
          drafts.push(draftId);
        }
      }
      chats.answered(worker, sent);
      chats.advance(worker);
    };
  };
}

/**
 * The same dialog up to the confirmation, then "cancel": every turn reads and writes conversation
 * state, but no case is saved, so the storage does not grow over a long soak (Azurite slows as its
 * tables grow, which would measure the emulator rather than the bot's memory).
 */
export const cancelledDialog = (chats: TeacherChats): Scenario => (t) => {
  return async (worker) => {
    const step = chats.stepOf(worker);
    const who = teacher(worker);
    const say = (body: { text?: string; value?: unknown }) => post(`${t.botUrl}/api/messages`, activity(t.connector.url, personalChat(who.aadObjectId), who, body));
    const turns = [
      () => say({ text: 'attendance' }),
      () => say({ value: { verb: 'answer', question: 'pupil', pupilId: PUPIL_NEEDING_APPROVAL, pupilName: '' } }),
      () => say({ value: { verb: 'answer', question: 'details', what: 'unexplainedToday', absenceType: 'notKnown', reasons: '' } }),
      () => say({ text: 'cancel' }),
    ];
    await turns[step % turns.length]!();
    chats.advance(worker);
  };
};

/** The DSL pressing Approve (Action.Execute) on a case not yet decided; the card must come back approved. */
export function approval(caseIds: string[]): Scenario {
  return (t, tag) => async (worker) => {
    const caseId = caseIds.pop();
    if (!caseId) throw new Error('no undecided case left to approve');
    const body = await post(
      `${t.botUrl}/api/messages`,
      activity(t.connector.url, `appr-${tag}-${worker}`, 'dsl', { type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: 'approveCase', data: { caseId } }, trigger: 'manual' } }),
    );
    if (!body.includes('Approved by')) throw new Error(`approval did not come back approved: ${body.slice(0, 200)}`);
  };
}

/** The type-ahead search for a child, as Teams sends it while a teacher types three letters. */
export const search: Scenario = (t, tag) => async (worker, i) => {
  const queryText = SEARCH_PREFIXES[(worker * 7 + i) % SEARCH_PREFIXES.length]!;
  const body = await post(
    `${t.botUrl}/api/messages`,
    activity(t.connector.url, `search-${tag}-${worker}`, 'teacher', { type: 'invoke', name: 'application/search', value: { queryText, dataset: 'pupils', queryOptions: { skip: 0, top: 15 } } }),
  );
  if (!body.includes('"results":[{')) throw new Error(`search for ${queryText} found nothing: ${body.slice(0, 200)}`);
};

/** One school's weekly digest, built from storage (a dry run: the card, not posted). */
export function digest(schoolId = DEMO_SCHOOL_ID): Scenario {
  return (t) => async () => {
    const body = await post(`${t.botUrl}/api/digest`, JSON.stringify({ school: schoolId, dryRun: true }), { authorization: `Bearer ${t.digestKey}` });
    if (!body.includes('AdaptiveCard')) throw new Error(`no digest card: ${body.slice(0, 200)}`);
  };
}

/** The weekly digest posted to each school's SLT channel, one school after another, as the weekly job does. */
export function trustDigest(schoolIds: readonly string[]): Scenario {
  return (t) => async (_worker, i) => {
    const schoolId = schoolIds[i % schoolIds.length]!;
    const body = await post(`${t.botUrl}/api/digest`, JSON.stringify({ school: schoolId, dryRun: false }), { authorization: `Bearer ${t.digestKey}` });
    if (!body.includes('"posted":true')) throw new Error(`digest for ${schoolId} not posted: ${body.slice(0, 200)}`);
  };
}
