import { postActivity, teamsMessage } from './activities';
import { ConnectorStub } from './connectorStub';

/** The three steps of an attendance concern about Leo (a child in need) over HTTP, up to the confirmation. Returns the draft id. */
export async function attendanceUpToConfirm(botUrl: string, connector: ConnectorStub, conversationId: string, pupilName = 'Leo Hazelgrove'): Promise<string> {
  const say = async (input: string | Record<string, unknown>) => {
    const res = await postActivity(botUrl, teamsMessage({ serviceUrl: connector.url, conversationId, ...(typeof input === 'string' ? { text: input } : { value: input }) }));
    if (res.status !== 200) throw new Error(`bot answered ${res.status}: ${res.body}`);
  };
  await say('attendance');
  await say({ verb: 'answer', question: 'pupil', pupilName });
  await say({ verb: 'answer', question: 'details', what: 'unexplainedToday', absenceType: 'notKnown', reasons: '' });
  const confirm = connector.sent.filter((s) => s.conversationId === conversationId).at(-1)!;
  const actions = (confirm.body.attachments as Array<{ content: { actions: Array<{ data: { verb: string; draftId?: string } }> } }>)[0]!.content.actions;
  return actions.find((a) => a.data.verb === 'answer')!.data.draftId!;
}

export function confirmActivity(connector: ConnectorStub, conversationId: string, draftId: string) {
  return teamsMessage({ serviceUrl: connector.url, conversationId, value: { verb: 'answer', question: 'confirm', draftId } });
}

/** An Action.Execute invoke as Teams posts it. */
export function approvalInvoke(connector: ConnectorStub, aadObjectId: string, verb: string, data: Record<string, unknown>) {
  return {
    ...teamsMessage({ serviceUrl: connector.url, conversationId: `chat-${aadObjectId}`, aadObjectId, userId: `29:${aadObjectId}` }),
    type: 'invoke',
    name: 'adaptiveCard/action',
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
  };
}
