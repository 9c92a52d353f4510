import { TurnContext } from 'botbuilder';
import { z } from 'zod';
import { AdaptiveCard, CardElement } from '../../cards/adaptiveCard';
import { FormCardFrame } from '../../cards/formCard';
import { londonDate } from '../../policy/dates';
import { FormServices } from '../../services/formServices';
import { recogniseIntent } from '../intents';
import { readingAnswersOn } from '../recognition/answerDay';
import { FormState } from './formContext';
import { Command, commandOf, Question, QuestionEnv, Reply } from './question';
import { sendInPlaceOfAnswered } from './cardInPlace';

/** `handBack`: the dialog stops and the bot reads `text` afresh ("new starter" typed at the name step). */
export type PromptResult = { kind: 'answer'; value: unknown } | { kind: 'back' } | { kind: 'cancel' } | { kind: 'handBack'; text: string };

/** A question being asked: the dialog's stored state (the prompt notes in it what its card asks) and the card's frame. */
export interface Asking {
  state: FormState;
  frame: FormCardFrame;
}

/** What a guided dialog ends with when it hands the message back to the bot. */
const handedBackSchema = z.object({ handBack: z.string() });

/** The text a finished dialog handed back to be read as a new message, if it did. */
export function handedBackText(dialogResult: unknown): string | undefined {
  const parsed = handedBackSchema.safeParse(dialogResult);
  return parsed.success ? parsed.data.handBack : undefined;
}

/**
 * Asks one question with a card and reads the replies until one is a valid answer. Typed text is
 * accepted where it makes sense; "cancel", "back" and "help" work at every step; a click on a card
 * from an earlier question is recognised and the current question asked again. Each method returns
 * what the reply came to, or undefined while the question waits for an answer.
 */
export class QuestionPrompt {
  constructor(
    private readonly question: Question,
    private readonly services: FormServices,
  ) {}

  /** Asks the question, or takes its answer from the sentence that started the dialog. */
  async begin(context: TurnContext, asking: Asking): Promise<PromptResult | undefined> {
    const env = this.env(asking);
    const { opening } = asking.state.ctx;
    const fromOpening = this.question.fromOpening;
    // Only the first time: after "back" the earlier answer is there, and the question must be asked.
    if (opening && fromOpening && asking.state.answers[this.question.id] === undefined) {
      const presumed = await this.reading(() => fromOpening(opening, env));
      const parsed = presumed?.kind === 'said' ? await this.reading(() => this.question.parse(presumed.reply, env)) : undefined;
      if (presumed?.kind === 'said' && parsed?.ok) {
        await context.sendActivity(presumed.note);
        return { kind: 'answer', value: parsed.value };
      }
      const instead = parsed && !parsed.ok ? parsed : presumed?.kind === 'ask' ? presumed : undefined;
      if (instead) {
        await context.sendActivity(instead.message);
        await this.send(context, asking, instead.card ?? (await this.question.ask(env)));
        return undefined;
      }
    }
    await this.send(context, asking, await this.question.ask(env));
    return undefined;
  }

  /** Reads this turn's message as the reply to the question. */
  async read(context: TurnContext, asking: Asking): Promise<PromptResult | undefined> {
    const activity = context.activity;
    if (activity.type !== 'message') return undefined;
    const reply: Reply = {
      ...(isRecord(activity.value) ? { value: activity.value } : {}),
      ...(typeof activity.text === 'string' && activity.text.trim() ? { text: TurnContext.removeRecipientMention(activity)?.trim() ?? activity.text.trim() } : {}),
    };
    const { state, frame } = asking;
    const env = this.env(asking);
    const typedCommand = this.question.commandText?.(reply);
    const elsewhere = typedCommand !== undefined ? this.elsewhere(typedCommand, state) : false;

    if (elsewhere && Object.keys(state.answers).some((id) => id !== this.question.id)) {
      // Answers further on would be lost: the person finishes or cancels first.
      await context.sendActivity(`You are in the middle of: ${frame.title}. Finish it, or type "cancel" to stop it first. Here is where we are:`);
      await this.send(context, asking, await this.question.ask(env));
      return undefined;
    }
    if (elsewhere && typedCommand !== undefined) {
      await context.sendActivity(`Stopped: ${frame.title}. Nothing was saved.`);
      return { kind: 'handBack', text: typedCommand };
    }

    switch (commandOf(reply) ?? (typedCommand !== undefined ? this.commandIn(typedCommand) : undefined)) {
      case 'cancel':
        return { kind: 'cancel' };
      case 'back':
        return { kind: 'back' };
      case 'help':
        await context.sendActivity(`${this.question.help} Type "back" to change your last answer, or "cancel" to stop (nothing is sent).`);
        await this.send(context, asking, await this.question.ask(env));
        return undefined;
    }

    if (reply.value?.verb === 'startDialog' || reply.value?.verb === 'showMenu' || reply.value?.verb === 'showHelp') {
      // A menu button pressed mid-dialog must not throw away what has been typed so far.
      await context.sendActivity(`You are in the middle of: ${frame.title}. Finish it, or type "cancel" to stop it first. Here is where we are:`);
      await this.send(context, asking, await this.question.ask(env));
      return undefined;
    }
    if (reply.value && reply.value.question !== undefined && reply.value.question !== this.question.id) {
      await context.sendActivity('That card is from an earlier step. Here is where we are now:');
      await this.send(context, asking, await this.question.ask(env));
      return undefined;
    }
    if (!reply.value && !reply.text) return undefined;

    // A date typed as a message where the card asks only for a date ("last Friday") is that date.
    const answer: Reply = !reply.value && reply.text && state.typedDateField ? { ...reply, value: { [state.typedDateField]: reply.text } } : reply;
    const parsed = await this.reading(() => this.question.parse(answer, env));
    if (parsed.ok) return { kind: 'answer', value: parsed.value };
    await context.sendActivity(parsed.message);
    await this.send(context, asking, parsed.card ?? (await this.question.ask({ ...env, frame: { ...env.frame, error: parsed.message } })));
    return undefined;
  }

  /** Sends the question's card again. */
  async reprompt(context: TurnContext, asking: Asking): Promise<void> {
    await this.send(context, asking, await this.question.ask(this.env(asking)));
  }

  /** Typed words that belong to another dialog or the menu, at a step that reads them as commands. */
  private elsewhere(text: string, state: FormState): boolean {
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

  private env({ state, frame }: Asking): QuestionEnv {
    return { ctx: state.ctx, answers: state.answers, frame: { ...frame }, services: this.services };
  }

  /** Sends a card and remembers whether a typed reply to it can only be a date. */
  private async send(context: TurnContext, { state }: Asking, card: AdaptiveCard): Promise<void> {
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
