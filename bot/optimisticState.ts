import { BotState, calculateChangeHash, ConversationState, Storage, TurnContext } from 'botbuilder';

interface Cached {
  state: Record<string, unknown> & { eTag?: string };
  hash: string;
}

/**
 * Conversation state with optimistic concurrency. Stock `BotState.saveChanges` sets `eTag = "*"`
 * before writing, so the last writer silently wins when two instances serve one conversation.
 * This keeps the eTag that was read and writes conditionally: a stale write fails with
 * `StateConflictError` (from the storage) instead of overwriting someone else's answers.
 */
export class OptimisticConversationState extends ConversationState {
  private readonly cacheKey = Symbol('optimisticConversationState');

  constructor(storage: Storage, namespace = '') {
    super(storage, namespace);
  }

  override async load(context: TurnContext, force = false): Promise<Record<string, unknown>> {
    const cached = context.turnState.get<Cached | undefined>(this.cacheKey);
    if (!force && cached?.state) return cached.state;
    const key = await this.storageKey(context);
    const items = await this.storage.read([key]);
    const state = (items[key] as Cached['state'] | undefined) ?? {};
    context.turnState.set(this.cacheKey, { state, hash: calculateChangeHash(state) });
    return state;
  }

  override async saveChanges(context: TurnContext, force = false): Promise<void> {
    const cached = context.turnState.get<Cached | undefined>(this.cacheKey);
    if (!cached) return;
    // The hash leaves out the eTag, which the write updates: what is written is what was hashed,
    // so the state is serialised once to compare and not again after the write.
    const hash = calculateChangeHash(cached.state);
    if (!force && cached.hash === hash) return;
    const key = await this.storageKey(context);
    // The storage writes conditionally on this eTag (or create-only when there is none) and
    // updates it on success.
    await this.storage.write({ [key]: cached.state });
    cached.hash = hash;
  }

  override async clear(context: TurnContext): Promise<void> {
    const previous = context.turnState.get<Cached | undefined>(this.cacheKey);
    // Keep the eTag: clearing must still lose to a concurrent writer, not overwrite it.
    const state: Cached['state'] = previous?.state.eTag ? { eTag: previous.state.eTag } : {};
    context.turnState.set(this.cacheKey, { state, hash: '' });
  }

  override async delete(context: TurnContext): Promise<void> {
    context.turnState.delete(this.cacheKey);
    const key = await this.storageKey(context);
    await this.storage.delete([key]);
  }

  override get(context: TurnContext): Record<string, unknown> | undefined {
    const cached = context.turnState.get<Cached | undefined>(this.cacheKey);
    return cached?.state;
  }
}

export type { BotState };
