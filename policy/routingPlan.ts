import { SchoolCalendar } from './calendar';
import { CaseAnswers, caseAnswersSchema, CaseAnswersInput, CaseType } from './cases';
import { IsoDate } from './dates';
import { cohortFlags } from './pupil';
import { RoutedChild } from './newStarter';
import { SchoolProfile } from './schoolProfile';
import { admissionSteps, newStarterOutOfScopeSteps } from './routing/admission';
import { attendanceSteps } from './routing/attendance';
import { outOfScopeSteps, statusLabels } from './routing/common';
import { cite, makeStep, RuleContext } from './routing/context';
import { formatDate } from './dates';
import { STATUTORY } from './profiles/citations';
import { coveredBy } from './scope';
import { schoolPolicy } from './schoolProfile';
import { Recipient, RoutingPlan, RoutingStep } from './routing/step';
import { suspensionSteps } from './routing/suspension';

export type { RoutingPlan, RoutingStep } from './routing/step';

/** Order within a deadline: safeguarding first, then the leads, the child and family, then outside agencies. */
const RECIPIENT_ORDER: readonly Recipient[] = [
  'DSL',
  'DT',
  'headteacher',
  'child',
  'parentsCarers',
  'socialWorker',
  'virtualSchool',
  'localAuthority',
  'classTeacher',
  'SENCO',
  'attendanceLead',
  'previousSchool',
  'governors',
];

function order(steps: RoutingStep[]): RoutingStep[] {
  const rank = (s: RoutingStep) => (s.flag === 'safeguarding' ? -1 : RECIPIENT_ORDER.indexOf(s.who));
  const sorted = [...steps].sort((a, b) => (a.deadline < b.deadline ? -1 : a.deadline > b.deadline ? 1 : rank(a) - rank(b)));
  // A step never comes before a step it depends on (parents before the Virtual School).
  const placed: RoutingStep[] = [];
  const pending = [...sorted];
  while (pending.length > 0) {
    const i = pending.findIndex((s) => (s.after ?? []).every((dep) => placed.some((p) => p.id === dep) || !pending.some((q) => q.id === dep)));
    placed.push(...pending.splice(i === -1 ? 0 : i, 1));
  }
  return placed;
}

/**
 * Who must be told, by when, and why. A pure function of the case, the child's status, the
 * school's profile and the date: no I/O, no clock, no SDK. `pupil` is null for a child who is not
 * on the register: that concern goes to the DSL for triage. A new starter not on the register yet
 * is routed on the status staff reported (`statusReported`), and the plan says so.
 */
export function routingPlan(
  caseType: CaseType,
  answersInput: CaseAnswersInput | CaseAnswers,
  pupil: RoutedChild | null,
  profile: SchoolProfile,
  today: IsoDate,
): RoutingPlan {
  const answers = caseAnswersSchema.parse(answersInput);
  if (answers.caseType !== caseType) throw new Error(`answers are for a ${answers.caseType} case, not ${caseType}`);
  const calendar = new SchoolCalendar(profile.calendar);
  const policy = schoolPolicy(profile);
  const base = { caseType, today, policy: { profile: policy.profile, document: policy.document } } as const;

  if (!pupil) {
    return { ...base, inScope: false, statusLabels: [], steps: withTermDates({ profile, calendar, today }, [unknownPupilStep(profile, calendar, today)]) };
  }
  const flags = cohortFlags(pupil, today);
  const ctx: RuleContext = {
    pupil,
    flags,
    profile,
    policy,
    calendar,
    today,
    hasSocialWorkerNow: Boolean(flags.cla || flags.cwswCurrent),
  };
  const reported = pupil.statusReported ? { statusReported: true } : {};
  if (!coveredBy(policy, flags)) {
    const steps = answers.caseType === 'admission' && pupil.statusReported ? newStarterOutOfScopeSteps(ctx, answers) : outOfScopeSteps(ctx);
    return { ...base, ...reported, inScope: false, statusLabels: statusLabels(ctx), steps: withTermDates(ctx, steps) };
  }

  let steps: RoutingStep[];
  switch (answers.caseType) {
    case 'attendance':
      steps = attendanceSteps(ctx, answers);
      break;
    case 'suspension':
      steps = suspensionSteps(ctx, answers);
      break;
    case 'admission':
      steps = admissionSteps(ctx, answers);
      break;
  }
  const over45 = steps.find((s) => s.id === 'suspension.decided.over45Days');
  return {
    ...base,
    ...(over45 ? { blocked: { reason: over45.what, source: STATUTORY.fortyFiveDays } } : {}),
    inScope: true,
    ...reported,
    statusLabels: statusLabels(ctx),
    steps: withTermDates(ctx, order(steps)),
  };
}

/**
 * Deadlines after the last term date the school has entered are estimates (counted in weekdays, the
 * earliest they can be): the plan says so, and the DSL is asked to add the term dates.
 */
function withTermDates(ctx: Pick<RuleContext, 'profile' | 'calendar' | 'today'>, steps: RoutingStep[]): RoutingStep[] {
  const estimated = steps.filter((s) => s.estimated);
  if (estimated.length === 0) return steps;
  const end = ctx.calendar.termDatesEnd;
  return [
    ...steps,
    makeStep(ctx, {
      id: 'lead.dsl.termDates',
      who: 'DSL',
      owner: 'DSL',
      what: `The school's term dates end on ${formatDate(end)}, so ${estimated.length === 1 ? 'one deadline here falls' : `${estimated.length} deadlines here fall`} after them: counted as if every weekday were a school day (the earliest they can be) and marked estimated. Add the next term dates to the school profile.`,
      staffWhat: 'The DSL adds the school\'s next term dates.',
      timing: { kind: 'promptly' },
      rationale: 'Deadlines are counted in school days, and the school days after the entered term dates are not known.',
      source: estimated[0]!.source,
    }),
  ];
}

function unknownPupilStep(profile: SchoolProfile, calendar: SchoolCalendar, today: IsoDate): RoutingStep {
  return makeStep({ profile, calendar, today }, {
    id: 'lead.dsl.notOnRegister',
    who: 'DSL',
    owner: 'DSL',
    what: 'A concern about a child who is not on the register (or could not be found): identify the child and their status today, then route it.',
    staffWhat: 'The Designated Safeguarding Lead (DSL) is told and decides the next steps.',
    timing: { kind: 'sameDay' },
    rationale: 'The child could not be matched to the register, so the policy cannot be applied automatically.',
    ...cite({ policy: schoolPolicy(profile) }, 'lead.referForAdvice', 'dslLeads'),
  });
}
