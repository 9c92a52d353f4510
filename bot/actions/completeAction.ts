import { z } from 'zod';
import { caseIdSchema, defineAction } from './action';

/** "Mark done" on a deadline card. */
export const completeAction = defineAction({
  verb: 'completeAction',
  schema: z.object({ caseId: caseIdSchema, stepId: z.string().regex(/^[a-zA-Z.]{3,80}$/) }).loose(),
  handle: (ctx, data) => ctx.tracker.complete(ctx.membership, ctx.actor, data.caseId, data.stepId),
});
