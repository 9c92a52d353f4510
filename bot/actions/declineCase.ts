import { z } from 'zod';
import { caseIdSchema, defineAction, reasonSchema } from './action';

/** Decline: nothing leaves the school; a reason is required. */
export const declineCase = defineAction({
  verb: 'declineCase',
  schema: z.object({ caseId: caseIdSchema, declineReason: reasonSchema }).loose(),
  handle: (ctx, data) => ctx.approvals.decide(ctx.membership, ctx.actor, data.caseId, { verb: 'decline', reason: data.declineReason }, ctx.say),
});
