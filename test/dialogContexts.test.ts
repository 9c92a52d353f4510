import { ConversationState, MemoryStorage, TestAdapter, TurnContext } from 'botbuilder';
import { DialogSet, DialogState, DialogStateManagerConfiguration, TextPrompt, WaterfallDialog } from 'botbuilder-dialogs';
import { DialogContexts } from '../dialogs/dialogContexts';

/**
 * A two-question waterfall run through DialogContexts, recording the memory configuration each
 * turn's DialogContext was made with.
 */
function askTwice() {
  const conversationState = new ConversationState(new MemoryStorage());
  const set = new DialogSet(conversationState.createProperty<DialogState>('dialogState'));
  set.add(new TextPrompt('text'));
  set.add(
    new WaterfallDialog<{ started: boolean }>('ask', [
      (step) => step.prompt('text', 'Your first answer?'),
      async (step) => {
        (step.values as { first?: unknown }).first = step.result;
        return step.prompt('text', 'Your second answer?');
      },
      async (step) => {
        // Read through a memory scope ("this", the dialog's own state), as botbuilder resolves it each turn.
        await step.context.sendActivity(`You said ${String((step.values as { first?: unknown }).first)} then ${String(step.result)} (started: ${String(step.state.getValue('this.options.started'))}).`);
        return step.endDialog();
      },
    ]),
  );
  const contexts = new DialogContexts(set);
  const configurations: DialogStateManagerConfiguration[] = [];
  const logic = async (context: TurnContext) => {
    const dc = await contexts.create(context);
    configurations.push(dc.state.configuration);
    const result = await dc.continueDialog();
    if (result.status === 'empty') await dc.beginDialog('ask', { started: true });
    await conversationState.saveChanges(context);
  };
  /** A chat with the bot: each has its own conversation, all share the bot. */
  const chat = (id: string) => new TestAdapter(logic, { conversation: { id, isGroup: false, name: id, conversationType: 'personal' } });
  return { adapter: chat('chat-a'), chat, configurations };
}

describe('each turn\'s dialog context', () => {
  it('is made with the memory configuration of the first turn, not one built again each turn', async () => {
    const { adapter, configurations } = askTwice();
    await adapter.send('hello').assertReply('Your first answer?').send('red').assertReply('Your second answer?').send('blue').assertReply('You said red then blue (started: true).').startTest();

    expect(configurations).toHaveLength(3);
    expect(configurations[1]).toBe(configurations[0]);
    expect(configurations[2]).toBe(configurations[0]);
    // botbuilder's own default: the nine scopes (turn, settings, dialog, …) and five path resolvers.
    expect(configurations[0]!.memoryScopes.map((s) => s.name)).toEqual(expect.arrayContaining(['turn', 'settings', 'dialog', 'conversation', 'user', 'this']));
    expect(configurations[0]!.pathResolvers).toHaveLength(5);
  });

  it('keeps each conversation\'s answers its own when conversations share it', async () => {
    const { chat, configurations } = askTwice();
    const [a, b] = [chat('chat-a'), chat('chat-b')];
    await a.send('hello').assertReply('Your first answer?').startTest();
    await b.send('hello').assertReply('Your first answer?').startTest();
    await a.send('red').assertReply('Your second answer?').startTest();
    await b.send('green').assertReply('Your second answer?').startTest();
    await b.send('yellow').assertReply('You said green then yellow (started: true).').startTest();
    await a.send('blue').assertReply('You said red then blue (started: true).').startTest();
    expect(new Set(configurations).size).toBe(1);
  });
});
