import { TurnContext } from 'botbuilder';
import { Dialog, DialogContext, DialogInstance, DialogTurnResult } from 'botbuilder-dialogs';
import { z } from 'zod';
import { AdaptiveCard } from '../../cards/adaptiveCard';
import { FormCardFrame } from '../../cards/formCard';
import { FormServices } from '../../services/formServices';
import { answersSchema, formContextSchema, StaleDialogStateError } from './formContext';
import { commandOf, Question, QuestionEnv, Reply } from './question';
import { cardReply } from '../../cards/cardReply';

export type PromptResult = { kind: 'answer'; value: unknown } | { kind: 'back' } | { kind: 'cancel' };

const promptStateSchema = z.object({
  ctx: formContextSchema,
  answers: answersSchema,
  frame: z.object({
    title: z.string(),
    questionId: z.string(),
    step: z.number(),
    total: z.number(),
    canGoBack: z.boolean(),
    submitData: z.record(z.string(), z.string()).optional(),
    about: z.string().optional(),
  }),
});
export type PromptOptions = z.infer<typeof promptStateSchema>;
/** How a prompt begins: `silent` waits for an answer to the card already in the chat. */
export type PromptBegin = PromptOptions & { silent?: boolean };

/**
 * Asks one question with a card and waits until the answer is valid. Typed text is accepted where
 * it makes sense; "cancel", "back" and "help" work at every step; a click on a card from an
 * earlier question is recognised and the current question asked again.
 */
export class QuestionPrompt extends Dialog<PromptBegin> {
  constructor(
    id: string,
    private readonly question: Question,
    private readonly services: FormServices,
  ) {
    super(id);
  }

  override async beginDialog(dc: DialogContext, options?: PromptBegin): Promise<DialogTurnResult> {
    const state = promptStateSchema.parse(options);
    dc.activeDialog!.state.prompt = state;
    if (!options?.silent) await this.send(dc.context, await this.question.ask(this.env(state)));
    return Dialog.EndOfTurn;
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const parsedState = promptStateSchema.safeParse(dc.activeDialog?.state.prompt);
    if (!parsedState.success) throw new StaleDialogStateError(`prompt ${this.id}`);
    const state = parsedState.data;
    const activity = dc.context.activity;
    if (activity.type !== 'message') return Dialog.EndOfTurn;
    const reply: Reply = {
      ...(isRecord(activity.value) ? { value: activity.value } : {}),
      ...(typeof activity.text === 'string' && activity.text.trim() ? { text: TurnContext.removeRecipientMention(activity)?.trim() ?? activity.text.trim() } : {}),
    };
    const env = this.env(state);

    switch (commandOf(reply)) {
      case 'cancel':
        return dc.endDialog({ kind: 'cancel' } satisfies PromptResult);
      case 'back':
        return dc.endDialog({ kind: 'back' } satisfies PromptResult);
      case 'help':
        await dc.context.sendActivity(`${this.question.help} Type "back" to change your last answer, or "cancel" to stop (nothing is sent).`);
        await this.send(dc.context, await this.question.ask(env));
        return Dialog.EndOfTurn;
    }

    if (reply.value?.verb === 'startDialog' || reply.value?.verb === 'showMenu' || reply.value?.verb === 'showHelp') {
      // A menu button pressed mid-dialog must not throw away what has been typed so far.
      await dc.context.sendActivity(`You are in the middle of: ${state.frame.title}. Finish it, or type "cancel" to stop it first. Here is where we are:`);
      await this.send(dc.context, await this.question.ask(env));
      return Dialog.EndOfTurn;
    }
    if (reply.value && reply.value.question !== undefined && reply.value.question !== this.question.id) {
      await dc.context.sendActivity('That card is from an earlier step. Here is where we are now:');
      await this.send(dc.context, await this.question.ask(env));
      return Dialog.EndOfTurn;
    }
    if (!reply.value && !reply.text) return Dialog.EndOfTurn;

    const parsed = await this.question.parse(reply, env);
    if (parsed.ok) return dc.endDialog({ kind: 'answer', value: parsed.value } satisfies PromptResult);
    await dc.context.sendActivity(parsed.message);
    await this.send(dc.context, parsed.card ?? (await this.question.ask({ ...env, frame: { ...env.frame, error: parsed.message } })));
    return Dialog.EndOfTurn;
  }

  override async repromptDialog(context: TurnContext, instance: DialogInstance): Promise<void> {
    const state = promptStateSchema.safeParse(instance.state?.prompt);
    if (!state.success) throw new StaleDialogStateError(`prompt ${this.id}`);
    await this.send(context, await this.question.ask(this.env(state.data)));
  }

  private env(state: PromptOptions): QuestionEnv {
    const frame: FormCardFrame = { ...state.frame };
    return { ctx: state.ctx, answers: state.answers, frame, services: this.services };
  }

  private async send(context: TurnContext, card: AdaptiveCard): Promise<void> {
    await context.sendActivity(cardReply(card));
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
