import { z } from 'zod';
import { admissionDetailsCard } from '../cards/questions/admissionCards';
import { admissionAnswersSchema } from '../policy/cases';
import { daysBetween } from '../policy/dates';
import { Answers, FormContext } from './form/formContext';
import { GuidedDialogSpec } from './form/guidedDialog';
import { firstProblem, Question } from './form/question';
import { boolString, dateString, optionalDate, optionalText } from './form/inputs';
import { confirmQuestion } from './questions/confirmQuestion';
import { pupilOf, pupilQuestion } from './questions/pupilQuestion';

const detailsSchema = z.object({
  startDate: dateString('The start date'),
  previousSchool: optionalText(200, 'Previous school'),
  transitionMeetingDate: optionalDate('The transition meeting date'),
  keyAdult: optionalText(120, 'Key adult'),
  peerBuddy: optionalText(120, 'Peer buddy'),
  send: z.preprocess((v) => (v === '' || v === undefined ? 'none' : v), z.enum(['none', 'senSupport', 'ehcp'], { error: 'Please choose an option for special educational needs.' })),
  statusEvidenceSeen: boolString,
});
type Details = z.infer<typeof detailsSchema>;

function withinAYear(d: Details, ctx: FormContext): string | undefined {
  const gap = Math.abs(daysBetween(ctx.today, d.startDate));
  return gap > 366 ? 'That start date is more than a year away from today: please check it.' : undefined;
}

const detailsQuestion: Question = {
  id: 'details',
  help: 'The start date is needed; everything else is optional. Leave the key adult and buddy blank if they are not chosen yet: that becomes an action for the Designated Teacher.',
  ask: ({ frame, answers }) => {
    const prev = detailsSchema.safeParse(answers.details);
    return admissionDetailsCard(frame, prev.success ? prev.data : {});
  },
  parse: async (reply, { ctx, frame, services }) => {
    if (!reply.value) return { ok: false, message: 'Please fill in the form above (the start date is needed), or type "cancel".' };
    const parsed = detailsSchema.safeParse(reply.value);
    if (!parsed.success) return { ok: false, message: firstProblem(parsed.error.issues) };
    const problem = withinAYear(parsed.data, ctx);
    if (problem) return { ok: false, message: problem };
    // A start on a weekend or a day the school is shut is probably a slip: asked again, kept if confirmed.
    const odd = await services.questionableDate(ctx.schoolId, parsed.data.startDate, 'admissionStart');
    if (odd && reply.value.confirmDate !== parsed.data.startDate) {
      return { ok: false, message: `${odd} Please check the start date: if it is right, tick "Yes, that start date is right".`, card: admissionDetailsCard(frame, parsed.data, { date: parsed.data.startDate, problem: odd }) };
    }
    return { ok: true, value: parsed.data };
  },
};

function toCase(answers: Answers) {
  const d = detailsSchema.parse(answers.details);
  return {
    subject: pupilOf(answers).subject,
    answers: admissionAnswersSchema.parse({
      caseType: 'admission',
      startDate: d.startDate,
      previousSchool: d.previousSchool,
      statusEvidenceSeen: d.statusEvidenceSeen,
      keyAdult: d.keyAdult ?? 'notYet',
      peerBuddy: d.peerBuddy ?? 'notYet',
      transitionMeetingDate: d.transitionMeetingDate,
      send: d.send === 'none' ? undefined : d.send,
    }),
  };
}

export const admissionDialogSpec: GuidedDialogSpec = {
  id: 'admission',
  title: 'A child joining us',
  questions: [pupilQuestion, detailsQuestion, confirmQuestion(toCase)],
  toCase,
};
