import { z } from 'zod';
import { attendanceDetailsCard } from '../cards/questions/attendanceCards';
import { absenceReasonSchema, attendanceAnswersSchema } from '../policy/cases';
import { Answers } from './form/formContext';
import { GuidedDialogSpec } from './form/guidedDialog';
import { parseWith, Question } from './form/question';
import { csvOf, optionalNumber, optionalText } from './form/inputs';
import { confirmQuestion } from './questions/confirmQuestion';
import { pupilOf, pupilQuestion } from './questions/pupilQuestion';

const WHAT = ['unexplainedToday', 'missedSessions', 'pattern', 'punctuality'] as const;

const detailsSchema = z.object({
  what: csvOf(WHAT, 'What has been happening').refine((a) => a.length > 0, { message: 'Please tick at least one thing that has been happening.' }),
  absenceType: z.enum(['authorised', 'unauthorised', 'mixed', 'notKnown']).default('notKnown'),
  reasons: csvOf(absenceReasonSchema.options, 'Reasons'),
  sessionsMissed: optionalNumber(0, 400, 'Sessions missed'),
  attendancePercent: optionalNumber(0, 100, 'Attendance', '%'),
  consecutiveUnauthorisedDays: optionalNumber(0, 400, 'Days in a row'),
  alreadyDone: optionalText(2000, 'What has been done so far'),
});
type Details = z.infer<typeof detailsSchema>;

const detailsQuestion: Question = {
  id: 'details',
  help: 'Tick what you have noticed. Everything else is optional: fill in what you know.',
  ask: ({ frame, answers }) => {
    const prev = detailsSchema.safeParse(answers.details);
    return attendanceDetailsCard(frame, prev.success ? { ...prev.data, what: prev.data.what, reasons: prev.data.reasons } : {});
  },
  parse: (reply) => {
    if (!reply.value) {
      return { ok: false, message: 'Please use the form above to tell me what has been happening (tick at least one box), or type "cancel".' };
    }
    return parseWith(detailsSchema, reply.value);
  },
};

function toCase(answers: Answers) {
  const d: Details = detailsSchema.parse(answers.details);
  return {
    subject: pupilOf(answers).subject,
    answers: attendanceAnswersSchema.parse({
      caseType: 'attendance',
      sessionsMissed: d.sessionsMissed,
      absenceType: d.absenceType,
      unexplainedToday: d.what.includes('unexplainedToday'),
      pattern: d.what.includes('pattern'),
      punctuality: d.what.includes('punctuality'),
      reasons: d.reasons,
      attendancePercent: d.attendancePercent,
      consecutiveUnauthorisedDays: d.consecutiveUnauthorisedDays,
      alreadyDone: d.alreadyDone,
    }),
  };
}

export const attendanceDialogSpec: GuidedDialogSpec = {
  id: 'attendance',
  title: 'Attendance concern',
  questions: [pupilQuestion, detailsQuestion, confirmQuestion(toCase)],
  toCase,
};
