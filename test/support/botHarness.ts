import { PolicyProfileId } from '../../policy/profiles';
import { Activity, TestAdapter } from 'botbuilder';
import pino from 'pino';
import { composeBot } from '../../host/composition';
import { DEMO_STAFF, PLAYGROUND_TENANT_ID } from '../../demo/demoSchool';
import { seedDemoSchoolIfEmpty } from '../../demo/seed';
import { RetryPolicy } from '../../delivery/outboxSender';
import { Mailer } from '../../delivery/mail/mailer';
import { ProactiveSender } from '../../delivery/proactive';
import { OutgoingEmail } from '../../policy/email';
import { ConversationRef } from '../../storage/conversationRefRepository';
import { TableStore } from '../../storage/tableStore';
import { createTestStore } from './store';

/** Monday 23 November 2026, 09:00 in London (GMT). */
export const MONDAY_9AM = new Date('2026-11-23T09:00:00Z');

export interface Sent {
  ref: ConversationRef;
  activity: Partial<Activity>;
  id: string;
}

/** Records proactive messages instead of calling a connector (the HTTP path has its own test). */
export class RecordingSender implements ProactiveSender {
  readonly sent: Sent[] = [];
  readonly updates: Array<{ ref: ConversationRef; activityId: string; activity: Partial<Activity> }> = [];
  private maxUtf16Bytes: number | undefined;
  /** Behaves as a connector with a size limit: a bigger message gets Teams' 413 MessageSizeTooBig. */
  refuseOver(bytes: number): void {
    this.maxUtf16Bytes = bytes;
  }
  async send(ref: ConversationRef, activity: Partial<Activity>): Promise<string> {
    if (this.maxUtf16Bytes !== undefined && JSON.stringify(activity).length * 2 > this.maxUtf16Bytes) {
      throw Object.assign(new Error('MessageSizeTooBig: the message is too big'), { statusCode: 413 });
    }
    const id = `sent-${this.sent.length + 1}`;
    this.sent.push({ ref, activity, id });
    return id;
  }
  async update(ref: ConversationRef, activityId: string, activity: Partial<Activity>): Promise<void> {
    this.updates.push({ ref, activityId, activity });
  }
}

export type StaffKey = keyof typeof DEMO_STAFF;
export interface Person {
  aadObjectId: string;
  name: string;
}

export interface Harness {
  store: TableStore;
  parts: ReturnType<typeof composeBot>;
  sender: RecordingSender;
  /** Sends one activity as the given member of staff (or any Entra ID user) and returns the bot's replies. */
  say(input: string | Record<string, unknown>, as?: StaffKey | Person, conversationId?: string): Promise<Partial<Activity>[]>;
  /** Sends an invoke activity and returns the invoke response's body. */
  invoke(name: string, value: unknown, as?: StaffKey | Person): Promise<unknown>;
  /** Pretends a member of staff has installed the app, so proactive cards can reach them. */
  install(who: StaffKey): Promise<void>;
  /** A fresh bot instance on the same tables: what a restart looks like. */
  restart(): void;
}

/** Keeps the emails it is given, as a mail server would. */
export class RecordingMailer implements Mailer {
  readonly sent: Array<{ email: OutgoingEmail; key: string }> = [];
  async send(email: OutgoingEmail, key: string): Promise<void> {
    this.sent.push({ email, key });
  }
}

export async function createHarness(options: { clock?: () => Date; store?: TableStore; mailer?: Mailer; retry?: RetryPolicy; policy?: PolicyProfileId } = {}): Promise<Harness> {
  const store = options.store ?? (await createTestStore());
  const sender = new RecordingSender();
  const clock = options.clock ?? (() => MONDAY_9AM);
  const mailer = options.mailer ?? new RecordingMailer();
  const make = () => composeBot(store, pino({ level: 'silent' }), sender, { demo: true, allowedTenantIds: [], clock, mailer, retry: options.retry, random: () => 0.5 });
  let parts = make();
  await seedDemoSchoolIfEmpty(parts.schools, parts.pupilRepo, options.policy);
  let adapter = new TestAdapter((context) => parts.bot.run(context));
  let counter = 0;

  const personOf = (as: StaffKey | Person): Person => (typeof as === 'string' ? DEMO_STAFF[as] : as);
  const activityFor = (input: string | Record<string, unknown>, as: StaffKey | Person, conversationId: string): Partial<Activity> => {
    const staff = personOf(as);
    counter++;
    return {
      type: 'message',
      id: `m${counter}`,
      channelId: 'msteams',
      serviceUrl: 'http://127.0.0.1/',
      locale: 'en-GB',
      from: { id: `29:${staff.aadObjectId}`, name: staff.name, aadObjectId: staff.aadObjectId },
      recipient: { id: 'bot', name: 'Bot' },
      conversation: { id: conversationId, isGroup: false, conversationType: 'personal', tenantId: PLAYGROUND_TENANT_ID, name: '' },
      channelData: { tenant: { id: PLAYGROUND_TENANT_ID } },
      ...(typeof input === 'string' ? { text: input } : { value: input }),
    };
  };

  return {
    store,
    get parts() {
      return parts;
    },
    sender,
    async say(input, as = 'teacher', conversationId) {
      await adapter.receiveActivity(activityFor(input, as, conversationId ?? `conv-${personOf(as).aadObjectId}`));
      const replies = adapter.activeQueue.splice(0);
      // What a turn starts after its reply (staff cards, card updates) is done before the test looks.
      await parts.background.settled();
      return replies;
    },
    async invoke(name, value, as = 'teacher') {
      const activity = { ...activityFor('', as, `conv-${personOf(as).aadObjectId}`), type: 'invoke', name, value, text: undefined };
      await adapter.receiveActivity(activity);
      const replies = adapter.activeQueue.splice(0);
      await parts.background.settled();
      const response = replies.find((r) => r.type === 'invokeResponse');
      return (response?.value as { body?: unknown } | undefined)?.body;
    },
    async install(who) {
      const staff = DEMO_STAFF[who];
      await parts.conversationRefs.save({
        tenantId: PLAYGROUND_TENANT_ID,
        scope: 'personal',
        conversationId: `conv-${who}`,
        serviceUrl: 'http://127.0.0.1/',
        channelId: 'msteams',
        botId: 'bot',
        aadObjectId: staff.aadObjectId,
        userId: `29:${staff.aadObjectId}`,
        updatedAt: MONDAY_9AM.toISOString(),
      });
    },
    restart() {
      parts = make();
      adapter = new TestAdapter((context) => parts.bot.run(context));
    },
  };
}

/** The Adaptive Card in a reply, if any. */
export function cardOf(activity: Partial<Activity> | undefined): Record<string, unknown> | undefined {
  const content = activity?.attachments?.[0]?.content as Record<string, unknown> | undefined;
  return content;
}

/** Every piece of text in a card, flattened, for "does the card say X" assertions. */
export function cardText(card: unknown): string {
  const out: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if ((k === 'text' || k === 'title' || k === 'label' || k === 'placeholder' || k === 'value') && typeof v === 'string') out.push(v);
        else walk(v);
      }
    }
  };
  walk(card);
  return out.join('\n');
}

/** The question a form card asks (from its Next button's payload). */
export function questionOf(card: Record<string, unknown> | undefined): string | undefined {
  const actions = (card?.actions ?? []) as Array<{ data?: { verb?: string; question?: string } }>;
  return actions.find((a) => a.data?.verb === 'answer')?.data?.question;
}

export function draftIdOf(card: Record<string, unknown> | undefined): string | undefined {
  const actions = (card?.actions ?? []) as Array<{ data?: { verb?: string; draftId?: string } }>;
  return actions.find((a) => a.data?.verb === 'answer')?.data?.draftId;
}

/** The last card among the replies (a reply may be a message followed by a card). */
export function lastCard(replies: Partial<Activity>[]): Record<string, unknown> | undefined {
  for (let i = replies.length - 1; i >= 0; i--) {
    const card = cardOf(replies[i]);
    if (card) return card;
  }
  return undefined;
}

export function texts(replies: Partial<Activity>[]): string[] {
  return replies.map((r) => r.text).filter((t): t is string => typeof t === 'string');
}
