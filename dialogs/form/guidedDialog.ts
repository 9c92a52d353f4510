import { TurnContext } from 'botbuilder';
import { Dialog, DialogContext, DialogInstance, DialogTurnResult } from '../dialogsSdk';
import { receiptCard, SummaryRow } from '../../cards/planCards';
import { planByPerson } from '../../policy/stepOwners';
import { CaseAnswers } from '../../policy/cases';
import { CaseSubject } from '../../policy/caseRecord';
import { planViewFor } from '../../policy/views';
import { CaseBlockedError, CaseNotSavedError, FormServices, RaisedCase } from '../../services/formServices';
import { Answers, FormBegin, formBeginSchema, FormContext, FormId, formStateSchema, FormState, fromNestedState, StaleDialogStateError } from './formContext';
import { Question } from './question';
import { Asking, PromptResult, QuestionPrompt } from './questionPrompt';
import { usedFormCard } from '../../cards/formCard';
import { putAwayLater, sendInPlaceOfAnswered } from './cardInPlace';
import { pupilAnswerSchema } from '../questions/pupilQuestion';

/** What the teacher is told when Send could not save: nothing half-saved, nothing lost, safe to press again. */
export const NOT_SAVED_MESSAGE =
  "Not saved: I could not reach the school's records just now. Your answers are kept: press Send on the card above again, " +
  'or try again in a minute. If a child is at immediate risk of harm, do not wait: speak to the DSL now.';

export interface GuidedDialogSpec {
  id: FormId;
  /** "Attendance concern". */
  title: string;
  /** In order; the last is the confirmation. */
  questions: Question[];
  /** Turns collected answers into a validated case (throws if they cannot be). */
  toCase(answers: Answers, ctx: FormContext): { subject: CaseSubject; answers: CaseAnswers };
  /** Who the dialog is about once known, for the line at the top of each card (default: the child chosen from the register). */
  about?(answers: Answers): string | undefined;
  /** For a dialog that records something other than a case: saves it and says what was done. */
  finish?(answers: Answers, ctx: FormContext, services: FormServices): Promise<string>;
}

/**
 * A guided dialog: asks each question in turn with its QuestionPrompt, then saves. "Back" goes to
 * the question answered before, keeping every answer, so each card comes back filled in. Its whole
 * state (who is asking, the answers, the question being asked) is one record in the dialog's own
 * instance, kept in Azure Tables, so a restarted bot carries on where it was. It is one dialog on
 * botbuilder's stack rather than a component holding a waterfall and a prompt a question: a turn
 * then makes one dialog context and checks one state, not three of each (issue 20).
 */
export class GuidedDialog extends Dialog<FormBegin> {
  private readonly prompts: QuestionPrompt[];

  constructor(
    private readonly spec: GuidedDialogSpec,
    private readonly services: FormServices,
  ) {
    super(spec.id);
    this.prompts = spec.questions.map((q) => new QuestionPrompt(q, services));
  }

  override async beginDialog(dc: DialogContext, options?: FormBegin): Promise<DialogTurnResult> {
    const { ctx } = formBeginSchema.parse(options);
    const state: FormState = { ctx, answers: {}, asked: [], at: 0 };
    dc.activeDialog!.state.form = state;
    return this.askFrom(dc, state, 0);
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const state = this.stateOf(dc.activeDialog);
    const result = await this.prompts[state.at]!.read(dc.context, this.asking(state));
    return result ? this.take(dc, state, result) : Dialog.EndOfTurn;
  }

  override async repromptDialog(context: TurnContext, instance: DialogInstance): Promise<void> {
    const state = this.stateOf(instance);
    await this.prompts[state.at]!.reprompt(context, this.asking(state));
  }

  private stateOf(instance: DialogInstance | undefined): FormState {
    const parsed = formStateSchema.safeParse(instance?.state?.form);
    const state = parsed.success ? parsed.data : fromNestedState(instance?.state, this.spec.questions.map((q) => q.id));
    if (!state || state.at >= this.spec.questions.length) throw new StaleDialogStateError(`${this.spec.id} state`);
    // Read from the versions before: kept from now on as today's state alone.
    if (!parsed.success) delete instance!.state.dialogs;
    // The parsed copy is what the turn changes (the card sent, the answers), so it is what is stored.
    instance!.state.form = state;
    return state;
  }

  /**
   * Asks the first question from `from` on that applies (or, `silent`, waits for an answer to its
   * card already in the chat); past the last, saves.
   */
  private async askFrom(dc: DialogContext, state: FormState, from: number, silent = false): Promise<DialogTurnResult> {
    // What the last card asked no longer counts: the card sent next says what a typed reply may be.
    delete state.typedDateField;
    for (let i = from; i < this.spec.questions.length; i++) {
      if (this.spec.questions[i]!.skip?.(state.answers, state.ctx)) continue;
      state.at = i;
      if (silent) return Dialog.EndOfTurn;
      const result = await this.prompts[i]!.begin(dc.context, this.asking(state));
      return result ? this.take(dc, state, result) : Dialog.EndOfTurn;
    }
    return this.finish(dc, state);
  }

  /** Where question `index` stands among the questions that apply (position 0 if it does not apply). */
  private place(state: FormState, index: number): { position: number; total: number } {
    const visible = this.spec.questions.filter((x) => !x.skip?.(state.answers, state.ctx));
    return { position: visible.indexOf(this.spec.questions[index]!) + 1, total: visible.length };
  }

  /** The card's frame for the question being asked: where it stands in the questions that apply. */
  private asking(state: FormState): Asking {
    const i = state.at;
    const q = this.spec.questions[i]!;
    const { position, total } = this.place(state, i);
    const about = (this.spec.about ?? aboutOf)(state.answers);
    return {
      state,
      frame: {
        title: this.spec.title,
        questionId: q.id,
        step: position,
        total,
        canGoBack: position > 1,
        ...(i === this.spec.questions.length - 1 ? { submitData: { draftId: state.ctx.draftId } } : {}),
        ...(about && !ASKS_WHO.has(q.id) ? { about } : {}),
      },
    };
  }

  /** What the reply to the question being asked came to: the next question, the dialog's end, or an earlier question again. */
  private async take(dc: DialogContext, state: FormState, result: PromptResult): Promise<DialogTurnResult> {
    const index = state.at;
    if (result.kind === 'cancel') {
      this.retire(dc.context, state, index, 'Stopped: nothing was saved or sent.');
      await dc.context.sendActivity('Stopped. Nothing has been saved or sent. Type "menu" to start again.');
      return dc.endDialog({ cancelled: true });
    }
    if (result.kind === 'handBack') return dc.endDialog({ handBack: result.text });
    if (result.kind === 'back') {
      const earlier = state.asked.filter((n) => n < index);
      const target = earlier.length > 0 ? earlier[earlier.length - 1]! : index;
      if (target === index) await dc.context.sendActivity('This is the first question.');
      else this.retire(dc.context, state, index, 'You went back to change an earlier answer.');
      state.asked = earlier.filter((n) => n < target);
      return this.askFrom(dc, state, target);
    }
    const q = this.spec.questions[index]!;
    state.answers = { ...state.answers, [q.id]: result.value };
    state.asked = [...state.asked.filter((n) => n !== index), index];
    // The confirmation gives way once the case is saved: to the receipt, or a line with its reference.
    if (index < this.spec.questions.length - 1) {
      const about = ASKS_WHO.has(q.id) ? aboutOf(state.answers) : undefined;
      this.retire(dc.context, state, index, about ? `Child: ${about}` : 'Answered: your answers are on the "Check and send" card.');
    }
    return this.askFrom(dc, state, index + 1);
  }

  /**
   * The card just answered gives way: to the next question in its place, or else to a read-only line
   * (its buttons, pressed again later, would only confuse). Only a card's own button press says which
   * card it was; a typed answer leaves it.
   */
  private retire(context: TurnContext, state: FormState, index: number, outcome: string): void {
    const { replyToId, value } = context.activity;
    if (!replyToId || !value) return;
    const { position, total } = this.place(state, index);
    putAwayLater(context, replyToId, usedFormCard(this.spec.title, Math.max(1, position), total, outcome));
  }

  /** Every question answered: saves what the dialog records, and says so. */
  private async finish(dc: DialogContext, state: FormState): Promise<DialogTurnResult> {
    const { ctx } = state;
    if (this.spec.finish) {
      await dc.context.sendActivity(await this.spec.finish(state.answers, ctx, this.services));
      return dc.endDialog();
    }
    const built = this.spec.toCase(state.answers, ctx);
    const confirmAt = this.spec.questions.length - 1;
    let raised: RaisedCase;
    try {
      raised = await this.services.raiseCase({ schoolId: ctx.schoolId, subject: built.subject, answers: built.answers, raisedBy: ctx.user, draftId: ctx.draftId });
    } catch (err) {
      if (!(err instanceof CaseNotSavedError) && !(err instanceof CaseBlockedError)) throw err;
      await dc.context.sendActivity(err instanceof CaseBlockedError ? `Nothing has been sent: this cannot be sent as it stands. ${err.reason} Type "back" to change it, or "cancel" to stop.` : NOT_SAVED_MESSAGE);
      // Back to the confirmation with every answer, so Send (or "send") tries again with the same
      // draft id. Its card is still the one in the chat (and drawing it again needs the records that just failed).
      state.asked = state.asked.filter((n) => n !== confirmAt);
      return this.askFrom(dc, state, confirmAt, true);
    }
    this.retire(dc.context, state, confirmAt, raised.created ? `Sent: reference ${raised.ref}` : `Already sent: reference ${raised.ref}`);
    const view = planViewFor(ctx.roles, raised.plan);
    if (view) {
      const people = planByPerson(raised.plan, { staff: await this.services.schoolStaff(ctx.schoolId) }, ctx.user, ctx.user.aadObjectId);
      await sendInPlaceOfAnswered(dc.context, receiptCard(raised.ref, this.spec.title, view, !raised.created, people));
    }
    if (raised.created) await this.services.deliverStaffNotifications(ctx.schoolId, raised);
    return dc.endDialog({ ref: raised.ref });
  }
}

export type { SummaryRow };

/** The questions that ask who the dialog is about, and the confirmation, which names them itself. */
const ASKS_WHO: ReadonlySet<string> = new Set(['pupil', 'onRegister', 'newStarter', 'confirm']);

function aboutOf(answers: Answers): string | undefined {
  const pupil = pupilAnswerSchema.safeParse(answers.pupil);
  return pupil.success ? pupil.data.label : undefined;
}
