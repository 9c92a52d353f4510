import { z } from 'zod';
import { admissionDetailsCard, onRegisterCard } from '../cards/questions/admissionCards';
import { admissionAnswersSchema } from '../policy/cases';
import { daysBetween } from '../policy/dates';
import { Answers, FormContext } from './form/formContext';
import { GuidedDialogSpec } from './form/guidedDialog';
import { firstProblem, parseWith, Question } from './form/question';
import { boolString, dateString, optionalDate, optionalText } from './form/inputs';
import { confirmQuestion } from './questions/confirmQuestion';
import { isNewStarter, newStarterAnswerSchema, newStarterOf, newStarterQuestion } from './questions/newStarterQuestion';
import { pupilAnswerSchema, pupilOf, pupilQuestion } from './questions/pupilQuestion';

const registerSchema = z.enum(['yes', 'no'], { error: 'Please choose "Yes" or "No": is the child on our register yet?' });

/** New starters are usually not on the register yet: which it is decides the next question. */
const onRegisterQuestion: Question = {
  id: 'onRegister',
  help: 'Choose "Yes" if you can find the child on our register, "No" if they have not started yet or the office has not added them. You can type yes or no.',
  // A child already named (picked out of what was typed to start) is on the register.
  skip: (answers) => answers.onRegister === undefined && pupilAnswerSchema.safeParse(answers.pupil).success,
  ask: ({ frame, answers }) => onRegisterCard(frame, registerSchema.safeParse(answers.onRegister).data),
  parse: (reply) => {
    const text = (reply.text ?? '').trim().toLowerCase();
    const fromText = /^(yes|y|yep|they are|it is)\b/.test(text) ? 'yes' : /^(no|n|nope|not yet|not on)\b/.test(text) ? 'no' : undefined;
    return parseWith(registerSchema, reply.value?.onRegister ?? fromText);
  },
};

/** The child on the register: the shared pupil search, unless staff said they are not on it. */
const registeredPupilQuestion: Question = { ...pupilQuestion, skip: (answers) => answers.onRegister === 'no' };

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
    return admissionDetailsCard(frame, prev.success ? prev.data : {}, undefined, { askPreviousSchool: !isNewStarter(answers) });
  },
  parse: async (reply, { ctx, frame, answers, services }) => {
    if (!reply.value) return { ok: false, message: 'Please fill in the form above (the start date is needed), or type "cancel".' };
    const parsed = detailsSchema.safeParse(reply.value);
    if (!parsed.success) return { ok: false, message: firstProblem(parsed.error.issues) };
    const problem = withinAYear(parsed.data, ctx);
    if (problem) return { ok: false, message: problem };
    // A start on a weekend or a day the school is shut is probably a slip: asked again, kept if confirmed.
    const odd = await services.questionableDate(ctx.schoolId, parsed.data.startDate, 'admissionStart');
    if (odd && reply.value.confirmDate !== parsed.data.startDate) {
      return {
        ok: false,
        message: `${odd} Please check the start date: if it is right, tick "Yes, that start date is right".`,
        card: admissionDetailsCard(frame, parsed.data, { date: parsed.data.startDate, problem: odd }, { askPreviousSchool: !isNewStarter(answers) }),
      };
    }
    return { ok: true, value: parsed.data };
  },
};

function subjectLabel(answers: Answers): string {
  return isNewStarter(answers) ? newStarterOf(answers).label : pupilOf(answers).label;
}

function toCase(answers: Answers) {
  const d = detailsSchema.parse(answers.details);
  const newStarter = isNewStarter(answers) ? newStarterOf(answers) : undefined;
  return {
    subject: newStarter ? newStarter.subject : pupilOf(answers).subject,
    answers: admissionAnswersSchema.parse({
      caseType: 'admission',
      startDate: d.startDate,
      previousSchool: newStarter ? newStarter.previousSchool : d.previousSchool,
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
  questions: [onRegisterQuestion, registeredPupilQuestion, newStarterQuestion, detailsQuestion, confirmQuestion(toCase, subjectLabel)],
  toCase,
  about: (answers) => {
    if (isNewStarter(answers)) return newStarterAnswerSchema.safeParse(answers.newStarter).data?.label;
    const pupil = pupilAnswerSchema.safeParse(answers.pupil);
    return pupil.success ? pupil.data.label : undefined;
  },
};
