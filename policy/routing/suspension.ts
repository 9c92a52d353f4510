import { ALTERNATIVE_LABEL, ALTERNATIVES, CONSULTED_LABEL, ConsultedParty, SuspensionAnswers, SuspensionDecision } from '../cases';
import { addDays, formatDate, IsoDate } from '../dates';
import { hadSocialWorker } from '../scope';
import { cite, exclusionsContact, localVirtualSchool, makeStep, placingVirtualSchool, RuleContext, socialWorkerContact, StepInput } from './context';
import { leadSteps } from './common';
import { localAuthorityLabel } from '../localAuthorities';
import { RoutingStep } from './step';

/** Statutory limits (suspension guidance 2023/2024; School Discipline Regulations 2012, regulation 6). */
export const MAX_SUSPENSION_DAYS_PER_YEAR = 45;
export const GOVERNORS_TERM_TRIGGER_DAYS = 15;
export const GOVERNORS_MEETING_SCHOOL_DAYS = 15;
export const REPRESENTATIONS_TRIGGER_DAYS = 5;
export const REPRESENTATIONS_MEETING_SCHOOL_DAYS = 50;
/** Suitable full-time education from the sixth consecutive school day (2007 Regulations, as amended 2014). */
export const SIXTH_DAY = 6;

export function suspensionSteps(ctx: RuleContext, a: SuspensionAnswers): RoutingStep[] {
  const decided = a.stage === 'decided';
  const afterDecision = decided || a.decisionReported;
  const steps: RoutingStep[] = [
    ...leadSteps(
      ctx,
      { kind: 'sameDay' },
      afterDecision ? 'A suspension has been decided: make sure every notification and duty below is met.' : 'Read what happened and lead the plan to avoid a suspension.',
    ),
  ];
  if (afterDecision) {
    steps.push(...missedConsultations(ctx, a));
    if (decided) steps.push(...decidedSteps(ctx, a, a.decision!));
    else steps.push(decisionToRecord(ctx));
  } else {
    steps.push(...atRiskSteps(ctx, a), ...consultations(ctx).map((c) => makeStep(ctx, c.step)));
  }
  steps.push(...sendSteps(ctx, afterDecision), ...repeatedSteps(ctx, a));
  return steps;
}

/**
 * What the school's policy, or the law, says must happen before any decision about this child, and
 * which party each one is with. At the at-risk stage they are steps to take; once a decision is
 * reported, each one that did not happen is put first and flagged (missedConsultations).
 */
interface Consultation {
  party: ConsultedParty;
  step: StepInput;
}

function consultations(ctx: RuleContext): Consultation[] {
  const { flags, policy } = ctx;
  const out: Consultation[] = [];
  if (flags.cla) {
    // Statutory for every school; a school's own sentence (as soon as possible, or before acting) is cited first.
    const own = policy.has('suspension.childInCareVirtualSchool') ? 'suspension.childInCareVirtualSchool' : policy.has('suspension.virtualSchoolAdviserBeforeActing') ? 'suspension.virtualSchoolAdviserBeforeActing' : undefined;
    out.push({
      party: 'virtualSchool',
      step: {
        id: 'suspension.cla.virtualSchoolBeforeDecision',
        who: 'virtualSchool',
        owner: 'DT',
        what: `Contact the Virtual School of the placing authority (${localAuthorityLabel(flags.cla.placingAuthority)}) as soon as possible, before any decision, to discuss the rationale and the support that could avoid a suspension.`,
        staffWhat: 'The Virtual School is contacted before any decision.',
        timing: { kind: 'beforeDecision' },
        rationale: `The child is looked after (placed by ${localAuthorityLabel(flags.cla.placingAuthority)}): the Virtual School is consulted before acting.`,
        contact: placingVirtualSchool(ctx),
        ...cite(ctx, own, 'claVshAsSoonAsPossible'),
      },
    });
  }
  if (flags.cpla && !flags.cla) {
    if (policy.has('suspension.previouslyInCareParentsFirst')) {
      out.push(
        {
          party: 'parentsCarers',
          step: {
            id: 'suspension.cpla.parentsFirst',
            who: 'parentsCarers',
            owner: 'DT',
            what: "Talk to the child's parents or guardians first, before seeking the Virtual School's advice.",
            staffWhat: 'The Designated Teacher talks to the parents or carers.',
            timing: { kind: 'beforeDecision' },
            rationale: 'The child was previously looked after: the parents or guardians come first.',
            ...cite(ctx, 'suspension.previouslyInCareParentsFirst'),
          },
        },
        {
          party: 'virtualSchool',
          step: {
            id: 'suspension.cpla.virtualSchoolAdvice',
            who: 'virtualSchool',
            owner: 'DT',
            what: "After talking to the parents or guardians, seek the Virtual School's advice on avoiding exclusion.",
            staffWhat: 'The Virtual School is asked for advice.',
            timing: { kind: 'beforeDecision' },
            after: ['suspension.cpla.parentsFirst'],
            rationale: 'Previously looked-after child: Virtual School advice after the parents have been spoken to.',
            contact: localVirtualSchool(ctx),
            ...cite(ctx, 'suspension.previouslyInCareParentsFirst', 'vshAdviceToParents'),
          },
        },
      );
    } else if (policy.has('suspension.previouslyInCareConsent')) {
      out.push(
        {
          party: 'parentsCarers',
          step: {
            id: 'suspension.cpla.askConsent',
            who: 'parentsCarers',
            owner: 'DT',
            what: 'Talk to the parents or carers and ask whether they consent to the Virtual School being contacted for advice.',
            staffWhat: 'The Designated Teacher talks to the parents or carers.',
            timing: { kind: 'beforeDecision' },
            rationale: "The child was previously in care: the Virtual School may only be contacted with the carers' or parents' consent.",
            ...cite(ctx, 'suspension.previouslyInCareConsent'),
          },
        },
        {
          party: 'virtualSchool',
          step: {
            id: 'suspension.cpla.virtualSchoolAdvice',
            who: 'virtualSchool',
            owner: 'DT',
            what: 'Only if the parents or carers consent: contact the Virtual School for advice.',
            staffWhat: "The Virtual School may be asked for advice, with the family's consent.",
            timing: { kind: 'beforeDecision' },
            after: ['suspension.cpla.askConsent'],
            requiresConsentOf: 'parentsCarers',
            rationale: 'Previously in care: Virtual School advice only with consent.',
            contact: localVirtualSchool(ctx),
            ...cite(ctx, 'suspension.previouslyInCareConsent', 'vshAdviceToParents'),
          },
        },
      );
    }
  }
  // Holy Family: before acting, for every child with a social worker (now or in the last six years).
  if (!flags.cla && policy.has('suspension.virtualSchoolAdviserBeforeActing') && (flags.cwswCurrent || hadSocialWorker(policy, flags))) {
    out.push({
      party: 'virtualSchool',
      step: {
        id: 'suspension.cwsw.virtualSchoolBeforeActing',
        who: 'virtualSchool',
        owner: 'DSL',
        what: "Before acting, discuss the rationale for any suspension with the Virtual School's education adviser.",
        staffWhat: 'The Virtual School is consulted before any decision.',
        timing: { kind: 'beforeDecision' },
        rationale: flags.cwswCurrent ? 'The child has a social worker.' : 'The child had a social worker in the last six years.',
        contact: localVirtualSchool(ctx),
        ...cite(ctx, 'suspension.virtualSchoolAdviserBeforeActing'),
      },
    });
  }
  if (ctx.hasSocialWorkerNow) {
    out.push({
      party: 'socialWorker',
      step: {
        id: 'suspension.socialWorkerEarly',
        who: 'socialWorker',
        owner: 'DSL',
        what: 'Involve the social worker early: share what is happening and plan the support together before any decision.',
        staffWhat: 'The social worker is involved early.',
        timing: { kind: 'beforeDecision' },
        rationale: flags.cla ? 'The child is looked after and has a social worker.' : 'The child has a social worker now.',
        contact: socialWorkerContact(ctx),
        ...cite(ctx, undefined, 'involveEarly'),
      },
    });
  }
  return out;
}

/**
 * A decision has been made: each consultation the policy asks for before one, and that did not
 * happen, comes first, before the suspension starts, and the DSL and headteacher are told.
 */
function missedConsultations(ctx: RuleContext, a: SuspensionAnswers): RoutingStep[] {
  const missed = consultations(ctx).filter((c) => !a.consultedBeforeDecision.includes(c.party));
  if (missed.length === 0) return [];
  const start = a.stage === 'decided' ? a.decision!.startDate : undefined;
  // Before the suspension starts: the school day before its first day, or today if that has passed.
  const before = start ? schoolDayBefore(ctx, start) : ctx.today;
  const label = start ? `before the suspension starts on ${formatDate(start)}` : 'before the suspension starts';
  const steps = missed.map((c) =>
    makeStep(ctx, {
      ...c.step,
      what: `This should have happened before the decision and has not: ${lowerFirst(c.step.what)}`,
      staffWhat: c.step.staffWhat,
      timing: { kind: 'byDate', label },
      base: before,
      flag: 'missedBeforeDecision',
    }),
  );
  const parties = [...new Set(missed.map((c) => CONSULTED_LABEL[c.party]))];
  steps.push(
    makeStep(ctx, {
      id: 'suspension.decided.consultationMissed',
      who: 'headteacher',
      owner: 'DSL',
      what: `The decision was made without first discussing it with ${parties.join(' and ')}, as the school's policy and the law ask. The DSL and the headteacher review the decision with them ${label}.`,
      staffWhat: 'The DSL and the headteacher review the decision.',
      timing: { kind: 'withoutDelay' },
      rationale: 'Before-acting consultations did not happen.',
      flag: 'missedBeforeDecision',
      source: missed[0]!.step.source,
      alsoSources: [...new Map(missed.flatMap((c) => [c.step.source, ...(c.step.alsoSources ?? [])]).map((s) => [JSON.stringify(s), s])).values()].slice(1),
    }),
  );
  return steps;
}

/** The last school day before `date`, but never before today (then it is today, and late). */
function schoolDayBefore(ctx: RuleContext, date: IsoDate): IsoDate {
  let d = addDays(date, -1);
  while (d > ctx.today && !ctx.calendar.isSchoolDay(d)) d = addDays(d, -1);
  return d < ctx.today ? ctx.today : d;
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

function atRiskSteps(ctx: RuleContext, a: SuspensionAnswers): RoutingStep[] {
  const { flags, policy } = ctx;
  const steps: RoutingStep[] = [];
  const listed = policy.has('suspension.alternativesList');
  const notTried = ALTERNATIVES.filter((alt) => !a.tried.includes(alt));
  const ownAlternatives = listed ? 'suspension.alternativesList' : policy.has('suspension.exploreAlternatives') ? 'suspension.exploreAlternatives' : 'suspension.everyEffortToAvoid';
  steps.push(
    makeStep(ctx, {
      id: 'suspension.parentsCarers',
      who: 'parentsCarers',
      owner: flags.careExperienced ? 'DT' : 'DSL',
      what: 'Involve the parents or carers now: share the worry, listen to what they see at home, and plan the support together.',
      staffWhat: 'The parents or carers are involved.',
      timing: { kind: 'promptly' },
      rationale: 'Parents and carers are involved as early as possible when a child is at risk of suspension.',
      ...cite(ctx, undefined, 'involveEarly'),
    }),
    makeStep(ctx, {
      id: 'suspension.alternativesFirst',
      who: 'classTeacher',
      owner: flags.careExperienced ? 'DT' : 'DSL',
      what: listed
        ? notTried.length > 0
          ? `Make every effort to avoid a suspension. Not yet tried: ${notTried.map((x) => ALTERNATIVE_LABEL[x]).join('; ')}.`
          : 'Every listed alternative has been tried: review with the DSL what is and is not working before anything else.'
        : 'Make every effort to avoid a suspension: explore the alternatives that keep the child learning, with the DSL.',
      staffWhat: 'The adults around the child work through the alternatives to suspension with the DSL.',
      timing: { kind: 'promptly' },
      rationale: 'A suspension risks the child disengaging after early experience of broken attachments and loss.',
      ...cite(ctx, ownAlternatives, undefined, ...(['suspension.exploreAlternatives', 'suspension.everyEffortToAvoid'] as const).filter((r) => r !== ownAlternatives)),
    }),
  );
  if (policy.has('suspension.partTimeAgreedAndTimeLimited') || listed || a.tried.includes('reducedTimetable')) {
    steps.push(
      makeStep(ctx, {
        id: 'suspension.reducedTimetableSafeguards',
        who: 'parentsCarers',
        owner: flags.careExperienced ? 'DT' : 'DSL',
        what: `A reduced or part-time timetable only with its safeguards: agreed with the parents${ctx.hasSocialWorkerNow ? ' and with social care' : ''}, in the child's best interests and never to manage behaviour, for the shortest time with a date by which the child is back full time, and reviewed regularly. The absence is authorised.`,
        staffWhat: 'Any reduced timetable is agreed with the family, time-limited and reviewed.',
        timing: { kind: 'beforeDecision', label: 'before any reduced timetable starts' },
        rationale: a.tried.includes('reducedTimetable') ? 'A reduced timetable has been used.' : 'A reduced timetable is among the options.',
        ...cite(ctx, 'suspension.partTimeAgreedAndTimeLimited', 'partTimeTimetable'),
      }),
    );
  }
  if (policy.has('suspension.riskAssessment')) {
    steps.push(
      makeStep(ctx, {
        id: 'suspension.riskAssessment',
        who: 'classTeacher',
        owner: 'DSL',
        what: 'Complete (or review) a risk assessment focused on this child, setting out the support in place to prevent escalation; share it with the child, their parents or carers, and the staff involved.',
        staffWhat: 'A risk assessment focused on supporting the child is completed and shared with the staff involved.',
        timing: { kind: 'promptly' },
        rationale: 'A risk assessment sets out the support in place before any decision.',
        ...cite(ctx, 'suspension.riskAssessment'),
      }),
    );
  }
  if (policy.has('suspension.minimumDays')) {
    steps.push(
      makeStep(ctx, {
        id: 'suspension.minimumDays',
        who: 'headteacher',
        owner: 'headteacher',
        what: 'If a suspension cannot be avoided, keep the days out of school to a strict minimum and use them to plan the return.',
        staffWhat: 'The headteacher keeps any time out of school to a minimum.',
        timing: { kind: 'beforeDecision' },
        rationale: 'Time out of the school routine raises the risk of disengagement.',
        ...cite(ctx, 'suspension.minimumDays'),
      }),
    );
  }
  const lastResort = ctx.policy.cite('suspension.lastResort');
  // Holy Family's sentence is about permanent exclusion of care-experienced children; Bushey Heath's about any exclusion.
  const lastResortApplies = lastResort && (ctx.policy.profile !== 'holyFamily' || flags.careExperienced);
  if (lastResortApplies) {
    steps.push(
      makeStep(ctx, {
        id: 'suspension.lastResort',
        who: 'headteacher',
        owner: 'headteacher',
        what: flags.careExperienced
          ? "Exclusion only as the very last resort: a permanent exclusion could affect the child's whole living arrangements."
          : 'Exclusion only as the last possible resort, after the alternatives.',
        staffWhat: 'The headteacher is made aware.',
        timing: { kind: 'beforeDecision' },
        rationale: flags.careExperienced ? 'Care-experienced child: a permanent exclusion can put the placement at risk.' : "The school's policy: exclusion is the last resort.",
        ...cite(ctx, 'suspension.lastResort'),
      }),
    );
  }
  return steps;
}

function decisionToRecord(ctx: RuleContext): RoutingStep {
  return makeStep(ctx, {
    id: 'suspension.decisionToRecord',
    who: 'headteacher',
    owner: 'headteacher',
    what: 'A member of staff reports that a suspension has already been decided. Record the decision (dates and days) now, so the statutory notifications go without delay.',
    staffWhat: 'The headteacher records the decision.',
    timing: { kind: 'immediately' },
    rationale: 'Notifications must go without delay once a suspension is decided.',
    flag: 'statutoryLimit',
    ...cite(ctx, undefined, 'notifyWithoutDelay'),
  });
}

/** The school days of a suspension starting on `start`: the first, and the last. */
function lastDayOf(ctx: RuleContext, start: IsoDate, days: number): IsoDate {
  return ctx.calendar.addSchoolDays(start, Math.max(0, Math.ceil(days) - 1));
}

function decidedSteps(ctx: RuleContext, a: SuspensionAnswers, decision: SuspensionDecision): RoutingStep[] {
  const { flags, policy } = ctx;
  const permanent = decision.kind === 'permanentExclusion';
  const days = permanent ? 0 : decision.days;
  const what = permanent ? 'permanent exclusion' : `suspension (${days} school day${days === 1 ? '' : 's'}, from ${formatDate(decision.startDate)})`;
  const steps: RoutingStep[] = [
    makeStep(ctx, {
      id: 'suspension.decided.parents',
      who: 'parentsCarers',
      owner: 'headteacher',
      what: `Notify the parents or carers without delay (in person or by phone first, then in writing) of the ${what} and the reasons, their right to make representations to the governing board and how, and where the child will be educated from the sixth school day.`,
      staffWhat: 'Parents or carers are notified.',
      timing: { kind: 'withoutDelay' },
      rationale: 'Statutory notification once a suspension or exclusion is decided.',
      duty: true,
      ...cite(ctx, undefined, 'notifyParents', 'notifyWithoutDelay'),
    }),
    makeStep(ctx, {
      id: 'suspension.decided.localAuthority',
      who: 'localAuthority',
      owner: 'headteacher',
      what: `Notify the local authority without delay of the ${what} and the reasons.`,
      staffWhat: 'The local authority is notified.',
      timing: { kind: 'withoutDelay' },
      rationale: 'Statutory notification once a suspension or exclusion is decided, whatever its length.',
      duty: true,
      contact: exclusionsContact(ctx),
      ...cite(ctx, undefined, 'notifyWithoutDelay'),
    }),
  ];
  if (ctx.hasSocialWorkerNow) {
    steps.push(
      makeStep(ctx, {
        id: 'suspension.decided.socialWorker',
        who: 'socialWorker',
        owner: 'DSL',
        what: `Notify the social worker without delay of the ${what} and the reasons.`,
        staffWhat: 'The social worker is notified.',
        timing: { kind: 'withoutDelay' },
        rationale: 'The child has a social worker: statutory notification.',
        duty: true,
        contact: socialWorkerContact(ctx),
        ...cite(ctx, undefined, 'notifyWithoutDelay'),
      }),
    );
  }
  if (flags.cla) {
    steps.push(
      makeStep(ctx, {
        id: 'suspension.decided.virtualSchool',
        who: 'virtualSchool',
        owner: 'DT',
        what: `Notify the Virtual School Head of the placing authority (${localAuthorityLabel(flags.cla.placingAuthority)}) without delay of the ${what} and the reasons.`,
        staffWhat: 'The Virtual School is notified.',
        timing: { kind: 'withoutDelay' },
        rationale: 'The child is looked after: statutory notification of the Virtual School Head.',
        duty: true,
        contact: placingVirtualSchool(ctx),
        ...cite(ctx, undefined, 'notifyWithoutDelay'),
      }),
    );
  }

  const yearTotal = a.history.daysThisYear + days;
  if (!permanent && yearTotal > MAX_SUSPENSION_DAYS_PER_YEAR) {
    steps.push(
      makeStep(ctx, {
        id: 'suspension.decided.over45Days',
        who: 'headteacher',
        owner: 'headteacher',
        what: `This would bring suspensions this school year to ${yearTotal} school days: the legal maximum is ${MAX_SUSPENSION_DAYS_PER_YEAR}. The decision cannot be sent as it stands: the headteacher changes it (at most ${Math.max(0, MAX_SUSPENSION_DAYS_PER_YEAR - a.history.daysThisYear)} more days this year).`,
        staffWhat: 'The headteacher reviews the decision.',
        timing: { kind: 'immediately' },
        rationale: `${a.history.daysThisYear} days already this year plus ${days} now.`,
        flag: 'statutoryLimit',
        ...cite(ctx, undefined, 'fortyFiveDays'),
      }),
    );
  }

  steps.push(...governorsSteps(ctx, a, decision));
  steps.push(...provisionSteps(ctx, a, decision));

  if (!permanent) {
    steps.push(
      makeStep(ctx, {
        id: 'suspension.decided.reintegration',
        who: flags.careExperienced ? 'DT' : 'DSL',
        owner: flags.careExperienced ? 'DT' : 'DSL',
        what: 'Plan the return with the child and family before they come back: a reintegration meeting and the support that will change. A suspension is not a sanction in itself.',
        staffWhat: 'A return-to-school meeting is planned.',
        timing: { kind: 'byDate', label: 'the last day of the suspension' },
        base: lastDayOf(ctx, decision.startDate, days),
        rationale: 'Time out of school is used to plan successful reintegration.',
        ...cite(ctx, policy.has('suspension.planReintegration') ? 'suspension.planReintegration' : undefined, 'reintegration'),
      }),
    );
  }
  return steps;
}

/** The governing board's duties, in all their cases (School Discipline Regulations 2012, regulation 6). */
function governorsSteps(ctx: RuleContext, a: SuspensionAnswers, decision: SuspensionDecision): RoutingStep[] {
  const permanent = decision.kind === 'permanentExclusion';
  const days = permanent ? 0 : decision.days;
  const termTotal = a.history.daysThisTerm + days;
  const steps: RoutingStep[] = [];
  const base = { who: 'governors' as const, owner: 'headteacher' as const, staffWhat: 'The governing board considers the decision.', flag: 'statutoryLimit' as const, ...cite(ctx, undefined, 'governorsReinstatement') };
  if (permanent || termTotal > GOVERNORS_TERM_TRIGGER_DAYS) {
    steps.push(
      makeStep(ctx, {
        ...base,
        id: 'suspension.decided.governorsReinstatement',
        what: permanent
          ? `The governing board must consider reinstatement within ${GOVERNORS_MEETING_SCHOOL_DAYS} school days of notice of the permanent exclusion. Tell the board (and the parents, who may attend) now.`
          : `Suspensions this term now total ${termTotal} school days (more than ${GOVERNORS_TERM_TRIGGER_DAYS}): the governing board must consider reinstatement within ${GOVERNORS_MEETING_SCHOOL_DAYS} school days.`,
        timing: { kind: 'schoolDays', days: GOVERNORS_MEETING_SCHOOL_DAYS, from: 'today' },
        rationale: permanent ? 'Permanent exclusion.' : `${a.history.daysThisTerm} days already this term plus ${days} now.`,
      }),
    );
  } else if (termTotal > REPRESENTATIONS_TRIGGER_DAYS) {
    steps.push(
      makeStep(ctx, {
        ...base,
        id: 'suspension.decided.governorsRepresentations',
        what: `Suspensions this term total ${termTotal} school days (more than ${REPRESENTATIONS_TRIGGER_DAYS}): if the parents make representations, the governing board must consider reinstatement within ${REPRESENTATIONS_MEETING_SCHOOL_DAYS} school days of receiving notice. Tell the parents how to make them.`,
        timing: { kind: 'schoolDays', days: REPRESENTATIONS_MEETING_SCHOOL_DAYS, from: 'today' },
        rationale: `${a.history.daysThisTerm} days already this term plus ${days} now.`,
      }),
    );
  }
  if (decision.missesExam) {
    steps.push(
      makeStep(ctx, {
        ...base,
        id: 'suspension.decided.governorsExam',
        what: 'The child would miss a public examination or national curriculum test: the governing board must consider reinstatement before the date of the examination or test where reasonably practicable (otherwise the chair may consider it alone), and within 15 school days at most.',
        timing: { kind: 'schoolDays', days: GOVERNORS_MEETING_SCHOOL_DAYS, from: 'today' },
        rationale: 'The suspension would mean missing an examination or test.',
      }),
    );
  }
  return steps;
}

/**
 * Education from the sixth consecutive school day, counting back-to-back suspensions together: the
 * governing board's duty for a suspension, the local authority's for a permanent exclusion. A school
 * policy that promises provision from the first day adds a step; it never replaces this one.
 */
function provisionSteps(ctx: RuleContext, a: SuspensionAnswers, decision: SuspensionDecision): RoutingStep[] {
  const { flags, policy } = ctx;
  const steps: RoutingStep[] = [];
  if (decision.kind === 'permanentExclusion') {
    steps.push(
      makeStep(ctx, {
        id: 'suspension.decided.provisionDaySixLocalAuthority',
        who: 'headteacher',
        owner: 'headteacher',
        what: 'For a permanent exclusion, the local authority must arrange suitable full-time education from the sixth school day. Agree with the local authority where the child will go, tell the parents in writing by the end of the first day, and set the work until then.',
        staffWhat: 'Full-time education from the sixth day is agreed with the local authority.',
        timing: { kind: 'byDate', label: 'the sixth school day of the exclusion' },
        base: ctx.calendar.addSchoolDays(decision.startDate, SIXTH_DAY - 1),
        rationale: 'Permanent exclusion: the sixth-day duty is the local authority\'s.',
        ...cite(ctx, undefined, 'daySixLocalAuthority', 'daySixNotice'),
      }),
    );
  } else {
    const before = a.history.consecutiveDaysBefore;
    const run = before + decision.days;
    if (run >= SIXTH_DAY) {
      // The sixth consecutive day falls inside this suspension: after (5 - before) of its days.
      const intoThis = Math.max(0, SIXTH_DAY - 1 - Math.ceil(before));
      steps.push(
        makeStep(ctx, {
          id: 'suspension.decided.provisionDaySix',
          who: 'headteacher',
          owner: 'headteacher',
          what:
            before > 0
              ? `With the suspension just before it, this makes ${run} consecutive school days: arrange suitable full-time education from the sixth consecutive day, and tell the parents in writing where.`
              : 'Arrange suitable full-time education from the sixth school day, and tell the parents in writing where by the end of the first day.',
          staffWhat: 'Full-time education is arranged from the sixth day.',
          timing: { kind: 'byDate', label: 'the sixth consecutive school day of suspension' },
          base: ctx.calendar.addSchoolDays(decision.startDate, intoThis),
          rationale: before > 0 ? `${before} school days of suspension straight before this one, plus ${decision.days} now (back-to-back suspensions count together).` : `A suspension of ${decision.days} school days (more than five).`,
          ...cite(ctx, undefined, 'daySixSchool', 'daySixNotice'),
        }),
      );
    }
    if (flags.cla && policy.has('suspension.provisionFromDayOne')) {
      steps.push(
        makeStep(ctx, {
          id: 'suspension.decided.provisionDayOne',
          who: 'DT',
          owner: 'headteacher',
          what: "Educational provision in place from the first day (child in care), as the school's policy promises, and the days reduced as far as possible. The statutory duty from the sixth day still applies.",
          staffWhat: 'Work is arranged from the first day.',
          timing: { kind: 'byDate', label: 'the first day of the suspension' },
          base: decision.startDate,
          rationale: "Child in care: the school's policy promises provision from day one.",
          ...cite(ctx, 'suspension.provisionFromDayOne'),
        }),
      );
    }
  }
  return steps;
}

function sendSteps(ctx: RuleContext, afterDecision: boolean): RoutingStep[] {
  if (ctx.pupil.send === 'none') return [];
  const ehcp = ctx.pupil.send === 'ehcp';
  return [
    makeStep(ctx, {
      id: 'suspension.send',
      who: 'SENCO',
      owner: 'SENCO',
      what: afterDecision
        ? `${ehcp ? 'The child has an EHCP: ask the local authority about an early review. ' : 'The child has SEN support. '}Check that reasonable adjustments and the special educational provision were in place before the decision: a suspension for behaviour linked to a disability is lawful only if they were. The governing board will ask.`
        : `${ehcp ? 'The child has an EHCP: consider an early review. ' : 'The child has SEN support. '}Check the reasonable adjustments and special educational provision in place; a suspension for behaviour linked to a disability is lawful only if reasonable adjustments have been made.`,
      staffWhat: 'The SENCO is involved.',
      timing: afterDecision ? { kind: 'withoutDelay' } : { kind: 'beforeDecision' },
      rationale: 'Special educational needs: the Equality Act 2010 and the Children and Families Act 2014 apply.',
      ...cite(ctx, 'suspension.sendProcedures', 'sendAdjustments'),
    }),
  ];
}

function repeatedSteps(ctx: RuleContext, a: SuspensionAnswers): RoutingStep[] {
  const previous = a.history.suspensionsThisYear;
  if (previous < 1) return [];
  const own = ctx.policy.has('suspension.repeatedSuspensions');
  return [
    makeStep(ctx, {
      id: 'suspension.repeated',
      who: 'DSL',
      owner: ctx.flags.careExperienced ? 'DT' : 'DSL',
      what: `${previous} earlier suspension${previous === 1 ? '' : 's'} this school year: ${own ? 'the support in place is not working. A different intervention is needed; seek the local authority\'s or Virtual School\'s staged support.' : 'consider whether suspension is working for this child, and what other support could help.'}`,
      staffWhat: 'The DSL reviews the support plan.',
      timing: { kind: 'promptly' },
      rationale: 'Repeated suspensions show the current support is not working.',
      flag: 'differentIntervention',
      ...cite(ctx, own ? 'suspension.repeatedSuspensions' : undefined, 'repeatedSuspension'),
    }),
  ];
}

