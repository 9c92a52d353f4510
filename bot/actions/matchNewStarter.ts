import { z } from 'zod';
import { NOT_LISTED } from '../../cards/questions/pupilCards';
import { pupilIdSchema } from '../../policy/pupil';
import { caseIdSchema, defineAction } from './action';

const blankIsNone = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

/** "Match" on a lead's card about a new starter: the pupil chosen from the list, or a name typed where no list appears. */
export const matchNewStarter = defineAction({
  verb: 'matchNewStarter',
  schema: z
    .object({
      caseId: caseIdSchema,
      matchPupilId: z.preprocess(blankIsNone, z.union([z.literal(NOT_LISTED), pupilIdSchema]).optional()),
      matchPupilName: z.preprocess(blankIsNone, z.string().trim().max(120).optional()),
    })
    .loose(),
  handle: async (ctx, data) => {
    if (!ctx.newStarters) return undefined;
    const outcome = await ctx.newStarters.match(ctx.membership, ctx.actor, data.caseId, {
      ...(data.matchPupilId ? { pupilId: data.matchPupilId } : {}),
      ...(data.matchPupilName ? { name: data.matchPupilName } : {}),
    });
    if (outcome?.line) ctx.say?.(outcome.line);
    return outcome?.card;
  },
});
