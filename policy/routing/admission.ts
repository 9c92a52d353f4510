import { AdmissionAnswers } from '../cases';
import { localAuthorityLabel } from '../localAuthorities';
import { addDays, compareDates, dayOfWeek, formatDate, IsoDate, makeDate, yearOf } from '../dates';
import { hadSocialWorker } from '../scope';
import { cite, localVirtualSchool, makeStep, placingVirtualSchool, RuleContext, socialWorkerContact } from './context';
import { leadSteps, outOfScopeSteps } from './common';
import { RoutingStep } from './step';

/** The spring (January) school census is taken on the third Thursday of January. */
export function januaryCensusOnOrAfter(today: IsoDate): IsoDate {
  const thirdThursday = (year: number) => {
    let d = makeDate(year, 1, 1);
    while (dayOfWeek(d) !== 4) d = addDays(d, 1);
    return addDays(d, 14);
  };
  const thisYear = thirdThursday(yearOf(today));
  return compareDates(today, thisYear) <= 0 ? thisYear : thirdThursday(yearOf(today) + 1);
}

/** Said to the leads about a new starter: their record follows them only once matched. */
const MATCH_LATER = ' The child is not on the register yet: once they are, match them to it from this card, so their record and deadlines follow them.';

/**
 * A new starter for whom no status the policy covers was reported. A new starter's status is often
 * not known until their records arrive, so the DSL checks with the previous school rather than
 * taking "none known" as the answer; and the records are chased as for every child joining.
 */
export function newStarterOutOfScopeSteps(ctx: RuleContext, a: AdmissionAnswers): RoutingStep[] {
  const from = a.previousSchool ? `the previous school (${a.previousSchool})` : 'the previous school';
  const [dsl] = outOfScopeSteps(ctx);
  return [
    {
      ...dsl!,
      what: `No status the school's policy covers was given for this new starter.${MATCH_LATER}`,
      rationale: 'No status the policy covers was reported for a child who is not on the register yet.',
    },
    makeStep(ctx, {
      id: 'admission.checkStatus',
      who: 'previousSchool',
      owner: 'DSL',
      what: `Ask ${from}'s DSL whether the child has, or has had, a social worker, or is or was in care, and whether a child protection file is coming (it should arrive within 5 school days of the start). If so, record the status on the register and tell the Designated Teacher.`,
      staffWhat: 'The DSL checks with the previous school.',
      timing: { kind: 'schoolDays', days: 5, from: 'startDate' },
      base: a.startDate,
      rationale: "A new starter's status is often not known until their records arrive.",
      ...cite(ctx, undefined, 'cpFileTransfer'),
    }),
    makeStep(ctx, {
      id: 'admission.recordsFifteenDays',
      who: 'previousSchool',
      owner: 'DSL',
      what: `Check the common transfer file and educational record have arrived from ${from} (due within 15 school days).`,
      staffWhat: 'The school checks records have arrived.',
      timing: { kind: 'schoolDays', days: 15, from: 'startDate' },
      base: a.startDate,
      rationale: 'Swift transfer of information between schools.',
      ...cite(ctx, 'admission.swiftTransfer', 'commonTransferFile'),
    }),
  ];
}

export function admissionSteps(ctx: RuleContext, a: AdmissionAnswers): RoutingStep[] {
  const { flags, today, policy } = ctx;
  const lead = flags.careExperienced ? 'DT' : 'DSL';
  const send = a.send ?? ctx.pupil.send;
  const steps: RoutingStep[] = [...leadSteps(ctx, { kind: 'sameDay' }, `A child this policy covers is joining: lead the transition plan.${ctx.pupil.statusReported ? MATCH_LATER : ''}`)];
  const beforeStart = { kind: 'byDate', label: 'the start date' } as const;

  if (flags.careExperienced && compareDates(a.startDate, today) > 0) {
    steps.push(
      makeStep(ctx, {
        id: 'admission.priority',
        who: 'headteacher',
        owner: 'headteacher',
        what: 'Looked-after and previously looked-after children have the highest priority for a place: make sure nothing delays this admission.',
        staffWhat: 'The headteacher is told.',
        timing: beforeStart,
        base: a.startDate,
        rationale: 'Care-experienced child: highest admission priority.',
        ...cite(ctx, 'admission.priority', 'admissionsPriority'),
      }),
    );
  }

  if (!a.transitionMeetingDate && (policy.has('admission.transitionMeeting') || policy.has('admission.transitionSupport'))) {
    const meeting = policy.has('admission.transitionMeeting');
    steps.push(
      makeStep(ctx, {
        id: 'admission.transitionMeeting',
        who: 'previousSchool',
        owner: lead,
        what: meeting
          ? `Arrange a transition meeting with ${a.previousSchool ? `the previous school (${a.previousSchool})` : 'the previous school'}, the family or carers and the professionals involved, with visits and additional support planned.`
          : `Plan the transition with ${a.previousSchool ? `the previous school (${a.previousSchool})` : 'the previous school'} and the family or carers: additional support and planning for the move.`,
        staffWhat: 'The transition is planned with the previous school.',
        timing: beforeStart,
        base: a.startDate,
        rationale: 'A thorough, planned transition for a child who has or had a social worker.',
        ...cite(ctx, meeting ? 'admission.transitionMeeting' : 'admission.transitionSupport', undefined, ...(meeting && policy.has('admission.transitionSupport') ? (['admission.transitionSupport'] as const) : [])),
      }),
    );
  }

  steps.push(
    makeStep(ctx, {
      id: 'admission.recordsFifteenDays',
      who: 'previousSchool',
      owner: lead,
      what: 'Check the common transfer file and educational record have arrived from the previous school (due within 15 school days).',
      staffWhat: 'The school checks records have arrived.',
      timing: { kind: 'schoolDays', days: 15, from: 'startDate' },
      base: a.startDate,
      rationale: 'Swift transfer of information between schools.',
      ...cite(ctx, 'admission.swiftTransfer', 'commonTransferFile'),
    }),
  );

  if (flags.cla || flags.cwswCurrent || hadSocialWorker(policy, flags)) {
    const termStart = ctx.calendar.termOf(a.startDate);
    const newTerm = termStart !== undefined && ctx.calendar.onOrAfter(termStart.start as IsoDate) === ctx.calendar.onOrAfter(a.startDate);
    steps.push(
      makeStep(ctx, {
        id: 'admission.cpFileFiveDays',
        who: 'DSL',
        owner: 'DSL',
        what: newTerm
          ? "The child starts at the beginning of a term: the child protection file should come from the previous school's DSL to ours within the first 5 days of the term, separately from the main file. Confirm receipt."
          : "An in-year transfer: the child protection file should come from the previous school's DSL to ours within 5 days, separately from the main file. Confirm receipt.",
        staffWhat: 'The DSL receives the safeguarding records.',
        timing: { kind: 'schoolDays', days: 5, from: 'startDate' },
        base: a.startDate,
        rationale: 'The child has, or had, a social worker: there will be a child protection or child in need file.',
        ...cite(ctx, undefined, 'cpFileTransfer'),
      }),
    );
  }

  if (flags.cla || flags.cwswCurrent) {
    const sw = ctx.pupil.socialWorker;
    steps.push(
      makeStep(ctx, {
        id: 'admission.socialWorker',
        who: 'socialWorker',
        owner: lead,
        what: `Tell the child's social worker that the child is joining us on ${formatDate(a.startDate)}, and who their contacts here are${sw ? '.' : ". The social worker's details are not on the register: ask the previous school or the local authority, and record them."}`,
        staffWhat: 'The social worker is told the child is joining.',
        timing: beforeStart,
        base: a.startDate,
        rationale: flags.cla ? 'The child is looked after and has a social worker.' : 'The child has a social worker now.',
        contact: socialWorkerContact(ctx),
        ...cite(ctx, undefined, 'socialWorkerOnJoining'),
      }),
    );
  }

  if (a.keyAdult === 'notYet' && policy.has('admission.staffMentor')) {
    steps.push(
      makeStep(ctx, {
        id: 'admission.keyAdult',
        who: lead,
        owner: lead,
        what: 'Identify a key adult (staff mentor) the child can build a trusted relationship with, before they start.',
        staffWhat: 'A key adult is chosen.',
        timing: beforeStart,
        base: a.startDate,
        rationale: 'Early identification of a staff mentor.',
        ...cite(ctx, 'admission.staffMentor'),
      }),
    );
  }
  if (a.peerBuddy === 'notYet' && policy.has('admission.peerBuddy')) {
    steps.push(
      makeStep(ctx, {
        id: 'admission.peerBuddy',
        who: 'classTeacher',
        owner: lead,
        what: 'Choose a peer buddy for the first weeks.',
        staffWhat: 'A peer buddy is chosen.',
        timing: beforeStart,
        base: a.startDate,
        rationale: 'Early identification of a peer buddy.',
        ...cite(ctx, 'admission.peerBuddy'),
      }),
    );
  }
  if (policy.has('admission.sayGoodbye')) {
    steps.push(
      makeStep(ctx, {
        id: 'admission.sayGoodbye',
        who: 'previousSchool',
        owner: lead,
        what: "Ask the previous school about structured 'say goodbye' activities, in recognition of broken attachments and loss.",
        staffWhat: 'The previous school is asked about saying goodbye well.',
        timing: beforeStart,
        base: a.startDate,
        rationale: 'Moving school is another loss for a child who has had a social worker.',
        ...cite(ctx, 'admission.sayGoodbye'),
      }),
    );
  }
  if (policy.has('admission.attachmentActivities')) {
    steps.push(
      makeStep(ctx, {
        id: 'admission.attachmentActivities',
        who: 'classTeacher',
        owner: lead,
        what: 'Plan structured activities for the first weeks that help the child build good attachments with staff and other children.',
        staffWhat: 'Activities to help the child settle with staff and peers are planned.',
        timing: beforeStart,
        base: a.startDate,
        rationale: 'Good attachment in school with staff and peers.',
        ...cite(ctx, 'admission.attachmentActivities'),
      }),
    );
  }

  if (flags.cla) {
    steps.push(
      makeStep(ctx, {
        id: 'admission.cla.pepTenDays',
        who: 'DT',
        owner: 'DT',
        what: `Hold a new Personal Education Plan (PEP) meeting within 10 school days of the start, with the Virtual School, the social worker and the carers${policy.has('pep.ppPlusLinkedToPep') ? '; link Pupil Premium Plus to the PEP outcomes' : ''}. Then a PEP every term${policy.has('pep.threeAYear') ? ' (at least 3 a year)' : ''}.`,
        staffWhat: 'The Designated Teacher holds a planning meeting.',
        timing: { kind: 'schoolDays', days: 10, from: 'startDate' },
        base: a.startDate,
        rationale: 'Looked-after child changing school: new PEP within 10 school days.',
        ...cite(ctx, undefined, 'pepOnChangeOfSchool', ...(['pep.threeAYear', 'pep.ppPlusLinkedToPep'] as const).filter((r) => policy.has(r))),
      }),
      makeStep(ctx, {
        id: 'admission.cla.virtualSchool',
        who: 'virtualSchool',
        owner: 'DT',
        what: `Tell the Virtual School of the placing authority (${localAuthorityLabel(flags.cla.placingAuthority)}) the start date and the PEP meeting date; agree the Pupil Premium Plus arrangements.`,
        staffWhat: 'The Virtual School is told.',
        timing: beforeStart,
        base: a.startDate,
        rationale: `Looked-after child placed by ${localAuthorityLabel(flags.cla.placingAuthority)}: that authority's Virtual School.`,
        contact: placingVirtualSchool(ctx),
        ...cite(ctx, undefined, 'pepOnChangeOfSchool'),
      }),
    );
  }

  if (flags.cpla && !flags.cla) {
    const evidence = a.statusEvidenceSeen || flags.cpla.evidenceSeen;
    if (!evidence) {
      const census = januaryCensusOnOrAfter(today);
      steps.push(
        makeStep(ctx, {
          id: 'admission.cpla.ppPlusDeclaration',
          who: 'parentsCarers',
          owner: 'DT',
          what: `Invite the parents or guardians to declare the child's previously looked-after status, with evidence (the adoption, special guardianship or child arrangements order), before the January census on ${formatDate(census)}, so Pupil Premium Plus is claimed.`,
          staffWhat: 'The family is invited to share information with the school.',
          timing: { kind: 'byDate', label: 'the January census' },
          base: census,
          rationale: 'Previously looked-after child whose evidence has not been seen.',
          ...cite(ctx, undefined, 'ppPlusDeclaration'),
        }),
      );
    }
    const consent = policy.has('suspension.previouslyInCareConsent');
    steps.push(
      makeStep(ctx, {
        id: 'admission.cpla.virtualSchoolAdvice',
        who: 'parentsCarers',
        owner: 'DT',
        what: "Offer the parents or guardians the Virtual School's advice and support for the move" + (consent ? ' (the Virtual School is contacted only with their consent).' : '.'),
        staffWhat: 'The family is offered support.',
        timing: beforeStart,
        base: a.startDate,
        rationale: 'Previously looked-after child.',
        contact: localVirtualSchool(ctx),
        ...cite(ctx, consent ? 'suspension.previouslyInCareConsent' : undefined, 'vshAdviceToParents'),
      }),
    );
  }

  if (send !== 'none') {
    steps.push(
      makeStep(ctx, {
        id: 'admission.send',
        who: 'SENCO',
        owner: 'SENCO',
        what:
          send === 'ehcp'
            ? 'Involve the SENCO before the start: check the EHCP has been transferred and when its review is due, so it is held in good time with everyone invited.'
            : 'Involve the SENCO before the start to plan SEN support.',
        staffWhat: 'The SENCO is involved.',
        timing: beforeStart,
        base: a.startDate,
        rationale: send === 'ehcp' ? 'The child has an EHCP.' : 'The child has SEN support.',
        ...cite(ctx, send === 'ehcp' ? 'admission.ehcpReview' : undefined, 'sendAdjustments'),
      }),
    );
  }
  return steps;
}
