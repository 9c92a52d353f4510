import { ComponentDialog, DialogContext, DialogTurnResult, WaterfallDialog, WaterfallStepContext } from '../dialogsSdk';
import { receiptCard, SummaryRow } from '../../cards/planCards';
import { planByPerson } from '../../policy/stepOwners';
import { CaseAnswers } from '../../policy/cases';
import { CaseSubject } from '../../policy/caseRecord';
import { planViewFor } from '../../policy/views';
import { CaseBlockedError, CaseNotSavedError, FormServices, RaisedCase } from '../../services/formServices';
import { Answers, FormContext, FormId, formProgressSchema, FormProgress, FORM_VERSION, StaleDialogStateError } from './formContext';
import { Question } from './question';
import { PromptBegin, PromptResult, QuestionPrompt } from './questionPrompt';
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
 * A guided dialog: a ComponentDialog whose waterfall asks each question with a QuestionPrompt, then
 * saves. "Back" restarts the waterfall at the previous question, keeping every answer, so each card
 * comes back filled in. Progress lives in the waterfall's state in Azure Tables, so a restarted bot
 * carries on where it was.
 */
export class GuidedDialog extends ComponentDialog {
  private readonly waterfallId: string;

  constructor(
    private readonly spec: GuidedDialogSpec,
    private readonly services: FormServices,
  ) {
    super(spec.id);
    this.waterfallId = `${spec.id}.flow`;
    const steps = spec.questions.map((_q, i) => (step: WaterfallStepContext) => this.questionStep(step, i));
    steps.push((step) => this.finalStep(step));
    this.addDialog(new WaterfallDialog(this.waterfallId, steps));
    for (const q of spec.questions) this.addDialog(new QuestionPrompt(this.promptId(q), q, services));
    this.initialDialogId = this.waterfallId;
  }

  override async onBeginDialog(innerDc: DialogContext, options?: FormProgress): Promise<DialogTurnResult> {
    return innerDc.beginDialog(this.waterfallId, formProgressSchema.parse(options));
  }

  private promptId(q: Question): string {
    return `${this.spec.id}.ask.${q.id}`;
  }

  private progress(step: WaterfallStepContext): FormProgress {
    if (step.index === 0) save(step, formProgressSchema.parse(step.options));
    const parsed = formProgressSchema.safeParse(values(step).progress);
    if (!parsed.success || parsed.data.ctx.version !== FORM_VERSION) throw new StaleDialogStateError(`${this.spec.id} progress`);
    return parsed.data;
  }

  /** Handles the answer to question i-1, then asks question i (or skips it). */
  private async questionStep(step: WaterfallStepContext, i: number): Promise<DialogTurnResult> {
    const progress = this.progress(step);
    if (i > 0) {
      const handled = await this.takeResult(step, progress, i - 1);
      if (handled) return handled;
    }
    const q = this.spec.questions[i]!;
    if (i < progress.startAt || q.skip?.(progress.answers, progress.ctx)) {
      save(step, progress);
      return step.next({ kind: 'skipped' });
    }
    const visible = this.spec.questions.filter((x) => !x.skip?.(progress.answers, progress.ctx));
    const position = visible.indexOf(q) + 1;
    const silent = progress.silentAt === i;
    const about = (this.spec.about ?? aboutOf)(progress.answers);
    // Once only: "back" from here passes progress on, and the earlier question's card must be sent.
    delete progress.silentAt;
    const options: PromptBegin = {
      ...(silent ? { silent } : {}),
      ctx: progress.ctx,
      answers: progress.answers,
      frame: {
        title: this.spec.title,
        questionId: q.id,
        step: position,
        total: visible.length,
        canGoBack: position > 1,
        ...(i === this.spec.questions.length - 1 ? { submitData: { draftId: progress.ctx.draftId } } : {}),
        ...(about && !ASKS_WHO.has(q.id) ? { about } : {}),
      },
    };
    save(step, progress);
    return step.beginDialog(this.promptId(q), options);
  }

  /** Returns a turn result when the answer ends or rewinds the dialog; undefined to carry on. */
  private async takeResult(step: WaterfallStepContext, progress: FormProgress, index: number): Promise<DialogTurnResult | undefined> {
    const result = step.result as PromptResult | { kind: 'skipped' } | undefined;
    if (!result || result.kind === 'skipped') return undefined;
    if (result.kind === 'cancel') {
      this.retire(step, progress, index, 'Stopped: nothing was saved or sent.');
      await step.context.sendActivity('Stopped. Nothing has been saved or sent. Type "menu" to start again.');
      return step.endDialog({ cancelled: true });
    }
    if (result.kind === 'handBack') return step.endDialog({ handBack: result.text });
    if (result.kind === 'back') {
      const earlier = progress.asked.filter((n) => n < index);
      const target = earlier.length > 0 ? earlier[earlier.length - 1]! : index;
      if (target === index) await step.context.sendActivity('This is the first question.');
      else this.retire(step, progress, index, 'You went back to change an earlier answer.');
      return step.replaceDialog(this.waterfallId, { ...progress, asked: earlier.filter((n) => n < target), startAt: target } satisfies FormProgress);
    }
    const q = this.spec.questions[index]!;
    progress.answers = { ...progress.answers, [q.id]: result.value };
    progress.asked = [...progress.asked.filter((n) => n !== index), index];
    save(step, progress);
    // The confirmation gives way once the case is saved: to the receipt, or a line with its reference.
    if (index < this.spec.questions.length - 1) {
      const about = ASKS_WHO.has(q.id) ? aboutOf(progress.answers) : undefined;
      this.retire(step, progress, index, about ? `Child: ${about}` : 'Answered: your answers are on the "Check and send" card.');
    }
    return undefined;
  }

  /**
   * The card just answered gives way: to the next question in its place, or else to a read-only line
   * (its buttons, pressed again later, would only confuse). Only a card's own button press says which
   * card it was; a typed answer leaves it.
   */
  private retire(step: WaterfallStepContext, progress: FormProgress, index: number, outcome: string): void {
    const { replyToId, value } = step.context.activity;
    if (!replyToId || !value) return;
    const visible = this.spec.questions.filter((x) => !x.skip?.(progress.answers, progress.ctx));
    const position = Math.max(1, visible.indexOf(this.spec.questions[index]!) + 1);
    putAwayLater(step.context, replyToId, usedFormCard(this.spec.title, position, visible.length, outcome));
  }

  private async finalStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const progress = this.progress(step);
    const handled = await this.takeResult(step, progress, this.spec.questions.length - 1);
    if (handled) return handled;
    const { ctx } = progress;
    if (this.spec.finish) {
      await step.context.sendActivity(await this.spec.finish(progress.answers, ctx, this.services));
      return step.endDialog();
    }
    const built = this.spec.toCase(progress.answers, ctx);
    let raised: RaisedCase;
    try {
      raised = await this.services.raiseCase({ schoolId: ctx.schoolId, subject: built.subject, answers: built.answers, raisedBy: ctx.user, draftId: ctx.draftId });
    } catch (err) {
      if (!(err instanceof CaseNotSavedError) && !(err instanceof CaseBlockedError)) throw err;
      await step.context.sendActivity(err instanceof CaseBlockedError ? `Nothing has been sent: this cannot be sent as it stands. ${err.reason} Type "back" to change it, or "cancel" to stop.` : NOT_SAVED_MESSAGE);
      // Back to the confirmation with every answer, so Send (or "send") tries again with the same draft id.
      const confirmAt = this.spec.questions.length - 1;
      return step.replaceDialog(this.waterfallId, {
        ...progress,
        asked: progress.asked.filter((n) => n !== confirmAt),
        startAt: confirmAt,
        silentAt: confirmAt,
      } satisfies FormProgress);
    }
    this.retire(step, progress, this.spec.questions.length - 1, raised.created ? `Sent: reference ${raised.ref}` : `Already sent: reference ${raised.ref}`);
    const view = planViewFor(ctx.roles, raised.plan);
    if (view) {
      const people = planByPerson(raised.plan, { staff: await this.services.schoolStaff(ctx.schoolId) }, ctx.user, ctx.user.aadObjectId);
      await sendInPlaceOfAnswered(step.context, receiptCard(raised.ref, this.spec.title, view, !raised.created, people));
    }
    if (raised.created) await this.services.deliverStaffNotifications(ctx.schoolId, raised);
    return step.endDialog({ ref: raised.ref });
  }
}

export type { SummaryRow };

/** The questions that ask who the dialog is about, and the confirmation, which names them itself. */
const ASKS_WHO: ReadonlySet<string> = new Set(['pupil', 'onRegister', 'newStarter', 'confirm']);

function aboutOf(answers: Answers): string | undefined {
  const pupil = pupilAnswerSchema.safeParse(answers.pupil);
  return pupil.success ? pupil.data.label : undefined;
}

/** The waterfall's per-run values (typed `object` by botbuilder). */
function values(step: WaterfallStepContext): Record<string, unknown> {
  return step.values as Record<string, unknown>;
}

function save(step: WaterfallStepContext, progress: FormProgress): void {
  values(step).progress = progress;
}
