import { SchoolCalendar } from './calendar';
import { CaseAnswers, caseAnswersSchema, CaseAnswersInput, CaseType } from './cases';
import { IsoDate } from './dates';
import { cohortFlags, Pupil } from './pupil';
import { SchoolProfile } from './schoolProfile';
import { admissionSteps } from './routing/admission';
import { attendanceSteps } from './routing/attendance';
import { inScope, outOfScopeSteps, statusLabels } from './routing/common';
import { makeStep, RuleContext } from './routing/context';
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
 * on the register: that concern goes to the DSL for triage.
 */
export function routingPlan(
  caseType: CaseType,
  answersInput: CaseAnswersInput | CaseAnswers,
  pupil: Pupil | null,
  profile: SchoolProfile,
  today: IsoDate,
): RoutingPlan {
  const answers = caseAnswersSchema.parse(answersInput);
  if (answers.caseType !== caseType) throw new Error(`answers are for a ${answers.caseType} case, not ${caseType}`);
  const calendar = new SchoolCalendar(profile.calendar);
  const base = { caseType, today, pack: profile.pack } as const;

  if (!pupil) {
    return { ...base, inScope: false, statusLabels: [], steps: [unknownPupilStep(profile, calendar, today)] };
  }
  const flags = cohortFlags(pupil, today);
  const ctx: RuleContext = {
    pupil,
    flags,
    profile,
    calendar,
    today,
    pack: profile.pack,
    hasSocialWorkerNow: Boolean(flags.cla || flags.cwswCurrent),
  };
  const covered = inScope(ctx);
  if (!covered) return { ...base, inScope: false, statusLabels: statusLabels(ctx), steps: outOfScopeSteps(ctx) };

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
  return { ...base, inScope: true, statusLabels: statusLabels(ctx), steps: order(steps) };
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
    source: profile.pack === 'hertfordshire' ? 'leysReferToDsl' : 'offordDslLiaison',
  });
}
