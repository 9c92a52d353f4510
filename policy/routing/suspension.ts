import { ALTERNATIVE_LABEL, ALTERNATIVES, SuspensionAnswers } from '../cases';
import { byPack, localVirtualSchool, makeStep, placingVirtualSchool, RuleContext, socialWorkerContact } from './context';
import { leadSteps } from './common';
import { RoutingStep } from './step';

/** Statutory limits (suspension guidance 2024). */
export const MAX_SUSPENSION_DAYS_PER_YEAR = 45;
export const GOVERNORS_TERM_TRIGGER_DAYS = 15;
export const GOVERNORS_MEETING_SCHOOL_DAYS = 15;

export function suspensionSteps(ctx: RuleContext, a: SuspensionAnswers): RoutingStep[] {
  const steps: RoutingStep[] = [
    ...leadSteps(
      ctx,
      { kind: 'sameDay' },
      a.stage === 'atRisk' ? 'Read what happened and lead the plan to avoid a suspension.' : 'A suspension has been decided: make sure every notification and duty below is met.',
    ),
  ];
  steps.push(...(a.stage === 'atRisk' ? atRiskSteps(ctx, a) : decidedSteps(ctx, a)));
  steps.push(...sendSteps(ctx), ...repeatedSteps(ctx, a));
  return steps;
}

function atRiskSteps(ctx: RuleContext, a: SuspensionAnswers): RoutingStep[] {
  const { flags } = ctx;
  const steps: RoutingStep[] = [];
  const notTried = ALTERNATIVES.filter((alt) => !a.tried.includes(alt));
  if (a.decisionReported) {
    steps.push(
      makeStep(ctx, {
        id: 'suspension.decisionToRecord',
        who: 'headteacher',
        owner: 'headteacher',
        what: 'A member of staff reports that a suspension has already been decided. Record the decision (dates and days) now, so the statutory notifications go without delay.',
        staffWhat: 'The headteacher records the decision.',
        timing: { kind: 'immediately' },
        rationale: 'Notifications must go without delay once a suspension is decided.',
        source: 'notifyWithoutDelay',
        flag: 'statutoryLimit',
      }),
    );
  }
  steps.push(
    makeStep(ctx, {
      id: 'suspension.alternativesFirst',
      who: 'classTeacher',
      owner: flags.careExperienced ? 'DT' : 'DSL',
      what:
        notTried.length > 0
          ? `Make every effort to avoid a suspension. Not yet tried: ${notTried.map((x) => ALTERNATIVE_LABEL[x]).join('; ')}.`
          : 'Every listed alternative has been tried: review with the DSL what is and is not working before anything else.',
      staffWhat: 'The adults around the child work through the alternatives to suspension with the DSL.',
      timing: { kind: 'promptly' },
      rationale: 'All behaviour is communication; a suspension risks the child disengaging after early experience of broken attachments and loss.',
      source: 'leysAlternatives',
      alsoSources: byPack(ctx, ['leysAvoid', 'busheyAvoid'], ['offordAvoid']),
    }),
    makeStep(ctx, {
      id: 'suspension.riskAssessment',
      who: 'classTeacher',
      owner: 'DSL',
      what: 'Complete (or review) a trauma-informed risk assessment focused on this child, setting out the support in place to prevent escalation; share it with the child, their parents or carers, and the staff involved.',
      staffWhat: 'A risk assessment focused on supporting the child is completed and shared with the staff involved.',
      timing: { kind: 'promptly' },
      rationale: 'A risk assessment sets out the support in place before any decision.',
      source: 'holyFamilyRiskAssessment',
    }),
  );

  if (flags.cla) {
    steps.push(
      makeStep(ctx, {
        id: 'suspension.cla.virtualSchoolBeforeDecision',
        who: 'virtualSchool',
        owner: 'DT',
        what: `Contact the Virtual School of the placing authority (${flags.cla.placingAuthority}) as soon as possible, before any decision, to discuss the rationale and the support that could avoid a suspension.`,
        staffWhat: 'The Virtual School is contacted before any decision.',
        timing: { kind: 'beforeDecision' },
        rationale: `The child is looked after (placed by ${flags.cla.placingAuthority}): the Virtual School is consulted before acting.`,
        source: byPack(ctx, 'leysClaVirtualSchool', 'offordCicVirtualSchool'),
        alsoSources: byPack(ctx, ['claVshAsSoonAsPossible'], ['providerCicVirtualSchool', 'claVshAsSoonAsPossible']),
        contact: placingVirtualSchool(ctx),
      }),
    );
  }

  if (flags.cpla && !flags.cla) {
    if (ctx.pack === 'hertfordshire') {
      steps.push(
        makeStep(ctx, {
          id: 'suspension.cpla.parentsFirst',
          who: 'parentsCarers',
          owner: 'DT',
          what: "Talk to the child's parents or guardians first, before seeking the Virtual School's advice.",
          staffWhat: 'The Designated Teacher talks to the parents or carers.',
          timing: { kind: 'beforeDecision' },
          rationale: 'The child was previously looked after: the parents or guardians come first.',
          source: 'leysCplaParentsFirst',
        }),
        makeStep(ctx, {
          id: 'suspension.cpla.virtualSchoolAdvice',
          who: 'virtualSchool',
          owner: 'DT',
          what: 'After talking to the parents or guardians, seek the Virtual School\'s advice on avoiding exclusion.',
          staffWhat: 'The Virtual School is asked for advice.',
          timing: { kind: 'beforeDecision' },
          after: ['suspension.cpla.parentsFirst'],
          rationale: 'Previously looked-after child: Virtual School advice after the parents have been spoken to.',
          source: 'leysCplaParentsFirst',
          contact: localVirtualSchool(ctx),
        }),
      );
    } else {
      steps.push(
        makeStep(ctx, {
          id: 'suspension.cpla.askConsent',
          who: 'parentsCarers',
          owner: 'DT',
          what: 'Talk to the parents or carers and ask whether they consent to the Virtual School being contacted for advice.',
          staffWhat: 'The Designated Teacher talks to the parents or carers.',
          timing: { kind: 'beforeDecision' },
          rationale: 'The child was previously in care: the Virtual School may only be contacted with the carers\' or parents\' consent.',
          source: 'offordCpicConsent',
          alsoSources: ['providerCpicConsent'],
        }),
        makeStep(ctx, {
          id: 'suspension.cpla.virtualSchoolAdvice',
          who: 'virtualSchool',
          owner: 'DT',
          what: 'Only if the parents or carers consent: contact the Virtual School for advice.',
          staffWhat: 'The Virtual School may be asked for advice, with the family\'s consent.',
          timing: { kind: 'beforeDecision' },
          after: ['suspension.cpla.askConsent'],
          requiresConsentOf: 'parentsCarers',
          rationale: 'Previously in care: Virtual School advice only with consent (Cambridgeshire model).',
          source: 'offordCpicConsent',
          alsoSources: ['providerCpicConsent'],
          contact: localVirtualSchool(ctx),
        }),
      );
    }
  }

  // Holy Family (Hertfordshire): for every child with a social worker, the Virtual School adviser
  // is consulted before acting. The Cambridgeshire model limits that to children in care.
  if (ctx.pack === 'hertfordshire' && !flags.cla && !flags.cpla && (flags.cwswCurrent || flags.cwswPast)) {
    steps.push(
      makeStep(ctx, {
        id: 'suspension.cwsw.virtualSchoolBeforeActing',
        who: 'virtualSchool',
        owner: 'DSL',
        what: 'Before acting, discuss the rationale for any suspension with the Virtual School\'s education adviser.',
        staffWhat: 'The Virtual School is consulted before any decision.',
        timing: { kind: 'beforeDecision' },
        rationale: flags.cwswCurrent ? 'The child has a social worker.' : 'The child had a social worker in the last six years.',
        source: 'holyFamilyVirtualSchoolBeforeActing',
        contact: localVirtualSchool(ctx),
      }),
    );
  }

  if (ctx.hasSocialWorkerNow) {
    steps.push(
      makeStep(ctx, {
        id: 'suspension.socialWorkerEarly',
        who: 'socialWorker',
        owner: 'DSL',
        what: 'Involve the social worker early: share what is happening and plan the support together before any decision.',
        staffWhat: 'The social worker is involved early.',
        timing: { kind: 'beforeDecision' },
        rationale: flags.cla ? 'The child is looked after and has a social worker.' : 'The child has a social worker now.',
        source: 'offordPartnership',
        contact: socialWorkerContact(ctx),
      }),
    );
  }

  steps.push(
    makeStep(ctx, {
      id: 'suspension.minimumDays',
      who: 'headteacher',
      owner: 'headteacher',
      what: 'If a suspension cannot be avoided, keep the days out of school to a strict minimum and use them to plan the return.',
      staffWhat: 'The headteacher keeps any time out of school to a minimum.',
      timing: { kind: 'beforeDecision' },
      rationale: 'Time out of the school routine raises the risk of disengagement.',
      source: byPack(ctx, 'leysMinimumDays', 'offordDayOne'),
      alsoSources: byPack(ctx, ['busheyReduceDays', 'holyFamilyShortAsPossible'], []),
    }),
  );

  if (flags.careExperienced) {
    steps.push(
      makeStep(ctx, {
        id: 'suspension.permanentLastResort',
        who: 'headteacher',
        owner: 'headteacher',
        what: 'Permanent exclusion only as the very last resort: the child\'s whole living arrangements could be affected.',
        staffWhat: 'The headteacher is made aware.',
        timing: { kind: 'beforeDecision' },
        rationale: 'Care-experienced child: a permanent exclusion can put the placement at risk.',
        source: 'holyFamilyLastResort',
      }),
    );
  }
  return steps;
}

function decidedSteps(ctx: RuleContext, a: SuspensionAnswers): RoutingStep[] {
  const { flags, calendar } = ctx;
  const decision = a.decision!;
  const permanent = decision.kind === 'permanentExclusion';
  const days = permanent ? 0 : decision.days;
  const steps: RoutingStep[] = [
    makeStep(ctx, {
      id: 'suspension.decided.parents',
      who: 'parentsCarers',
      owner: 'headteacher',
      what: `Notify the parents or carers, without delay, of the ${permanent ? 'permanent exclusion' : `suspension (${days} school day${days === 1 ? '' : 's'})`}, the reasons, and their right to make representations.`,
      staffWhat: 'Parents or carers are notified.',
      timing: { kind: 'withoutDelay' },
      rationale: 'Statutory notification once a suspension or exclusion is decided.',
      source: 'notifyWithoutDelay',
    }),
    makeStep(ctx, {
      id: 'suspension.decided.localAuthority',
      who: 'localAuthority',
      owner: 'headteacher',
      what: `Notify the local authority without delay of the ${permanent ? 'permanent exclusion' : 'suspension'}.`,
      staffWhat: 'The local authority is notified.',
      timing: { kind: 'withoutDelay' },
      rationale: 'Statutory notification once a suspension or exclusion is decided.',
      source: 'notifyWithoutDelay',
    }),
  ];
  if (ctx.hasSocialWorkerNow) {
    steps.push(
      makeStep(ctx, {
        id: 'suspension.decided.socialWorker',
        who: 'socialWorker',
        owner: 'DSL',
        what: 'Notify the social worker without delay.',
        staffWhat: 'The social worker is notified.',
        timing: { kind: 'withoutDelay' },
        rationale: 'The child has a social worker: statutory notification.',
        source: 'notifyWithoutDelay',
        contact: socialWorkerContact(ctx),
      }),
    );
  }
  if (flags.cla) {
    steps.push(
      makeStep(ctx, {
        id: 'suspension.decided.virtualSchool',
        who: 'virtualSchool',
        owner: 'DT',
        what: `Notify the Virtual School Head of the placing authority (${flags.cla.placingAuthority}) without delay.`,
        staffWhat: 'The Virtual School is notified.',
        timing: { kind: 'withoutDelay' },
        rationale: 'The child is looked after: statutory notification of the Virtual School Head.',
        source: 'notifyWithoutDelay',
        contact: placingVirtualSchool(ctx),
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
        what: `This would bring suspensions this school year to ${yearTotal} school days: the legal maximum is ${MAX_SUSPENSION_DAYS_PER_YEAR}. The decision cannot stand as it is.`,
        staffWhat: 'The headteacher reviews the decision.',
        timing: { kind: 'immediately' },
        rationale: `${a.history.daysThisYear} days already this year plus ${days} now.`,
        source: 'fortyFiveDays',
        flag: 'statutoryLimit',
      }),
    );
  }

  const termTotal = a.history.daysThisTerm + days;
  if (permanent || termTotal > GOVERNORS_TERM_TRIGGER_DAYS) {
    steps.push(
      makeStep(ctx, {
        id: 'suspension.decided.governorsReinstatement',
        who: 'governors',
        owner: 'headteacher',
        what: permanent
          ? `The governing board must consider reinstatement within ${GOVERNORS_MEETING_SCHOOL_DAYS} school days of notice of the permanent exclusion.`
          : `Suspensions this term now total ${termTotal} school days (over ${GOVERNORS_TERM_TRIGGER_DAYS}): the governing board must consider reinstatement within ${GOVERNORS_MEETING_SCHOOL_DAYS} school days.`,
        staffWhat: 'The governing board meets about the decision.',
        timing: { kind: 'schoolDays', days: GOVERNORS_MEETING_SCHOOL_DAYS, from: 'today' },
        rationale: permanent ? 'Permanent exclusion.' : `${a.history.daysThisTerm} days already this term plus ${days} now.`,
        source: 'governorsFifteenDays',
        flag: 'statutoryLimit',
      }),
    );
  }

  const dayOne = ctx.pack === 'cambridgeshire' && flags.cla !== undefined;
  if (dayOne) {
    steps.push(
      makeStep(ctx, {
        id: 'suspension.decided.provisionDayOne',
        who: 'DT',
        owner: 'headteacher',
        what: 'Educational provision must be in place from the first day (child in care), and the days reduced as far as possible.',
        staffWhat: 'Work is arranged from the first day.',
        timing: { kind: 'byDate', label: 'the first day of the suspension' },
        base: decision.startDate,
        rationale: 'Child in care, Cambridgeshire model: provision from day one, not day six.',
        source: 'offordDayOne',
      }),
    );
  } else if (permanent || days > 5) {
    steps.push(
      makeStep(ctx, {
        id: 'suspension.decided.provisionDaySix',
        who: 'headteacher',
        owner: 'headteacher',
        what: 'Arrange suitable full-time education from the sixth school day.',
        staffWhat: 'Full-time education is arranged from the sixth day.',
        timing: { kind: 'schoolDays', days: 5, from: 'decision' },
        base: decision.startDate,
        rationale: permanent ? 'Permanent exclusion.' : `A suspension of ${days} school days (more than five).`,
        source: 'daySixProvision',
      }),
    );
  }

  if (!permanent) {
    const lastDay = calendar.addSchoolDays(decision.startDate, Math.max(0, Math.ceil(days) - 1));
    steps.push(
      makeStep(ctx, {
        id: 'suspension.decided.reintegration',
        who: flags.careExperienced ? 'DT' : 'DSL',
        owner: flags.careExperienced ? 'DT' : 'DSL',
        what: 'Plan the return with the child and family before they come back: a reintegration meeting and the support that will change. A suspension is not a sanction in itself.',
        staffWhat: 'A return-to-school meeting is planned.',
        timing: { kind: 'byDate', label: 'the last day of the suspension' },
        base: lastDay,
        rationale: 'Time out of school is used to plan successful reintegration.',
        source: byPack(ctx, 'holyFamilyShortAsPossible', 'offordNotASanction'),
      }),
    );
  }
  return steps;
}

function sendSteps(ctx: RuleContext): RoutingStep[] {
  if (ctx.pupil.send === 'none') return [];
  return [
    makeStep(ctx, {
      id: 'suspension.send',
      who: 'SENCO',
      owner: 'SENCO',
      what:
        (ctx.pupil.send === 'ehcp' ? 'The child has an EHCP: consider an early review. ' : 'The child has SEN support. ') +
        'Check the reasonable adjustments and special educational provision in place; a suspension for behaviour linked to a disability is lawful only if reasonable adjustments have been made.',
      staffWhat: 'The SENCO is involved.',
      timing: { kind: 'beforeDecision' },
      rationale: 'Special educational needs: the Equality Act 2010 and the Children and Families Act 2014 apply.',
      source: 'leysSend',
      alsoSources: ['sendAdjustments'],
    }),
  ];
}

function repeatedSteps(ctx: RuleContext, a: SuspensionAnswers): RoutingStep[] {
  const previous = a.history.suspensionsThisYear;
  if (previous < 1) return [];
  return [
    makeStep(ctx, {
      id: 'suspension.repeated',
      who: 'DSL',
      owner: ctx.flags.careExperienced ? 'DT' : 'DSL',
      what: `${previous} earlier suspension${previous === 1 ? '' : 's'} this school year: the support in place is not working. A different intervention is needed; seek the local authority's or Virtual School's staged support.`,
      staffWhat: 'The DSL reviews the support plan.',
      timing: { kind: 'promptly' },
      rationale: 'Repeated suspensions show the current support is not working.',
      source: 'holyFamilyRepeated',
      flag: 'differentIntervention',
    }),
  ];
}
