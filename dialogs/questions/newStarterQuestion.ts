import { z } from 'zod';
import { newStarterCard, NewStarterPrefill } from '../../cards/questions/admissionCards';
import { addYears, compareDates, IsoDate } from '../../policy/dates';
import { suggestLocalAuthorities } from '../../policy/localAuthorities';
import {
  NewStarterSubject,
  newStarterLabel,
  newStarterSubjectSchema,
  placingAuthorityCode,
  REPORTED_STATUSES,
  reportedStatusOf,
  statusesFor,
} from '../../policy/newStarter';
import { plainText } from '../../policy/plainText';
import { legalBasisSchema, yearGroupSchema } from '../../policy/pupil';
import { Answers } from '../form/formContext';
import { firstProblem, Question } from '../form/question';
import { optionalDate, optionalText } from '../form/inputs';
import { pupilAnswerSchema } from './pupilQuestion';

export const newStarterAnswerSchema = z.object({
  subject: newStarterSubjectSchema,
  label: z.string(),
  previousSchool: z.string().optional(),
});
export type NewStarterAnswer = z.infer<typeof newStarterAnswerSchema>;

/** The answer to the new-starter question (throws if there is none: call only when it was asked). */
export function newStarterOf(answers: Answers): NewStarterAnswer {
  return newStarterAnswerSchema.parse(answers.newStarter);
}

/**
 * Whether the child is a new starter not on the register: staff said so, or said they were and
 * then could not find them ("Report anyway" on the register search).
 */
export function isNewStarter(answers: Answers): boolean {
  if (answers.onRegister === 'no') return true;
  const pupil = pupilAnswerSchema.safeParse(answers.pupil);
  return answers.onRegister === 'yes' && pupil.success && pupil.data.subject.kind === 'notOnRegister';
}

/** A name as the register would hold it: letters, with spaces, hyphens and apostrophes between. */
const NAME = /^[\p{L}\p{M}][\p{L}\p{M}' .’-]*$/u;
const name = (missing: string) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? plainText(v).trim() : v),
    z
      .string({ error: missing })
      .min(1, missing)
      .max(80, 'That name is too long (at most 80 characters).')
      .regex(NAME, 'Please type the name in letters (hyphens, apostrophes and spaces are fine).'),
  );

const blankIsMissing = (v: unknown) => (v === '' ? undefined : v);

const submittedSchema = z.object({
  givenName: name("Please give the child's first name."),
  familyName: name("Please give the child's surname."),
  yearGroup: z.preprocess(blankIsMissing, z.enum(yearGroupSchema.options, { error: 'Please choose their year group.' })),
  dateOfBirth: optionalDate('The date of birth'),
  status: z.preprocess(blankIsMissing, z.enum(REPORTED_STATUSES, { error: 'Please choose what you know of their status ("None of these, or not known yet" is an answer).' })),
  legalBasis: optionalText(8, 'The legal basis'),
  placingAuthority: optionalText(80, 'The placing authority'),
  previousSchool: z.preprocess((v) => (typeof v === 'string' ? plainText(v) : v), optionalText(200, 'Previous school')),
  sameNameConfirmed: z.string().optional(),
});
type Submitted = z.infer<typeof submittedSchema>;

type Checked = { ok: true; answer: NewStarterAnswer } | { ok: false; message: string };

/** Everything the card's own validation cannot say: what a child in care needs, and dates that cannot be right. */
function check(s: Submitted, today: IsoDate): Checked {
  let inCare: { legalBasis: z.infer<typeof legalBasisSchema>; placingAuthority: string } | undefined;
  if (s.status === 'inCare') {
    const basis = legalBasisSchema.safeParse(s.legalBasis);
    if (!basis.success) return { ok: false, message: 'For a child in care, please choose the section of the Children Act 1989 they are looked after under (the placement letter says which).' };
    if (!s.placingAuthority) return { ok: false, message: "For a child in care, please choose the placing authority: it is that council's Virtual School that is told." };
    const code = placingAuthorityCode(s.placingAuthority);
    if (!code) {
      // Only names from our own list are said back: what was typed stays out of a message Teams would render as Markdown.
      const close = suggestLocalAuthorities(s.placingAuthority).map((a) => `${a.name} (${a.code})`);
      return { ok: false, message: `That placing authority is not one of England's local authorities${close.length > 0 ? `: did you mean ${close.join(', ')}?` : '.'} Please choose it from the list.` };
    }
    inCare = { legalBasis: basis.data, placingAuthority: code };
  }
  if (s.dateOfBirth && compareDates(s.dateOfBirth, today) >= 0) return { ok: false, message: 'The date of birth must be in the past: please check it.' };
  if (s.dateOfBirth && compareDates(s.dateOfBirth, addYears(today, -21)) < 0) return { ok: false, message: 'That date of birth makes the child over 20: please check it.' };
  const subject: NewStarterSubject = newStarterSubjectSchema.parse({
    kind: 'newStarter',
    givenName: s.givenName,
    familyName: s.familyName,
    yearGroup: s.yearGroup,
    ...(s.dateOfBirth ? { dateOfBirth: s.dateOfBirth } : {}),
    statuses: statusesFor(s.status, inCare),
  });
  return { ok: true, answer: { subject, label: newStarterLabel(subject), ...(s.previousSchool ? { previousSchool: s.previousSchool } : {}) } };
}

/** The card filled in again: from the last answer, or the name typed on the register search. */
function prefillFrom(answers: Answers): NewStarterPrefill {
  const previous = newStarterAnswerSchema.safeParse(answers.newStarter);
  if (previous.success) {
    const { subject, previousSchool } = previous.data;
    const cla = subject.statuses.find((s) => s.kind === 'CLA');
    return {
      givenName: subject.givenName,
      familyName: subject.familyName,
      yearGroup: subject.yearGroup,
      dateOfBirth: subject.dateOfBirth,
      status: reportedStatusOf(subject.statuses),
      ...(cla ? { legalBasis: cla.legalBasis, placingAuthority: cla.placingAuthority } : {}),
      previousSchool,
    };
  }
  const searched = pupilAnswerSchema.safeParse(answers.pupil);
  if (searched.success && searched.data.subject.kind === 'notOnRegister') {
    // "Jordan Notonroll, Year 3": the words before any comma are the name.
    const [givenName, ...rest] = searched.data.subject.description.split(',')[0]!.trim().split(/\s+/);
    return { givenName, ...(rest.length > 0 ? { familyName: rest.join(' ') } : {}) };
  }
  return {};
}

/** Who the new starter is and the status staff know of: what the plan is worked out from until the DSL matches them to the register. */
export const newStarterQuestion: Question = {
  id: 'newStarter',
  help: 'Give the child\'s name and year group, and what you know of their status. If they are in care, choose the legal basis and the council that placed them (its Virtual School is told). If you do not know their status, choose "None of these, or not known yet": the DSL checks with their previous school.',
  skip: (answers) => !isNewStarter(answers),
  ask: ({ frame, answers }) => newStarterCard(frame, prefillFrom(answers)),
  parse: async (reply, { ctx, frame, services }) => {
    if (!reply.value) return { ok: false, message: 'Please fill in the form above (the name, year group and status are needed), or type "cancel".' };
    const parsed = submittedSchema.safeParse(reply.value);
    if (!parsed.success) return { ok: false, message: firstProblem(parsed.error.issues) };
    const checked = check(parsed.data, ctx.today);
    if (!checked.ok) return checked;
    // Someone who said "not on the register" about a child who is on it would start a second record for them.
    const fullName = `${checked.answer.subject.givenName} ${checked.answer.subject.familyName}`;
    const onRegister = (await services.searchPupils(ctx.schoolId, fullName, 5)).filter((m) => m.label.toLowerCase().startsWith(`${fullName.toLowerCase()} (`));
    if (onRegister.length > 0 && parsed.data.sameNameConfirmed !== 'true') {
      const names = onRegister.map((m) => m.label).join(' and ');
      return {
        ok: false,
        message: 'A child with that name is already on our register (see the card). If that is this child, press Back and choose "Yes". If not, tick "A different child with the same name" and press Next.',
        card: newStarterCard(frame, { ...prefillFrom({ newStarter: checked.answer }) }, { sameName: names }),
      };
    }
    return { ok: true, value: checked.answer };
  },
};
