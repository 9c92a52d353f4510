import { AttendanceAnswers } from '../cases';
import { cite, makeStep, placingVirtualSchool, RuleContext, socialWorkerContact } from './context';
import { leadSteps } from './common';
import { localAuthorityLabel } from '../localAuthorities';
import { RoutingStep } from './step';

const ADJUSTED_REASONS = new Set(['placementMove', 'contact', 'court', 'review']);
const REASON_LABEL: Record<string, string> = {
  placementMove: 'placement moves',
  contact: 'family time (contact)',
  court: 'court hearings',
  review: 'care or plan reviews',
};

/** Attendance or punctuality concern for a child the school's policy covers. */
export function attendanceSteps(ctx: RuleContext, a: AttendanceAnswers): RoutingStep[] {
  const { flags, profile, policy } = ctx;
  const t = profile.thresholds;
  const unexplained = a.unexplainedToday;
  const cpUnexplained = unexplained && flags.onCpPlan;
  const steps: RoutingStep[] = [];

  if (cpUnexplained) {
    steps.push(
      makeStep(ctx, {
        id: 'attendance.cp.unexplainedAbsence',
        who: 'DSL',
        owner: 'DSL',
        what: 'Absent today with no explanation while on a Child Protection plan: act now. Try every contact for the family and tell the social worker today.',
        staffWhat: 'The Designated Safeguarding Lead (DSL) acts on this today.',
        timing: { kind: 'immediately' },
        rationale: 'An unexplained absence of a child on a Child Protection plan is a same-day safeguarding matter.',
        flag: 'safeguarding',
        ...cite(ctx, undefined, 'cpUnexplainedAbsence'),
      }),
    );
  }
  // Unexplained absence of any child with a social worker, or in care, is followed up the same day.
  if (unexplained && ctx.hasSocialWorkerNow) {
    steps.push(
      makeStep(ctx, {
        id: 'attendance.unexplained.socialWorkerToday',
        who: 'socialWorker',
        owner: 'DSL',
        what: 'Tell the social worker today that the child is absent and nobody has explained why.',
        staffWhat: 'The social worker is told today.',
        timing: { kind: 'sameDay' },
        rationale: flags.cla ? 'The child is looked after and absent without explanation.' : 'The child has a social worker and is absent without explanation.',
        contact: socialWorkerContact(ctx),
        ...cite(ctx, 'attendance.contactSocialWorker', 'absenceSocialWorker', 'cpUnexplainedAbsence'),
      }),
    );
  }
  if (unexplained && flags.cla) {
    steps.push(
      makeStep(ctx, {
        id: 'attendance.unexplained.virtualSchoolToday',
        who: 'virtualSchool',
        owner: 'DT',
        what: `Tell the Virtual School of the placing authority (${localAuthorityLabel(flags.cla.placingAuthority)}) today that the child is absent without explanation.`,
        staffWhat: 'The Virtual School is told today.',
        timing: { kind: 'sameDay' },
        rationale: `The child is looked after (placed by ${localAuthorityLabel(flags.cla.placingAuthority)}) and absent without explanation.`,
        contact: placingVirtualSchool(ctx),
        ...cite(ctx, 'attendance.virtualSchool', 'absenceSocialWorker'),
      }),
    );
  }

  steps.push(...leadSteps(ctx, cpUnexplained ? { kind: 'immediately' } : { kind: 'sameDay' }, 'Read the attendance concern and agree who contacts whom.'));

  steps.push(
    makeStep(ctx, {
      id: 'attendance.parentsCarers',
      who: 'parentsCarers',
      owner: 'attendanceLead',
      what: unexplained
        ? 'Contact the parents or carers today to find out where the child is and why.'
        : 'Contact the parents or carers, as early intervention, to understand what is getting in the way and agree support.',
      staffWhat: unexplained ? 'Parents or carers are contacted today.' : 'Parents or carers are contacted.',
      timing: unexplained ? { kind: 'sameDay' } : { kind: 'promptly' },
      rationale: unexplained ? 'The child is absent and no reason has been given.' : 'Attendance or punctuality is a concern.',
      ...(unexplained ? cite(ctx, 'attendance.contactParents', 'firstDayContact') : cite(ctx, 'attendance.contactParents', 'workWithFamilies')),
    }),
    makeStep(ctx, {
      id: 'attendance.child',
      who: 'child',
      owner: 'teacher',
      what: 'Speak with the child, gently and in private, about how school feels and what would help. Listen; do not ask them to explain their absence.',
      staffWhat: 'A trusted adult speaks with the child.',
      timing: { kind: 'promptly' },
      rationale: 'The voice of the child comes first.',
      ...cite(ctx, 'attendance.speakToChild', 'workWithFamilies'),
    }),
  );

  if (ctx.hasSocialWorkerNow && !unexplained) {
    steps.push(
      makeStep(ctx, {
        id: 'attendance.socialWorker',
        who: 'socialWorker',
        owner: 'DSL',
        what: 'Tell the social worker about the attendance concern and agree how to support attendance together.',
        staffWhat: 'The social worker is told.',
        timing: { kind: 'promptly' },
        rationale: flags.cla ? 'The child is looked after and has a social worker.' : 'The child has a social worker now.',
        contact: socialWorkerContact(ctx),
        ...cite(ctx, 'attendance.contactSocialWorker', 'absenceSocialWorker'),
      }),
    );
  }

  if (flags.cla && !unexplained && policy.has('attendance.virtualSchool')) {
    steps.push(
      makeStep(ctx, {
        id: 'attendance.cla.virtualSchool',
        who: 'virtualSchool',
        owner: 'DT',
        what: `Tell the Virtual School of the placing authority (${localAuthorityLabel(flags.cla.placingAuthority)}) about the attendance concern.`,
        staffWhat: 'The Virtual School is told.',
        timing: { kind: 'promptly' },
        rationale: `The child is looked after; the Virtual School responsible is the placing authority's (${localAuthorityLabel(flags.cla.placingAuthority)}).`,
        contact: placingVirtualSchool(ctx),
        ...cite(ctx, 'attendance.virtualSchool'),
      }),
    );
  }

  const adjusted = a.reasons.filter((r) => ADJUSTED_REASONS.has(r));
  if (adjusted.length > 0 && policy.has('attendance.placementMoveAdjustments')) {
    steps.push(
      makeStep(ctx, {
        id: 'attendance.reasonableAdjustments',
        who: 'attendanceLead',
        owner: 'attendanceLead',
        what: `Record absence for ${adjusted.map((r) => REASON_LABEL[r]).join(', ')} as such, and make reasonable adjustments (for example recognising good attendance despite placement moves).`,
        staffWhat: 'The attendance lead records the reasons and makes reasonable adjustments.',
        timing: { kind: 'promptly' },
        rationale: 'Absence for placement moves, family time, court or reviews is part of being in care, not a lack of commitment.',
        ...cite(ctx, 'attendance.placementMoveAdjustments'),
      }),
    );
  }

  if (policy.has('attendance.lowerThresholdsBeforeDiscipline')) {
    steps.push(
      makeStep(ctx, {
        id: 'attendance.noFormalActionFirst',
        who: flags.careExperienced ? 'DT' : 'DSL',
        owner: 'attendanceLead',
        what: 'Do not start any formal or disciplinary attendance action (warning letters, penalty notices, prosecution) without first agreeing it with the DT or DSL; consider a lower threshold for this child.',
        staffWhat: 'No formal attendance action is taken without the DSL or DT.',
        timing: { kind: 'beforeDecision', label: 'before any formal action' },
        rationale: "The school's policy asks for reasonable adjustments, including lowering thresholds before disciplinary processes.",
        ...cite(ctx, 'attendance.lowerThresholdsBeforeDiscipline'),
      }),
    );
  }

  const percent = a.attendancePercent ?? ctx.pupil.attendancePercent;
  if (percent !== undefined && percent <= t.severeAbsencePercent) {
    steps.push(
      makeStep(ctx, {
        id: 'attendance.severeAbsence',
        who: 'DSL',
        owner: 'DSL',
        what: `Attendance is ${percent}%: severe absence (missing half or more of school). Treat it as a priority: consider safeguarding, and involve the local authority's attendance support and children's social care as needed.`,
        staffWhat: 'The DSL treats this as a priority.',
        timing: { kind: 'sameDay' },
        rationale: `Attendance of ${percent}% is at or below the severe absence threshold of ${t.severeAbsencePercent}%.`,
        flag: 'safeguarding',
        ...cite(ctx, undefined, 'persistentAbsence'),
      }),
    );
  } else if (percent !== undefined && percent <= t.persistentAbsencePercent) {
    steps.push(
      makeStep(ctx, {
        id: 'attendance.persistentAbsence',
        who: flags.careExperienced ? 'DT' : 'DSL',
        owner: 'attendanceLead',
        what: `Attendance is ${percent}%: persistent absence (missing 10% or more). Agree an attendance support plan with the family and the professionals around the child.`,
        staffWhat: 'An attendance support plan is agreed.',
        timing: { kind: 'schoolDays', days: 5, from: 'today' },
        rationale: `Attendance of ${percent}% is at or below the persistent absence threshold of ${t.persistentAbsencePercent}%.`,
        ...cite(ctx, undefined, 'persistentAbsence'),
      }),
    );
  }

  if (a.consecutiveUnauthorisedDays !== undefined && a.consecutiveUnauthorisedDays >= t.consecutiveUnauthorisedDays) {
    steps.push(
      makeStep(ctx, {
        id: 'attendance.tenDaysLocalAuthority',
        who: 'localAuthority',
        owner: 'attendanceLead',
        what: `Tell the local authority: ${a.consecutiveUnauthorisedDays} consecutive school days of unauthorised absence (the school's trigger is ${t.consecutiveUnauthorisedDays}; the legal one is 10).`,
        staffWhat: 'The local authority is told.',
        timing: { kind: 'schoolDays', days: 1, from: 'today' },
        rationale: `${a.consecutiveUnauthorisedDays} consecutive school days of unauthorised absence.`,
        flag: 'statutoryLimit',
        ...cite(ctx, undefined, 'tenDaysContinuous'),
      }),
    );
  }
  return steps;
}
