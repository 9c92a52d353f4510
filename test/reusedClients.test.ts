import pino from 'pino';
import { TurnContext } from 'botbuilder';
import { Activity } from 'botframework-schema';
import { createAdapter } from '../bot/adapter';
import { loadConfig } from '../host/config';
import { teamsMessage } from './support/activities';
import { ConnectorStub } from './support/connectorStub';

/**
 * botbuilder builds a connector client (an HTTP pipeline) for every activity; the adapter keeps
 * one per service URL instead. The replies must still go where each turn's activity came from.
 */
describe('the clients a turn replies through', () => {
  const uk = new ConnectorStub();
  const emea = new ConnectorStub();
  beforeAll(async () => {
    await uk.start();
    await emea.start();
  });
  afterAll(async () => {
    await uk.stop();
    await emea.stop();
  });

  it('are made once per service URL, and each reply reaches the service its turn came from', async () => {
    const config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent', ALLOWED_SERVICE_URLS: `${uk.url},${emea.url}` });
    const adapter = createAdapter(config, pino({ level: 'silent' }));
    const clients: unknown[] = [];
    const echo = async (context: TurnContext) => {
      clients.push(context.turnState.get(adapter.ConnectorClientKey));
      await context.sendActivity(`Noted: ${context.activity.text ?? ''}`);
    };
    const say = (serviceUrl: string, text: string, conversationId: string) => adapter.handle('', teamsMessage({ serviceUrl, text, conversationId }) as unknown as Activity, echo);

    await say(uk.url, 'first', 'chat-a');
    await say(uk.url, 'second', 'chat-b');
    await say(emea.url, 'third', 'chat-c');
    await say(uk.url, 'fourth', 'chat-a');

    expect(uk.sent.map((s) => [s.conversationId, s.body.text])).toEqual([
      ['chat-a', 'Noted: first'],
      ['chat-b', 'Noted: second'],
      ['chat-a', 'Noted: fourth'],
    ]);
    expect(emea.sent.map((s) => [s.conversationId, s.body.text])).toEqual([['chat-c', 'Noted: third']]);
    expect(clients[0]).toBeDefined();
    expect(clients[1]).toBe(clients[0]);
    expect(clients[3]).toBe(clients[0]);
    expect(clients[2]).not.toBe(clients[0]);
  });
});
