import { Activity, CloudAdapter, ConversationReference } from 'botbuilder';
import { ConversationRef } from '../storage/conversationRefRepository';
import { isAllowedServiceUrl } from './serviceUrls';

/** Sends a message into a conversation the bot was not asked about in this turn. */
export interface ProactiveSender {
  /** Returns the id of the message posted, so it can be updated in place later. */
  send(ref: ConversationRef, activity: Partial<Activity>): Promise<string | undefined>;
  /** Replaces a message the bot posted earlier (an approval card, once decided). */
  update(ref: ConversationRef, activityId: string, activity: Partial<Activity>): Promise<void>;
}

export class ServiceUrlNotAllowedError extends Error {
  constructor() {
    super('the stored conversation names a serviceUrl that is not allow-listed');
    this.name = 'ServiceUrlNotAllowedError';
  }
}

export function toConversationReference(ref: ConversationRef): Partial<ConversationReference> {
  return {
    channelId: ref.channelId,
    serviceUrl: ref.serviceUrl,
    bot: { id: ref.botId, name: '' },
    conversation: { id: ref.conversationId, tenantId: ref.tenantId, isGroup: ref.scope !== 'personal', conversationType: ref.scope === 'team' ? 'channel' : ref.scope, name: '' },
    ...(ref.userId ? { user: { id: ref.userId, name: '', aadObjectId: ref.aadObjectId } } : {}),
  };
}

/** Proactive messages through the adapter, only ever to allow-listed service URLs (the bot's token goes with them). */
export class AdapterProactiveSender implements ProactiveSender {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
    private readonly allowedServiceUrls: readonly string[],
  ) {}

  async send(ref: ConversationRef, activity: Partial<Activity>): Promise<string | undefined> {
    if (!isAllowedServiceUrl(ref.serviceUrl, this.allowedServiceUrls)) throw new ServiceUrlNotAllowedError();
    let id: string | undefined;
    await this.adapter.continueConversationAsync(this.appId, toConversationReference(ref), async (context) => {
      id = (await context.sendActivity(activity))?.id;
    });
    return id;
  }

  async update(ref: ConversationRef, activityId: string, activity: Partial<Activity>): Promise<void> {
    if (!isAllowedServiceUrl(ref.serviceUrl, this.allowedServiceUrls)) throw new ServiceUrlNotAllowedError();
    await this.adapter.continueConversationAsync(this.appId, toConversationReference(ref), async (context) => {
      await context.updateActivity({ ...activity, id: activityId, type: 'message' });
    });
  }
}
