import { z } from 'zod';
import { caseIdSchema, defineAction, noteSchema, reasonSchema } from './action';

/** Amend: send only the chosen messages, optionally with the DSL's note; a reason is required. */
export const amendCase = defineAction({
  verb: 'amendCase',
  schema: z
    .object({
      caseId: caseIdSchema,
      amendSend: z.preprocess((v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : v ?? []), z.array(z.string().max(80)).max(20)),
      amendReason: reasonSchema,
      amendNote: noteSchema,
    })
    .loose(),
  handle: (ctx, data) =>
    ctx.approvals.decide(ctx.membership, ctx.actor, data.caseId, { verb: 'amend', send: data.amendSend, reason: data.amendReason, note: data.amendNote }, ctx.say),
});
