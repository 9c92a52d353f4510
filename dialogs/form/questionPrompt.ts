import { TurnContext } from 'botbuilder';
import { Dialog, DialogContext, DialogInstance, DialogTurnResult } from '../dialogsSdk';
import { z } from 'zod';
import { AdaptiveCard, CardElement } from '../../cards/adaptiveCard';
import { FormCardFrame } from '../../cards/formCard';
import { londonDate } from '../../policy/dates';
import { FormServices } from '../../services/formServices';
import { recogniseIntent } from '../intents';
import { readingAnswersOn } from '../recognition/answerDay';
import { answersSchema, formContextSchema, StaleDialogStateError } from './formContext';
import { Command, commandOf, Question, QuestionEnv, Reply } from './question';
import { sendInPlaceOfAnswered } from './cardInPlace';

/** `handBack`: the dialog stops and the bot reads `text` afresh ("new starter" typed at the name step). */
export type PromptResult = { kind: 'answer'; value: unknown } | { kind: 'back' } | { kind: 'cancel' } | { kind: 'handBack'; text: string };

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
  /** The card last sent asks for a date and nothing else needed: a typed reply is that date. */
  typedDateField: z.string().optional(),
});
export type PromptOptions = z.infer<typeof promptStateSchema>;
/** How a prompt begins: `silent` waits for an answer to the card already in the chat. */
export type PromptBegin = PromptOptions & { silent?: boolean };

/** What a guided dialog ends with when it hands the message back to the bot. */
const handedBackSchema = z.object({ handBack: z.string() });

/** The text a finished dialog handed back to be read as a new message, if it did. */
export function handedBackText(dialogResult: unknown): string | undefined {
  const parsed = handedBackSchema.safeParse(dialogResult);
  return parsed.success ? parsed.data.handBack : undefined;
}

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
    if (options?.silent) return Dialog.EndOfTurn;
    const env = this.env(state);
    const { opening } = state.ctx;
    const fromOpening = this.question.fromOpening;
    // Only the first time: after "back" the earlier answer is there, and the question must be asked.
    if (opening && fromOpening && state.answers[this.question.id] === undefined) {
      const presumed = await this.reading(() => fromOpening(opening, env));
      const parsed = presumed?.kind === 'said' ? await this.reading(() => this.question.parse(presumed.reply, env)) : undefined;
      if (presumed?.kind === 'said' && parsed?.ok) {
        await dc.context.sendActivity(presumed.note);
        return dc.endDialog({ kind: 'answer', value: parsed.value } satisfies PromptResult);
      }
      const instead = parsed && !parsed.ok ? parsed : presumed?.kind === 'ask' ? presumed : undefined;
      if (instead) {
        await dc.context.sendActivity(instead.message);
        await this.send(dc.context, state, instead.card ?? (await this.question.ask(env)));
        return Dialog.EndOfTurn;
      }
    }
    await this.send(dc.context, state, await this.question.ask(env));
    return Dialog.EndOfTurn;
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const parsedState = promptStateSchema.safeParse(dc.activeDialog?.state.prompt);
    if (!parsedState.success) throw new StaleDialogStateError(`prompt ${this.id}`);
    const state = parsedState.data;
    // The card sent this turn (if any) is remembered in the stored state itself.
    dc.activeDialog!.state.prompt = state;
    const activity = dc.context.activity;
    if (activity.type !== 'message') return Dialog.EndOfTurn;
    const reply: Reply = {
      ...(isRecord(activity.value) ? { value: activity.value } : {}),
      ...(typeof activity.text === 'string' && activity.text.trim() ? { text: TurnContext.removeRecipientMention(activity)?.trim() ?? activity.text.trim() } : {}),
    };
    const env = this.env(state);
    const typedCommand = this.question.commandText?.(reply);
    const elsewhere = typedCommand !== undefined ? this.elsewhere(typedCommand, state) : false;

    if (elsewhere && Object.keys(state.answers).some((id) => id !== this.question.id)) {
      // Answers further on would be lost: the person finishes or cancels first.
      await dc.context.sendActivity(`You are in the middle of: ${state.frame.title}. Finish it, or type "cancel" to stop it first. Here is where we are:`);
      await this.send(dc.context, state, await this.question.ask(env));
      return Dialog.EndOfTurn;
    }
    if (elsewhere && typedCommand !== undefined) {
      await dc.context.sendActivity(`Stopped: ${state.frame.title}. Nothing was saved.`);
      return dc.endDialog({ kind: 'handBack', text: typedCommand } satisfies PromptResult);
    }

    switch (commandOf(reply) ?? (typedCommand !== undefined ? this.commandIn(typedCommand) : undefined)) {
      case 'cancel':
        return dc.endDialog({ kind: 'cancel' } satisfies PromptResult);
      case 'back':
        return dc.endDialog({ kind: 'back' } satisfies PromptResult);
      case 'help':
        await dc.context.sendActivity(`${this.question.help} Type "back" to change your last answer, or "cancel" to stop (nothing is sent).`);
        await this.send(dc.context, state, await this.question.ask(env));
        return Dialog.EndOfTurn;
    }

    if (reply.value?.verb === 'startDialog' || reply.value?.verb === 'showMenu' || reply.value?.verb === 'showHelp') {
      // A menu button pressed mid-dialog must not throw away what has been typed so far.
      await dc.context.sendActivity(`You are in the middle of: ${state.frame.title}. Finish it, or type "cancel" to stop it first. Here is where we are:`);
      await this.send(dc.context, state, await this.question.ask(env));
      return Dialog.EndOfTurn;
    }
    if (reply.value && reply.value.question !== undefined && reply.value.question !== this.question.id) {
      await dc.context.sendActivity('That card is from an earlier step. Here is where we are now:');
      await this.send(dc.context, state, await this.question.ask(env));
      return Dialog.EndOfTurn;
    }
    if (!reply.value && !reply.text) return Dialog.EndOfTurn;

    // A date typed as a message where the card asks only for a date ("last Friday") is that date.
    const answer: Reply = !reply.value && reply.text && state.typedDateField ? { ...reply, value: { [state.typedDateField]: reply.text } } : reply;
    const parsed = await this.reading(() => this.question.parse(answer, env));
    if (parsed.ok) return dc.endDialog({ kind: 'answer', value: parsed.value } satisfies PromptResult);
    await dc.context.sendActivity(parsed.message);
    await this.send(dc.context, state, parsed.card ?? (await this.question.ask({ ...env, frame: { ...env.frame, error: parsed.message } })));
    return Dialog.EndOfTurn;
  }

  override async repromptDialog(context: TurnContext, instance: DialogInstance): Promise<void> {
    const state = promptStateSchema.safeParse(instance.state?.prompt);
    if (!state.success) throw new StaleDialogStateError(`prompt ${this.id}`);
    instance.state.prompt = state.data;
    await this.send(context, state.data, await this.question.ask(this.env(state.data)));
  }

  /** Typed words that belong to another dialog or the menu, at a step that reads them as commands. */
  private elsewhere(text: string, state: PromptOptions): boolean {
    const intent = recogniseIntent(text);
    return intent.kind === 'menu' || (intent.kind === 'start' && intent.dialog !== state.ctx.formId);
  }

  /** "stop please", "go back", "what can you do": commands in other words, where commands come first. */
  private commandIn(text: string): Command | undefined {
    const intent = recogniseIntent(text);
    return intent.kind === 'cancel' || intent.kind === 'back' || intent.kind === 'help' ? intent.kind : undefined;
  }

  /** Reads an answer on the London date of the services' clock, so relative dates mean that day. */
  private reading<T>(read: () => T): T {
    return readingAnswersOn(londonDate(this.services.now()), read);
  }

  private env(state: PromptOptions): QuestionEnv {
    const frame: FormCardFrame = { ...state.frame };
    return { ctx: state.ctx, answers: state.answers, frame, services: this.services };
  }

  /** Sends a card and remembers whether a typed reply to it can only be a date. */
  private async send(context: TurnContext, state: PromptOptions, card: AdaptiveCard): Promise<void> {
    const field = soleDateInput(card);
    if (field) state.typedDateField = field;
    else delete state.typedDateField;
    await sendInPlaceOfAnswered(context, card);
  }
}

/** The id of a card's one date input, when nothing else on the card must be filled in. */
function soleDateInput(card: AdaptiveCard): string | undefined {
  const inputs: CardElement[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!isRecord(node)) return;
    if (typeof node.type === 'string' && node.type.startsWith('Input.')) inputs.push(node as CardElement);
    for (const key of ['items', 'columns', 'body']) walk(node[key]);
  };
  walk(card.body);
  const dates = inputs.filter((i) => i.type === 'Input.Date');
  const othersNeeded = inputs.some((i) => i.type !== 'Input.Date' && i.isRequired === true);
  return dates.length === 1 && !othersNeeded && typeof dates[0]!.id === 'string' ? dates[0]!.id : undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
