import { TurnContext } from 'botbuilder';

/** Teams puts the tenant in channelData; the conversation carries it too. */
export function tenantOf(context: TurnContext): string | undefined {
  const fromChannel: unknown = context.activity.channelData?.tenant?.id;
  const id = typeof fromChannel === 'string' ? fromChannel : context.activity.conversation.tenantId;
  return id || undefined;
}
