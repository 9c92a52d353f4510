import { z } from 'zod';
import { NOT_LISTED, pupilChoicesCard, pupilNotFoundCard, pupilSearchCard } from '../../cards/questions/pupilCards';
import { CaseSubject, caseSubjectSchema } from '../../policy/caseRecord';
import { pupilLabel } from '../../policy/pupil';
import { Answers } from '../form/formContext';
import { Question } from '../form/question';

export const pupilAnswerSchema = z.object({ subject: caseSubjectSchema, label: z.string() });
export type PupilAnswer = z.infer<typeof pupilAnswerSchema>;

const submitted = z
  .object({
    pupilId: z.string().trim().max(64).optional(),
    pupilName: z.string().trim().max(120).optional(),
    notOnRegister: z.string().trim().max(200).optional(),
  })
  .loose();

export function pupilOf(answers: Answers): PupilAnswer {
  return pupilAnswerSchema.parse(answers.pupil);
}

/** Which child? From the type-ahead list, a typed name, or "not on the register" (the DSL triages). */
export const pupilQuestion: Question = {
  id: 'pupil',
  help: 'Choose the child from the list as you type, or type their name. If they are not on the register, type their name anyway and the DSL will check.',
  ask: ({ frame, answers, ctx }) => {
    const previous = pupilAnswerSchema.safeParse(answers.pupil);
    return pupilSearchCard(frame, previous.success && previous.data.subject.kind === 'notOnRegister' ? previous.data.subject.description : undefined, ctx.schoolId);
  },
  parse: async (reply, { ctx, frame, services }) => {
    const input = submitted.safeParse(reply.value ?? {});
    const fields = input.success ? input.data : {};
    if (fields.notOnRegister) {
      const subject: CaseSubject = { kind: 'notOnRegister', description: fields.notOnRegister };
      return { ok: true, value: { subject, label: `${fields.notOnRegister} (not on the register)` } satisfies PupilAnswer };
    }
    if (fields.pupilId && fields.pupilId !== NOT_LISTED) {
      const pupil = await services.getPupil(ctx.schoolId, fields.pupilId);
      if (!pupil) return { ok: false, message: 'I could not find that child on your school\'s register. Please choose again, or type their name.' };
      return { ok: true, value: { subject: { kind: 'onRegister', pupilId: pupil.id }, label: pupilLabel(pupil) } satisfies PupilAnswer };
    }
    const typed = (fields.pupilName || reply.text || '').trim();
    if (!typed) return { ok: false, message: 'Please choose a child from the list, or type their name.' };
    if (typed.length < 2) return { ok: false, message: 'Please type at least two letters of their name.' };
    const matches = await services.searchPupils(ctx.schoolId, typed, 10);
    if (matches.length === 0) {
      return { ok: false, message: 'I could not find that name on the register.', card: pupilNotFoundCard({ ...frame, submitTitle: 'Report anyway' }, typed) };
    }
    const exact = matches.filter((m) => m.label.toLowerCase().startsWith(`${typed.toLowerCase()} (`));
    const chosen = matches.length === 1 ? matches[0] : exact.length === 1 ? exact[0] : undefined;
    if (chosen) return { ok: true, value: { subject: { kind: 'onRegister', pupilId: chosen.id }, label: chosen.label } satisfies PupilAnswer };
    return { ok: false, message: 'More than one child matches. Which one do you mean?', card: pupilChoicesCard(frame, typed, matches) };
  },
};
