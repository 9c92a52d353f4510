import { Activity, Storage, StoreItems, TestAdapter, TurnContext } from 'botbuilder';
import pino from 'pino';
import { OptimisticConversationState } from '../bot/optimisticState';
import { ActionTracker } from '../services/actionTracker';
import { composeBot } from '../host/composition';
import { SocialWorkerBot } from '../bot/teamsBot';
import { StateConflictError, StateItems, TableStateStorage } from '../storage/tableStateStorage';
import { TABLES, TableStore } from '../storage/tableStore';
import { createTestStore } from './support/store';

function message(text: string, conversationId = 'conv-1'): Partial<Activity> {
  return {
    type: 'message',
    text,
    channelId: 'msteams',
    serviceUrl: 'http://127.0.0.1/',
    conversation: { id: conversationId, isGroup: false, conversationType: 'personal', name: '' },
    from: { id: 'user-1', name: 'Teacher' },
    recipient: { id: 'bot', name: 'Bot' },
    channelData: { tenant: { id: 'tenant-1' } },
  };
}

describe('conversation state with optimistic concurrency', () => {
  let store: TableStore;
  beforeAll(async () => {
    store = await createTestStore();
  });

  it('a turn that read stale state cannot overwrite a newer save', async () => {
    const state = new OptimisticConversationState(new TableStateStorage(store.client(TABLES.botState)));
    const prop = state.createProperty<string>('answer');
    const adapter = new TestAdapter();
    const first = new TurnContext(adapter, message('a'));
    await prop.set(first, 'original');
    await state.saveChanges(first);

    const turnA = new TurnContext(adapter, message('b'));
    const turnB = new TurnContext(adapter, message('c'));
    expect(await prop.get(turnA)).toBe('original');
    expect(await prop.get(turnB)).toBe('original');
    await prop.set(turnB, 'from B');
    await state.saveChanges(turnB);
    await prop.set(turnA, 'from A (stale)');
    await expect(state.saveChanges(turnA)).rejects.toBeInstanceOf(StateConflictError);

    const fresh = new TurnContext(adapter, message('d'));
    expect(await prop.get(fresh)).toBe('from B');
  });

  it('clear() still loses to a concurrent writer', async () => {
    const state = new OptimisticConversationState(new TableStateStorage(store.client(TABLES.botState)));
    const prop = state.createProperty<string>('answer');
    const adapter = new TestAdapter();
    const seed = new TurnContext(adapter, message('a', 'conv-clear'));
    await prop.set(seed, 'kept');
    await state.saveChanges(seed);
    const stale = new TurnContext(adapter, message('b', 'conv-clear'));
    await state.load(stale);
    const other = new TurnContext(adapter, message('c', 'conv-clear'));
    await prop.set(other, 'newer');
    await state.saveChanges(other);
    await state.clear(stale);
    await expect(state.saveChanges(stale)).rejects.toBeInstanceOf(StateConflictError);
  });

  it('an answer set while the state is being written is saved by the next save, not taken as already saved', async () => {
    const tables = new TableStateStorage(store.client(TABLES.botState));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    // Like the table storage, takes what it writes when asked (it is serialised then), and writes it once let go.
    const slowWrite: Storage = {
      read: (keys) => tables.read(keys),
      delete: (keys) => tables.delete(keys),
      write: async (changes: StoreItems) => {
        const taken = structuredClone(changes);
        await held;
        await tables.write(taken);
        for (const key of Object.keys(changes)) changes[key]!.eTag = taken[key]!.eTag;
      },
    };
    const state = new OptimisticConversationState(slowWrite);
    const prop = state.createProperty<string>('answer');
    const adapter = new TestAdapter();
    const turn = new TurnContext(adapter, message('a', 'conv-during-write'));
    await prop.set(turn, 'first');
    const saving = state.saveChanges(turn);
    await prop.set(turn, 'second, typed while the first was written');
    release();
    await saving;
    await state.saveChanges(turn);

    const fresh = new OptimisticConversationState(tables);
    expect(await fresh.createProperty<string>('answer').get(new TurnContext(adapter, message('b', 'conv-during-write')))).toBe('second, typed while the first was written');
  });

  it('the bot reports a conflicting turn to the user instead of silently overwriting', async () => {
    const inner = new TableStateStorage(store.client(TABLES.botState));
    // Another instance saves this conversation between our read and our write.
    let interleaved = false;
    const racing = {
      read: (keys: string[]) => inner.read(keys),
      delete: (keys: string[]) => inner.delete(keys),
      write: async (changes: StateItems) => {
        if (!interleaved) {
          interleaved = true;
          const [key] = Object.keys(changes);
          await inner.write({ [key!]: { welcomed: true, otherInstance: 'saved first', eTag: '*' } });
        }
        return inner.write(changes);
      },
    };
    const state = new OptimisticConversationState(racing);
    const parts = composeBot(store, pino({ level: 'silent' }), { send: async () => undefined, update: async () => undefined }, { demo: true, allowedTenantIds: ['tenant-1'], mailer: { send: async () => undefined } });
    const bot = new SocialWorkerBot({
      conversationState: state,
      conversationRefs: parts.conversationRefs,
      directory: parts.directory,
      services: parts.services,
      cases: parts.cases,
      approvals: parts.approvals,
      tracker: new ActionTracker({ cases: parts.cases, clock: () => new Date() }),
      afterTurn: () => undefined,
      releaseWaitingFor: async () => 0,
      logger: pino({ level: 'silent' }),
      demo: true,
      allowedTenantIds: ['tenant-1'],
    });
    const adapter = new TestAdapter((context) => bot.run(context));
    await adapter
      .send(message('hello', 'conv-race'))
      .assertReply((a) => expect(a.attachments?.[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive'))
      .assertReply((a) => expect(a.text).toMatch(/^Sorry, that did not save: this conversation changed at the same moment/))
      .startTest();
    const stored = await inner.read([`msteams/conversations/conv-race/`]);
    expect(stored[`msteams/conversations/conv-race/`]).toMatchObject({ otherInstance: 'saved first' });
  });
});
