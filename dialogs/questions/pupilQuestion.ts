import { z } from 'zod';
import { NOT_LISTED, PupilMatch, pupilChoicesCard, pupilNotFoundCard, pupilSearchCard, pupilSuggestionsCard } from '../../cards/questions/pupilCards';
import { CaseSubject, caseSubjectSchema } from '../../policy/caseRecord';
import { pupilLabel } from '../../policy/pupil';
import { Answers } from '../form/formContext';
import { Parsed, Presumed, Question, QuestionEnv, Reply } from '../form/question';
import { recogniseIntent } from '../intents';

export const pupilAnswerSchema = z.object({ subject: caseSubjectSchema, label: z.string() });
export type PupilAnswer = z.infer<typeof pupilAnswerSchema>;

const submitted = z
  .object({
    pupilId: z.string().trim().max(64).optional(),
    pupilName: z.string().trim().max(120).optional(),
    notOnRegister: z.string().trim().max(200).optional(),
  })
  .loose();

/** At most this many "did you mean" suggestions: more is a list to read, not a slip to correct. */
const SUGGESTIONS = 3;
/** Children offered when a name or a sentence fits several. */
const CHOICES = 10;

export function pupilOf(answers: Answers): PupilAnswer {
  return pupilAnswerSchema.parse(answers.pupil);
}

const onRegister = (m: PupilMatch): PupilAnswer => ({ subject: { kind: 'onRegister', pupilId: m.id }, label: m.label });

/** A sentence rather than a name: it says what the worry is ("Leo's attendance is dropping"). */
const isSentence = (typed: string) => recogniseIntent(typed).kind === 'start';

/** Which child a sentence names: one (its button, as if pressed), several (asked which), or none (undefined). */
async function namedIn(sentence: string, { ctx, frame, services }: QuestionEnv): Promise<Presumed | undefined> {
  const { matches, words } = await services.pupilsMentioned(ctx.schoolId, sentence, CHOICES);
  if (matches.length === 0) return undefined;
  if (matches.length === 1) {
    const [only] = matches as [PupilMatch];
    return { kind: 'said', reply: { value: { pupilId: only.id } }, note: `This is about ${only.label}. If that is not the child you mean, press Back or type "back".` };
  }
  // The words that named them are shown on the card only (as typed text), never in a message, where Teams renders Markdown.
  return { kind: 'ask', message: 'More than one child could be meant. Which one?', card: pupilChoicesCard(frame, words, matches) };
}

/** A typed name: found, one of several, a near miss ("did you mean"), named in a sentence, or not on the register. */
async function findTyped(typed: string, env: QuestionEnv): Promise<Parsed> {
  const { ctx, frame, services } = env;
  const matches = await services.searchPupils(ctx.schoolId, typed, CHOICES);
  if (matches.length > 0) {
    const exact = matches.filter((m) => m.label.toLowerCase().startsWith(`${typed.toLowerCase()} (`));
    const chosen = matches.length === 1 ? matches[0] : exact.length === 1 ? exact[0] : undefined;
    if (chosen) return { ok: true, value: onRegister(chosen) satisfies PupilAnswer };
    return { ok: false, message: 'More than one child matches. Which one do you mean?', card: pupilChoicesCard(frame, typed, matches) };
  }
  if (isSentence(typed)) {
    const named = await namedIn(typed, env);
    if (named?.kind === 'said') return pupilQuestion.parse(named.reply, env);
    if (named) return { ok: false, message: named.message, card: named.card };
    return { ok: false, message: 'Which child is this about? Type their name, or choose them from the list.' };
  }
  const suggestions = await services.suggestPupils(ctx.schoolId, typed, SUGGESTIONS);
  if (suggestions.length > 0) {
    return { ok: false, message: 'I could not find that name on the register. Did you mean one of these?', card: pupilSuggestionsCard(frame, typed, suggestions) };
  }
  return { ok: false, message: 'I could not find that name on the register.', card: pupilNotFoundCard({ ...frame, submitTitle: 'Report anyway' }, typed) };
}

/** What this question was answered with before, when it is asked again after Back. */
function earlierAnswer(answers: Answers): PupilAnswer | undefined {
  const parsed = pupilAnswerSchema.safeParse(answers.pupil);
  return parsed.success ? parsed.data : undefined;
}

/** Which child? From the type-ahead list, a typed name, or "not on the register" (the DSL triages). */
export const pupilQuestion: Question = {
  id: 'pupil',
  help: 'Choose the child from the list as you type, or type their name. If they are not on the register, type their name anyway and the DSL will check.',
  ask: ({ frame, answers, ctx }) => {
    // Asked again after Back: what was answered stays, a child chosen or a name typed.
    const earlier = earlierAnswer(answers);
    const before =
      earlier?.subject.kind === 'onRegister' ? { chosen: { id: earlier.subject.pupilId, label: earlier.label } } : earlier?.subject.kind === 'notOnRegister' ? { typedName: earlier.subject.description } : {};
    return pupilSearchCard(frame, before, ctx.schoolId);
  },
  parse: async (reply, env) => {
    const input = submitted.safeParse(reply.value ?? {});
    const fields = input.success ? input.data : {};
    const typed = (fields.pupilName || reply.text || '').trim();
    // Asked again after Back with the child named on the card, Next with nothing new keeps them (if
    // they are still on the register: it may have been loaded again in between).
    const earlier = earlierAnswer(env.answers)?.subject;
    const kept = !fields.pupilId && !fields.notOnRegister && !typed && earlier?.kind === 'onRegister' ? earlier.pupilId : undefined;
    // A child's own button names them: it wins over any name left in a box on the same card.
    const chosenId = fields.pupilId && fields.pupilId !== NOT_LISTED ? fields.pupilId : kept;
    if (chosenId) {
      const pupil = await env.services.getPupil(env.ctx.schoolId, chosenId);
      if (!pupil) return { ok: false, message: 'I could not find that child on your school\'s register. Please choose again, or type their name.' };
      return { ok: true, value: { subject: { kind: 'onRegister', pupilId: pupil.id }, label: pupilLabel(pupil) } satisfies PupilAnswer };
    }
    if (fields.notOnRegister) {
      const subject: CaseSubject = { kind: 'notOnRegister', description: fields.notOnRegister };
      return { ok: true, value: { subject, label: `${fields.notOnRegister} (not on the register)` } satisfies PupilAnswer };
    }
    if (!typed) return { ok: false, message: 'Please choose a child from the list, or type their name.' };
    if (typed.length < 2) return { ok: false, message: 'Please type at least two letters of their name.' };
    return findTyped(typed, env);
  },
  fromOpening: (opening, env) => namedIn(opening, env),
  commandText: (reply: Reply) => {
    if (!reply.value) return reply.text?.trim() || undefined;
    const fields = submitted.safeParse(reply.value).data;
    // A child chosen from the list is an answer, whatever is left in the name box.
    if (fields?.pupilId && fields.pupilId !== NOT_LISTED) return undefined;
    return fields?.pupilName?.trim() || undefined;
  },
};
