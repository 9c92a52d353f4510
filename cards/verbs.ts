import { z } from 'zod';

/**
 * Every card button sends a payload with a `verb` from this union, validated with zod at the
 * edge. Data travels as typed fields, never packed into the verb string.
 */
export const dialogKindSchema = z.enum(['attendance', 'suspension', 'admission', 'pep']);
export type DialogKind = z.infer<typeof dialogKindSchema>;

/** `school`: chosen by someone on the staff of two schools (schoolChoiceCard). */
export const startDialogPayload = z.object({ verb: z.literal('startDialog'), dialog: dialogKindSchema, school: z.string().regex(/^[a-z0-9-]{2,40}$/).optional() });
export const showHelpPayload = z.object({ verb: z.literal('showHelp') });
export const showMenuPayload = z.object({ verb: z.literal('showMenu') });

export const menuPayloadSchema = z.discriminatedUnion('verb', [startDialogPayload, showHelpPayload, showMenuPayload]);
export type MenuPayload = z.infer<typeof menuPayloadSchema>;

/**
 * Buttons on a guided-dialog card. Input values arrive in the same object (Teams merges them into
 * the submit data); each question validates its own inputs with its own schema.
 */
export const formVerbSchema = z.enum(['answer', 'back', 'cancel', 'help']);
export type FormVerb = z.infer<typeof formVerbSchema>;
export const formPayloadSchema = z
  .object({ verb: formVerbSchema, question: z.string().max(64).optional() })
  .loose();
export type FormPayload = z.infer<typeof formPayloadSchema>;
