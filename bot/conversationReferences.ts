import { TurnContext } from 'botbuilder';
import { ConversationRef, ConversationRefRepository } from '../storage/conversationRefRepository';
import { tenantOf } from './activityFacts';

function scopeOf(conversationType: string | undefined): ConversationRef['scope'] {
  if (conversationType === 'channel') return 'team';
  if (conversationType === 'groupChat') return 'groupChat';
  return 'personal';
}

/** Saves what is needed to message this person or channel later (proactive delivery). */
/** `reread`: an install, when what is stored is read again rather than taken from this instance's memory. */
export async function captureReference(context: TurnContext, repo: ConversationRefRepository, o: { reread?: boolean } = {}): Promise<'created' | 'changed' | 'unchanged' | 'noTenant'> {
  const ref = referenceOf(context);
  return ref ? repo.saveIfChanged(ref, o) : 'noTenant';
}

/** This turn's conversation as a stored reference (undefined without a tenant). */
export function referenceOf(context: TurnContext): ConversationRef | undefined {
  const { activity } = context;
  const tenantId = tenantOf(context);
  if (!tenantId) return undefined;
  const scope = scopeOf(activity.conversation.conversationType);
  const teamId = activity.channelData?.team?.id;
  return {
    tenantId,
    scope,
    conversationId: activity.conversation.id,
    serviceUrl: activity.serviceUrl,
    channelId: activity.channelId,
    botId: activity.recipient.id,
    aadObjectId: scope === 'personal' ? activity.from.aadObjectId : undefined,
    userId: scope === 'personal' ? activity.from.id : undefined,
    teamId: typeof teamId === 'string' ? teamId : undefined,
    updatedAt: new Date().toISOString(),
  };
}
