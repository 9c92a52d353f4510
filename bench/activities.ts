import { DEMO_STAFF, PLAYGROUND_TENANT_ID } from '../demo/demoSchool';

export type Staff = keyof typeof DEMO_STAFF;
export interface Person {
  aadObjectId: string;
  name: string;
}

/** What an activity says: typed text, a card's answer (with the pressed card's id), or an invoke. */
export interface ActivityBody {
  text?: string;
  value?: unknown;
  type?: string;
  name?: string;
  replyToId?: string | undefined;
}

/** A Teams personal-chat activity as Teams posts it, from one of the demo school's staff. */
export function activity(serviceUrl: string, conversationId: string, as: Staff | Person, body: ActivityBody, tenantId = PLAYGROUND_TENANT_ID): string {
  const who = typeof as === 'string' ? DEMO_STAFF[as] : as;
  return JSON.stringify({
    type: body.type ?? 'message',
    id: `b-${Math.random().toString(36).slice(2)}`,
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl,
    locale: 'en-GB',
    from: { id: `29:${who.aadObjectId}`, name: who.name, aadObjectId: who.aadObjectId },
    recipient: { id: '28:bot-id', name: 'Bot' },
    conversation: { id: conversationId, conversationType: 'personal', tenantId },
    channelData: { tenant: { id: tenantId } },
    ...(body.text !== undefined ? { text: body.text, textFormat: 'plain' } : {}),
    ...(body.value !== undefined ? { value: body.value } : {}),
    ...(body.name !== undefined ? { name: body.name } : {}),
    ...(body.replyToId !== undefined ? { replyToId: body.replyToId } : {}),
  });
}

/** Posts to the bot and insists on the status a user would need; the body is returned for invokes. */
export async function post(url: string, body: string, headers: Record<string, string> = {}, expected = 200): Promise<string> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await res.text();
  if (res.status !== expected) throw new Error(`${url} answered ${res.status}: ${text.slice(0, 200)}`);
  return text;
}
