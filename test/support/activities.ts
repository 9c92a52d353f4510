import { DEMO_STAFF, PLAYGROUND_TENANT_ID } from '../../demo/demoSchool';

let counter = 0;

export interface MessageOptions {
  serviceUrl: string;
  conversationId?: string;
  text?: string;
  value?: unknown;
  aadObjectId?: string;
  userId?: string;
  tenantId?: string;
}

/** A Teams personal-chat message activity as Teams would post it. */
export function teamsMessage(o: MessageOptions): Record<string, unknown> {
  counter++;
  const tenantId = o.tenantId ?? PLAYGROUND_TENANT_ID;
  return {
    type: 'message',
    id: `act-${counter}`,
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl: o.serviceUrl,
    from: { id: o.userId ?? 'user-id-0', name: 'Test user', aadObjectId: o.aadObjectId ?? DEMO_STAFF.teacher.aadObjectId },
    conversation: { id: o.conversationId ?? 'conv-personal-1', conversationType: 'personal', tenantId },
    recipient: { id: '28:bot-id', name: 'Bot' },
    channelData: { tenant: { id: tenantId } },
    ...(o.text !== undefined ? { text: o.text, textFormat: 'plain' } : {}),
    ...(o.value !== undefined ? { value: o.value } : {}),
    locale: 'en-GB',
  };
}

export async function postActivity(botUrl: string, activity: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const res = await fetch(`${botUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof activity === 'string' ? activity : JSON.stringify(activity),
  });
  return { status: res.status, body: await res.text() };
}
