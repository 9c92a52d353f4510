import { z } from 'zod';
import { AdaptiveCard } from '../cards/adaptiveCard';
import { dateInput, formCard, FormCardFrame, textInput } from '../cards/formCard';
import { heading, paragraph } from '../cards/adaptiveCard';
import { daysBetween, formatDate } from '../policy/dates';
import { cohortFlags } from '../policy/pupil';
import { Answers } from './form/formContext';
import { GuidedDialogSpec } from './form/guidedDialog';
import { parseWith, Question } from './form/question';
import { dateString, optionalText } from './form/inputs';
import { pupilAnswerSchema, pupilOf, pupilQuestion } from './questions/pupilQuestion';

const detailsSchema = z.object({
  date: dateString('The date of the meeting'),
  note: optionalText(500, 'The note'),
});

function pepCard(frame: FormCardFrame, prefill: { date?: string; note?: string }): AdaptiveCard {
  return formCard({ ...frame, submitTitle: 'Record the PEP meeting' }, [
    heading('The personal education plan (PEP) meeting'),
    dateInput('date', 'Date of the meeting', { value: prefill.date, required: true }),
    textInput('note', 'A short note for the record (optional: no detail of the plan itself)', { value: prefill.note, maxLength: 500 }),
    paragraph('Children in care have a PEP meeting every term: at least three a school year.', { isSubtle: true, size: 'Small' }),
  ]);
}

/** Only a child in care has a PEP: anyone else is refused at this step with a clear reason. */
const childInCare: Question = {
  ...pupilQuestion,
  parse: async (reply, env) => {
    const found = await pupilQuestion.parse(reply, env);
    if (!found.ok) return found;
    const answer = pupilAnswerSchema.parse(found.value);
    if (answer.subject.kind !== 'onRegister') return { ok: false, message: 'PEPs are recorded for children on the register: please choose the child from the list.' };
    const pupil = await env.services.getPupil(env.ctx.schoolId, answer.subject.pupilId);
    if (!pupil || !cohortFlags(pupil, env.ctx.today).cla) {
      return { ok: false, message: 'That child is not recorded as in care, so there is no PEP to record. If the register is wrong, please tell the DSL.' };
    }
    return found;
  },
};

const detailsQuestion: Question = {
  id: 'details',
  help: 'Give the date the PEP meeting took place (it can be today or earlier this year).',
  ask: ({ frame, answers, ctx }) => {
    const prev = detailsSchema.safeParse(answers.details);
    return pepCard(frame, prev.success ? prev.data : { date: ctx.today });
  },
  parse: (reply, { ctx }) => {
    if (!reply.value) return { ok: false, message: 'Please use the form above to give the date of the meeting, or type "cancel".' };
    const parsed = parseWith(detailsSchema, reply.value);
    if (!parsed.ok) return parsed;
    const date = detailsSchema.parse(reply.value).date;
    if (date > ctx.today) return { ok: false, message: 'That date is in the future: please record the PEP meeting once it has happened.' };
    if (daysBetween(date, ctx.today) > 366) return { ok: false, message: 'That date is more than a year ago: please check it.' };
    return parsed;
  },
};

export const pepDialogSpec: GuidedDialogSpec = {
  id: 'pep',
  title: 'PEP meeting',
  questions: [childInCare, detailsQuestion],
  toCase: () => {
    throw new Error('a PEP meeting is not a case');
  },
  finish: async (answers: Answers, ctx, services) => {
    const pupil = pupilOf(answers);
    const d = detailsSchema.parse(answers.details);
    if (pupil.subject.kind !== 'onRegister') throw new Error('PEP for a child not on the register');
    const status = await services.recordPep(ctx.schoolId, pupil.subject.pupilId, d.date, ctx.user, d.note);
    return `Recorded: a PEP meeting for ${pupil.label} on ${formatDate(d.date)}. ${status}`;
  },
};
