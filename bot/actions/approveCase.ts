import { z } from 'zod';
import { caseIdSchema, defineAction } from './action';

/** Approve: every proposed external message goes. */
export const approveCase = defineAction({
  verb: 'approveCase',
  schema: z.object({ caseId: caseIdSchema }).loose(),
  handle: (ctx, data) => ctx.approvals.decide(ctx.membership, ctx.actor, data.caseId, { verb: 'approve' }, ctx.say),
});
