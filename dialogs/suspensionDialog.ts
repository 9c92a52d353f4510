import { z } from 'zod';
import { consultedCard, decisionCard, stageCard, triedCard, whatHappenedCard } from '../cards/questions/suspensionCards';
import { ALTERNATIVES, CONSULTED_LABEL, CONSULTED_PARTIES, suspensionAnswersSchema } from '../policy/cases';
import { Role } from '../policy/roles';
import { Answers, FormContext } from './form/formContext';
import { GuidedDialogSpec } from './form/guidedDialog';
import { parseWith, Question } from './form/question';
import { boolString, csvOf, dateString, optionalNumber, optionalText, requiredText } from './form/inputs';
import { confirmQuestion } from './questions/confirmQuestion';
import { pupilOf, pupilQuestion } from './questions/pupilQuestion';

const whatHappenedSchema = requiredText(4000, 'Please tell me what happened, in your own words.');

const triedSchema = z.object({
  tried: csvOf(ALTERNATIVES, 'What has been tried'),
  triedOther: optionalText(2000, 'Anything else tried'),
  sendConsiderations: optionalText(2000, 'SEND considerations'),
});

const stageSchema = z.enum(['atRisk', 'decided'], { error: 'Please say whether a suspension has been decided.' });

const decisionSchema = z
  .object({
    kind: z.enum(['suspension', 'permanentExclusion'], { error: 'Please choose a suspension or a permanent exclusion.' }),
    startDate: dateString('The first day'),
    days: optionalNumber(0.5, 45, 'The number of school days'),
    missesExam: boolString,
  })
  .refine((d) => d.kind === 'permanentExclusion' || (d.days !== undefined && Number.isInteger(d.days * 2)), {
    message: 'Please give the number of school days, in whole or half days.',
  });

/** Those who may record a decided suspension's dates; anyone else reporting one alerts the headteacher. */
const DECISION_RECORDERS: ReadonlySet<Role> = new Set(['headteacher', 'DSL', 'deputyDSL', 'DT']);
const mayRecordDecision = (ctx: FormContext) => ctx.roles.some((r) => DECISION_RECORDERS.has(r));

const whatHappenedQuestion: Question = {
  id: 'whatHappened',
  help: 'Describe what happened in your own words: what you saw, what came before, how the child seemed. You can type it as a message.',
  ask: ({ frame, answers }) => whatHappenedCard(frame, typeof answers.whatHappened === 'string' ? answers.whatHappened : undefined),
  parse: (reply) => {
    return parseWith(whatHappenedSchema, reply.value?.whatHappened ?? reply.text);
  },
};

const triedQuestion: Question = {
  id: 'tried',
  help: 'Tick what has already been tried. If nothing yet, leave the boxes empty and press Next. You can also type what has been tried as a message.',
  ask: ({ frame, answers }) => {
    const prev = triedSchema.safeParse(answers.tried);
    return triedCard(frame, prev.success ? prev.data : {});
  },
  parse: (reply) => {
    return parseWith(triedSchema, reply.value ?? { triedOther: reply.text });
  },
};

const stageQuestion: Question = {
  id: 'stage',
  help: 'Choose "No" if you are worried a suspension might happen; "Yes" if the headteacher has already decided. You can type yes or no.',
  ask: ({ frame, answers }) => stageCard(frame, stageSchema.safeParse(answers.stage).data),
  parse: (reply) => {
    const text = (reply.text ?? '').trim().toLowerCase();
    const fromText = /^(yes|y|decided|it has|yes,? it has)\b/.test(text) ? 'decided' : /^(no|n|not yet|worried)\b/.test(text) ? 'atRisk' : undefined;
    return parseWith(stageSchema, reply.value?.stage ?? fromText);
  },
};

const decisionQuestion: Question = {
  id: 'decision',
  help: 'Record what the headteacher decided: a suspension (with its first day and number of school days) or a permanent exclusion.',
  skip: (answers, ctx) => answers.stage !== 'decided' || !mayRecordDecision(ctx),
  ask: ({ frame, answers }) => {
    const prev = decisionSchema.safeParse(answers.decision);
    return decisionCard(frame, prev.success ? prev.data : {});
  },
  parse: async (reply, { ctx, frame, services }) => {
    if (!reply.value) return { ok: false, message: 'Please fill in the form above with the decision, or type "cancel".' };
    const parsed = decisionSchema.safeParse(reply.value);
    if (!parsed.success) return parseWith(decisionSchema, reply.value);
    // A first day in the past or on a day the school is shut is probably a slip: asked again, kept if confirmed.
    const problem = await services.questionableDate(ctx.schoolId, parsed.data.startDate, 'suspensionStart');
    if (problem && reply.value.confirmDate !== parsed.data.startDate) {
      return { ok: false, message: `${problem} Please check the first day: if it is right, tick "Yes, that first day is right".`, card: decisionCard(frame, parsed.data, { date: parsed.data.startDate, problem }) };
    }
    return { ok: true, value: parsed.data };
  },
};

const consultedSchema = z.object({ consulted: csvOf(CONSULTED_PARTIES, 'Discussed beforehand with') });

/** A decision already made: was it discussed first with those the policy names (the plan flags what was not)? */
const consultedQuestion: Question = {
  id: 'consulted',
  help: 'Tick who the decision was discussed with before it was made. Leave every box empty if none of them; the plan then puts those conversations first.',
  skip: (answers) => answers.stage !== 'decided',
  ask: ({ frame, answers }) => {
    const prev = consultedSchema.safeParse(answers.consulted);
    return consultedCard(frame, CONSULTED_PARTIES.map((p) => [p, capitalise(CONSULTED_LABEL[p])] as const), prev.success ? prev.data.consulted : []);
  },
  parse: (reply) => {
    if (!reply.value) {
      const t = (reply.text ?? '').trim().toLowerCase();
      if (/^(none|no|nobody|no one|neither)\b/.test(t)) return { ok: true, value: { consulted: [] } };
      return { ok: false, message: 'Please tick who the decision was discussed with (or none) and press Next.' };
    }
    return parseWith(consultedSchema, reply.value);
  },
};

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function toCase(answers: Answers, ctx: FormContext) {
  const tried = triedSchema.parse(answers.tried);
  const stage = stageSchema.parse(answers.stage);
  const recorded = stage === 'decided' && mayRecordDecision(ctx) ? decisionSchema.parse(answers.decision) : undefined;
  const consulted = stage === 'decided' ? consultedSchema.parse(answers.consulted ?? {}).consulted : [];
  return {
    subject: pupilOf(answers).subject,
    answers: suspensionAnswersSchema.parse({
      caseType: 'suspension',
      stage: recorded ? 'decided' : 'atRisk',
      whatHappened: whatHappenedSchema.parse(answers.whatHappened),
      tried: tried.tried,
      triedOther: tried.triedOther,
      sendConsiderations: tried.sendConsiderations,
      decisionReported: stage === 'decided' && !recorded,
      consultedBeforeDecision: consulted,
      ...(recorded ? { decision: { kind: recorded.kind, startDate: recorded.startDate, days: recorded.days ?? 1, missesExam: recorded.missesExam } } : {}),
    }),
  };
}

export const suspensionDialogSpec: GuidedDialogSpec = {
  id: 'suspension',
  title: 'Worry about a suspension',
  questions: [pupilQuestion, whatHappenedQuestion, triedQuestion, stageQuestion, decisionQuestion, consultedQuestion, confirmQuestion(toCase)],
  toCase,
};
