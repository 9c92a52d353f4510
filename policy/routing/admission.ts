import { AdmissionAnswers } from '../cases';
import { addDays, compareDates, dayOfWeek, IsoDate, makeDate, yearOf } from '../dates';
import { byPack, localVirtualSchool, makeStep, placingVirtualSchool, RuleContext } from './context';
import { leadSteps } from './common';
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

export function admissionSteps(ctx: RuleContext, a: AdmissionAnswers): RoutingStep[] {
  const { flags, today } = ctx;
  const lead = flags.careExperienced ? 'DT' : 'DSL';
  const send = a.send ?? ctx.pupil.send;
  const steps: RoutingStep[] = [...leadSteps(ctx, { kind: 'sameDay' }, 'A child this policy covers is joining: lead the transition plan.')];
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
        source: 'admissionsPriority',
        alsoSources: byPack(ctx, ['leysAdmissionPriority'], ['offordAdmissionPriority']),
      }),
    );
  }

  if (!a.transitionMeetingDate) {
    steps.push(
      makeStep(ctx, {
        id: 'admission.transitionMeeting',
        who: 'previousSchool',
        owner: lead,
        what: `Arrange a transition meeting with ${a.previousSchool ? `the previous school (${a.previousSchool})` : 'the previous school'}, the family or carers and the professionals involved, with visits and additional support planned.`,
        staffWhat: 'A transition meeting is arranged.',
        timing: beforeStart,
        base: a.startDate,
        rationale: 'A thorough, planned transition for a child who has or had a social worker.',
        source: byPack(ctx, 'leysTransitionSupport', 'offordTransitionMeeting'),
        alsoSources: ['leysSwiftTransfer'],
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
      source: 'recordsFifteenDays',
      alsoSources: ['leysSwiftTransfer'],
    }),
  );

  if (flags.cla || flags.cwswCurrent || flags.cwswPast) {
    steps.push(
      makeStep(ctx, {
        id: 'admission.cpFileFiveDays',
        who: 'DSL',
        owner: 'DSL',
        what: "Make sure the child protection file comes from the previous school's DSL to ours, separately from the main file, within 5 school days; confirm receipt.",
        staffWhat: 'The DSL receives the safeguarding records.',
        timing: { kind: 'schoolDays', days: 5, from: 'startDate' },
        base: a.startDate,
        rationale: 'The child has, or had, a social worker: there will be a child protection or child in need file.',
        source: 'cpFileFiveDays',
      }),
    );
  }

  if (a.keyAdult === 'notYet') {
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
        source: byPack(ctx, 'leysMentorBuddy', 'offordMentorBuddy'),
      }),
    );
  }
  if (a.peerBuddy === 'notYet') {
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
        source: byPack(ctx, 'leysMentorBuddy', 'offordMentorBuddy'),
      }),
    );
  }

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
      source: 'leysSayGoodbye',
    }),
  );

  if (flags.cla) {
    steps.push(
      makeStep(ctx, {
        id: 'admission.cla.pepTenDays',
        who: 'DT',
        owner: 'DT',
        what: 'Hold a new Personal Education Plan (PEP) meeting within 10 school days of the start, with the Virtual School, the social worker and the carers; link Pupil Premium Plus to the PEP targets. Then a PEP every term (at least 3 a year).',
        staffWhat: 'The Designated Teacher holds a planning meeting.',
        timing: { kind: 'schoolDays', days: 10, from: 'startDate' },
        base: a.startDate,
        rationale: 'Looked-after child changing school: new PEP within 10 school days.',
        source: 'pepOnChangeOfSchool',
        alsoSources: ['leysPepTermly', 'offordPpPlusPep'],
      }),
      makeStep(ctx, {
        id: 'admission.cla.virtualSchool',
        who: 'virtualSchool',
        owner: 'DT',
        what: `Tell the Virtual School of the placing authority (${flags.cla.placingAuthority}) the start date and the PEP meeting date; agree the Pupil Premium Plus arrangements.`,
        staffWhat: 'The Virtual School is told.',
        timing: beforeStart,
        base: a.startDate,
        rationale: `Looked-after child placed by ${flags.cla.placingAuthority}: that authority's Virtual School.`,
        source: 'pepOnChangeOfSchool',
        alsoSources: ['offordPpPlusPep'],
        contact: placingVirtualSchool(ctx),
      }),
    );
    if (!ctx.pupil.socialWorker) {
      steps.push(
        makeStep(ctx, {
          id: 'admission.cla.recordContacts',
          who: 'DT',
          owner: 'DT',
          what: "Record the social worker's and the Virtual School's contact details on the register.",
          staffWhat: 'Contact details are recorded.',
          timing: beforeStart,
          base: a.startDate,
          rationale: 'No social worker is on record for a looked-after child.',
          source: 'pepOnChangeOfSchool',
        }),
      );
    }
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
          what: `Invite the parents or guardians to declare the child's previously looked-after status, with evidence (the adoption, special guardianship or child arrangements order), before the January census on ${census}, so Pupil Premium Plus is claimed.`,
          staffWhat: 'The family is invited to share information with the school.',
          timing: { kind: 'byDate', label: 'the January census' },
          base: census,
          rationale: 'Previously looked-after child whose evidence has not been seen.',
          source: 'ppPlusDeclaration',
        }),
      );
    }
    steps.push(
      makeStep(ctx, {
        id: 'admission.cpla.virtualSchoolAdvice',
        who: 'parentsCarers',
        owner: 'DT',
        what:
          'Offer the parents or guardians the Virtual School\'s advice and support for the move' +
          (ctx.pack === 'cambridgeshire' ? ' (the Virtual School is contacted only with their consent).' : '.'),
        staffWhat: 'The family is offered support.',
        timing: beforeStart,
        base: a.startDate,
        rationale: 'Previously looked-after child.',
        source: 'vshAdviceToParents',
        alsoSources: byPack(ctx, [], ['offordCpicConsent']),
        contact: localVirtualSchool(ctx),
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
        source: 'leysEhcpReview',
        alsoSources: ['busheyEhcpReview'],
      }),
    );
  }
  return steps;
}
