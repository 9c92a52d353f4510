import { z } from 'zod';
import { isoDateSchema } from '../../policy/dates';
import { roleSchema } from '../../policy/roles';

/**
 * Bump when a change to a dialog's questions or stored answers would make a conversation saved
 * by the previous version continue wrongly: such conversations restart politely instead.
 */
export const FORM_VERSION = 2;

export const formIdSchema = z.enum(['attendance', 'suspension', 'admission', 'pep']);
export type FormId = z.infer<typeof formIdSchema>;

/** Everything a dialog needs to know about who is asking: JSON only, as it lives in stored state. */
export const formContextSchema = z.object({
  formId: formIdSchema,
  version: z.literal(FORM_VERSION),
  schoolId: z.string().min(1),
  tenantId: z.string().min(1),
  user: z.object({ aadObjectId: z.string().min(1), name: z.string() }),
  roles: z.array(roleSchema).min(1),
  today: isoDateSchema,
  demo: z.boolean(),
  /** One per dialog run: saving twice with the same draft id saves once. */
  draftId: z.string().min(1),
  /** The sentence that started the dialog, when it may already say which child ("Leo's attendance is dropping"). */
  opening: z.string().max(500).optional(),
});
export type FormContext = z.infer<typeof formContextSchema>;

export const answersSchema = z.record(z.string(), z.unknown());
export type Answers = z.infer<typeof answersSchema>;

/** How a guided dialog begins: who is asking. */
export const formBeginSchema = z.object({ ctx: formContextSchema });
export type FormBegin = z.infer<typeof formBeginSchema>;

/**
 * A guided dialog's whole stored state: who is asking, the answers so far, and the question being
 * asked. Kept once, in the dialog's own instance (the card's frame is worked out again from them).
 */
export const formStateSchema = z.object({
  ctx: formContextSchema,
  answers: answersSchema,
  /** The questions answered, in the order they were last answered: "back" goes to the latest before this one. */
  asked: z.array(z.number().int().min(0)),
  /** The question being asked, by its place in the dialog. */
  at: z.number().int().min(0),
  /** The card last sent asks for a date and nothing else needed: a typed reply is that date. */
  typedDateField: z.string().optional(),
});
export type FormState = z.infer<typeof formStateSchema>;

/**
 * The same state as versions before 3 December 2026 kept it: a component dialog holding a waterfall
 * (its progress) and the prompt asking the current question (its card's frame). A conversation in
 * the middle of a dialog when the bot is updated is read from it, so the teacher carries on rather
 * than starting again. It can go once no conversation saved by those versions can still be open.
 */
const nestedStateSchema = z.object({
  dialogs: z.object({
    dialogStack: z.tuple([
      z.object({ state: z.object({ values: z.object({ progress: z.object({ ctx: formContextSchema, answers: answersSchema, asked: z.array(z.number().int().min(0)) }) }) }) }),
      z.object({ state: z.object({ prompt: z.object({ frame: z.object({ questionId: z.string() }), typedDateField: z.string().optional() }) }) }),
    ]),
  }),
});

/** A dialog's state as the versions before kept it, read as today's: undefined if it is not that shape. */
export function fromNestedState(stored: unknown, questionIds: readonly string[]): FormState | undefined {
  const parsed = nestedStateSchema.safeParse(stored);
  if (!parsed.success) return undefined;
  const [flow, prompt] = parsed.data.dialogs.dialogStack;
  const { ctx, answers, asked } = flow.state.values.progress;
  const at = questionIds.indexOf(prompt.state.prompt.frame.questionId);
  if (at < 0) return undefined;
  const { typedDateField } = prompt.state.prompt;
  return { ctx, answers, asked, at, ...(typedDateField !== undefined ? { typedDateField } : {}) };
}

/** Stored dialog state that this version of the code cannot continue. */
export class StaleDialogStateError extends Error {
  constructor(reason: string) {
    super(`stored dialog state cannot be continued: ${reason}`);
    this.name = 'StaleDialogStateError';
  }
}

/**
 * botbuilder wraps errors thrown inside dialogs in a DialogContextError (possibly several deep), and
 * reports a stack entry naming a dialog this code no longer has as a plain error.
 */
export function isStaleDialogState(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 10; depth++) {
    if (e instanceof StaleDialogStateError) return true;
    if (e instanceof Error && /A dialog with an id of '.*' wasn't found/.test(e.message)) return true;
    e = typeof e === 'object' && 'error' in e ? (e as { error: unknown }).error : undefined;
  }
  return false;
}
