import { ConversationRef, ConversationRefRepository } from '../storage/conversationRefRepository';

/**
 * Personal-chat references looked up while building and sending the cards of one case: each
 * approval card names every approver (for `refresh.userIds`) and is sent to one of them, so
 * without this the same few references are read again for every card. Lives as long as one
 * delivery, never longer, so an install or uninstall is seen by the next one.
 */
export class PersonalRefs {
  private readonly found = new Map<string, Promise<ConversationRef | undefined>>();

  constructor(private readonly repo: Pick<ConversationRefRepository, 'findPersonal'> & Partial<Pick<ConversationRefRepository, 'findPersonalMany'>>) {}

  /** Reads everyone a delivery will need at once (one round trip, not one a person); a failed read leaves them to be asked one by one. */
  async prefetch(tenantId: string, aadObjectIds: readonly string[]): Promise<void> {
    const missing = [...new Set(aadObjectIds)].filter((id) => !this.found.has(`${tenantId}|${id}`));
    if (missing.length === 0 || !this.repo.findPersonalMany) return;
    try {
      const refs = await this.repo.findPersonalMany(tenantId, missing);
      for (const [id, ref] of refs) this.found.set(`${tenantId}|${id}`, Promise.resolve(ref));
    } catch {
      // Each card's own lookup tries again, as before.
    }
  }

  find(tenantId: string, aadObjectId: string): Promise<ConversationRef | undefined> {
    const key = `${tenantId}|${aadObjectId}`;
    let ref = this.found.get(key);
    if (!ref) {
      ref = this.repo.findPersonal(tenantId, aadObjectId);
      // A failed read is not remembered: the next card asks storage again.
      ref.catch(() => this.found.delete(key));
      this.found.set(key, ref);
    }
    return ref;
  }
}
