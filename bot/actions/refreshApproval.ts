import { z } from 'zod';
import { caseIdSchema, defineAction } from './action';

/** Teams asks for the card as this user should see it (buttons for approvers, status for others). */
export const refreshApproval = defineAction({
  verb: 'refreshApproval',
  schema: z.object({ caseId: caseIdSchema }).loose(),
  handle: (ctx, data) => ctx.approvals.view(ctx.membership, data.caseId),
});
