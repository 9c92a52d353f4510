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

/** The waterfall's own progress, passed on when "back" restarts it at an earlier question. */
export const formProgressSchema = z.object({
  ctx: formContextSchema,
  answers: answersSchema.default({}),
  asked: z.array(z.number().int().min(0)).default([]),
  startAt: z.number().int().min(0).default(0),
  /**
   * A question asked again without sending its card: after a save that failed, the confirmation
   * already in the chat is still the current one (and drawing it again needs the records that
   * just failed).
   */
  silentAt: z.number().int().min(0).optional(),
});
export type FormProgress = z.infer<typeof formProgressSchema>;

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
