import { SchoolCalendar } from '../../policy/calendar';
import { CaseAnswersInput } from '../../policy/cases';
import { IsoDate, isoDate } from '../../policy/dates';
import { Pupil } from '../../policy/pupil';
import { routingPlan, RoutingPlan, RoutingStep } from '../../policy/routingPlan';
import { PolicyPack } from '../../policy/schoolProfile';
import { citation, SOURCES, SourceKey } from '../../policy/sources';
import { CLA, CPLA, CWSW_CIN, CWSW_CP, CWSW_PAST, KINSHIP, MONDAY, profile, pupil, SOCIAL_WORKER } from './fixtures';

const TUESDAY = isoDate('2026-11-24');

function plan(pack: PolicyPack, child: Pupil | null, answers: CaseAnswersInput, today: IsoDate = MONDAY): RoutingPlan {
  return routingPlan(answers.caseType, answers, child, profile(pack), today);
}
const ids = (p: RoutingPlan) => p.steps.map((s) => s.id);
function step(p: RoutingPlan, id: string): RoutingStep {
  const s = p.steps.find((x) => x.id === id);
  if (!s) throw new Error(`no step ${id}; steps: ${ids(p).join(', ')}`);
  return s;
}

const attendance = (a: Partial<Extract<CaseAnswersInput, { caseType: 'attendance' }>> = {}): CaseAnswersInput => ({ caseType: 'attendance', ...a });
const atRisk = (a: Partial<Extract<CaseAnswersInput, { caseType: 'suspension' }>> = {}): CaseAnswersInput => ({
  caseType: 'suspension',
  stage: 'atRisk',
  whatHappened: 'Threw a chair in the classroom after a change of routine.',
  ...a,
});
const decided = (days: number, history = {}, kind: 'suspension' | 'permanentExclusion' = 'suspension', startDate = '2026-11-24'): CaseAnswersInput => ({
  caseType: 'suspension',
  stage: 'decided',
  whatHappened: 'A serious incident.',
  decision: { kind, startDate, days },
  history,
});
const admission = (a: Partial<Extract<CaseAnswersInput, { caseType: 'admission' }>> = {}): CaseAnswersInput => ({
  caseType: 'admission',
  startDate: '2026-11-30',
  ...a,
});

interface Row {
  rule: string;
  source: SourceKey;
  run: () => void;
}

/**
 * One row per rule. The test name carries the sentence it enforces, so a failure says which part
 * of which policy (or which statutory duty) the product would break.
 */
const rows: Row[] = [
  // ---- Attendance
  {
    rule: 'attendance: the DSL is told the same day about any child the policy covers',
    source: 'leysReferToDsl',
    run: () => {
      for (const status of [CLA, CPLA, CWSW_CIN, CWSW_PAST, KINSHIP]) {
        const s = step(plan('hertfordshire', pupil([status]), attendance()), 'lead.dsl');
        expect([s.who, s.deadline]).toEqual(['DSL', MONDAY]);
      }
    },
  },
  {
    rule: 'attendance: the Designated Teacher is told for a care-experienced child only',
    source: 'leysDtCoordinates',
    run: () => {
      expect(ids(plan('hertfordshire', pupil([CLA]), attendance()))).toContain('lead.dt');
      expect(ids(plan('hertfordshire', pupil([CPLA]), attendance()))).toContain('lead.dt');
      expect(ids(plan('hertfordshire', pupil([CWSW_CIN]), attendance()))).not.toContain('lead.dt');
    },
  },
  {
    rule: 'attendance: parents or carers are contacted promptly, as early intervention',
    source: 'busheyAttendance',
    run: () => {
      const s = step(plan('hertfordshire', pupil([CWSW_CIN]), attendance()), 'attendance.parentsCarers');
      expect([s.who, s.deadline, s.needsApprovalBy]).toEqual(['parentsCarers', TUESDAY, undefined]);
    },
  },
  {
    rule: 'attendance: someone speaks to the child',
    source: 'offordAttendance',
    run: () => {
      expect(step(plan('cambridgeshire', pupil([CWSW_CIN]), attendance()), 'attendance.child').who).toBe('child');
    },
  },
  {
    rule: 'attendance: the social worker is contacted promptly, with DSL approval because it leaves the school',
    source: 'leysAttendance',
    run: () => {
      const p = plan('hertfordshire', pupil([CWSW_CIN], { socialWorker: SOCIAL_WORKER }), attendance());
      const s = step(p, 'attendance.socialWorker');
      expect([s.who, s.deadline, s.needsApprovalBy, s.contact?.email]).toEqual(['socialWorker', TUESDAY, 'DSL', SOCIAL_WORKER.email]);
      // A plan that has ended leaves no social worker to contact.
      expect(ids(plan('hertfordshire', pupil([CWSW_PAST]), attendance()))).not.toContain('attendance.socialWorker');
    },
  },
  {
    rule: "attendance: for a looked-after child the placing authority's Virtual School is contacted promptly",
    source: 'leysAttendance',
    run: () => {
      const s = step(plan('hertfordshire', pupil([CLA]), attendance()), 'attendance.cla.virtualSchool');
      expect([s.who, s.deadline, s.needsApprovalBy, s.contact?.name]).toEqual(['virtualSchool', TUESDAY, 'DSL', 'Essex Virtual School (demo)']);
      expect(ids(plan('hertfordshire', pupil([CPLA]), attendance()))).not.toContain('attendance.cla.virtualSchool');
    },
  },
  {
    rule: 'attendance (Cambridgeshire): the Virtual School where a child is in care',
    source: 'offordAttendance',
    run: () => {
      const s = step(plan('cambridgeshire', pupil([CLA]), attendance()), 'attendance.cla.virtualSchool');
      expect(s.source).toBe('offordAttendance');
    },
  },
  {
    rule: 'attendance: absences for placement moves, contact, court or reviews are recorded as such (reasonable adjustments)',
    source: 'offordAttendanceAdjustments',
    run: () => {
      expect(ids(plan('cambridgeshire', pupil([CLA]), attendance({ reasons: ['placementMove'] })))).toContain('attendance.reasonableAdjustments');
      expect(ids(plan('cambridgeshire', pupil([CLA]), attendance({ reasons: ['illness'] })))).not.toContain('attendance.reasonableAdjustments');
    },
  },
  {
    rule: 'attendance: no formal or disciplinary action before the DT or DSL (lowering thresholds before disciplinary processes)',
    source: 'providerThresholds',
    run: () => {
      expect(step(plan('cambridgeshire', pupil([CLA]), attendance()), 'attendance.noFormalActionFirst').who).toBe('DT');
      expect(step(plan('cambridgeshire', pupil([CWSW_CIN]), attendance()), 'attendance.noFormalActionFirst').who).toBe('DSL');
    },
  },
  {
    rule: 'attendance: missing 10% or more (attendance 90% or less) is persistent absence',
    source: 'persistentAbsence',
    run: () => {
      expect(ids(plan('hertfordshire', pupil([CWSW_CIN]), attendance({ attendancePercent: 90 })))).toContain('attendance.persistentAbsence');
      expect(ids(plan('hertfordshire', pupil([CWSW_CIN]), attendance({ attendancePercent: 90.5 })))).not.toContain('attendance.persistentAbsence');
      // The register's figure is used when the teacher does not give one.
      expect(ids(plan('hertfordshire', pupil([CWSW_CIN], { attendancePercent: 85 }), attendance()))).toContain('attendance.persistentAbsence');
    },
  },
  {
    rule: 'attendance: missing 50% or more is severe absence, a same-day priority for the DSL',
    source: 'persistentAbsence',
    run: () => {
      const p = plan('hertfordshire', pupil([CWSW_CIN]), attendance({ attendancePercent: 50 }));
      expect([step(p, 'attendance.severeAbsence').deadline, step(p, 'attendance.severeAbsence').flag]).toEqual([MONDAY, 'safeguarding']);
      expect(ids(p)).not.toContain('attendance.persistentAbsence');
      expect(ids(plan('hertfordshire', pupil([CWSW_CIN]), attendance({ attendancePercent: 50.5 })))).not.toContain('attendance.severeAbsence');
    },
  },
  {
    rule: 'attendance: 10 consecutive school days of unauthorised absence are reported to the local authority',
    source: 'tenDaysContinuous',
    run: () => {
      const s = step(plan('hertfordshire', pupil([KINSHIP]), attendance({ consecutiveUnauthorisedDays: 10 })), 'attendance.tenDaysLocalAuthority');
      expect([s.who, s.needsApprovalBy, s.deadline]).toEqual(['localAuthority', 'DSL', TUESDAY]);
      expect(ids(plan('hertfordshire', pupil([KINSHIP]), attendance({ consecutiveUnauthorisedDays: 9 })))).not.toContain('attendance.tenDaysLocalAuthority');
    },
  },
  {
    rule: 'attendance: an unexplained absence of a child on a CP plan is a same-day matter for the DSL, first in the plan',
    source: 'cpUnexplainedAbsence',
    run: () => {
      const p = plan('hertfordshire', pupil([CWSW_CP]), attendance({ unexplainedToday: true }));
      expect(p.steps[0]).toMatchObject({ id: 'attendance.cp.unexplainedAbsence', who: 'DSL', deadline: MONDAY, flag: 'safeguarding' });
      expect(step(p, 'attendance.cp.socialWorkerToday').deadline).toBe(MONDAY);
      expect(step(p, 'attendance.parentsCarers').deadline).toBe(MONDAY);
      const cin = plan('hertfordshire', pupil([CWSW_CIN]), attendance({ unexplainedToday: true }));
      expect(ids(cin)).not.toContain('attendance.cp.unexplainedAbsence');
      expect(step(cin, 'attendance.parentsCarers').deadline).toBe(MONDAY);
    },
  },

  // ---- Suspension risk
  {
    rule: 'suspension risk: alternatives first, listing the ones not yet tried',
    source: 'leysAlternatives',
    run: () => {
      const s = step(plan('hertfordshire', pupil([KINSHIP]), atRisk({ tried: ['softStart', 'nurtureRoom'] })), 'suspension.alternativesFirst');
      expect(s.what).toContain('Not yet tried: a more structured break or lunchtime;');
      expect(s.what).not.toContain('soft start');
      expect(s.what).not.toContain('nurture room');
    },
  },
  {
    rule: 'suspension risk: a trauma-informed risk assessment focused on the child',
    source: 'holyFamilyRiskAssessment',
    run: () => {
      expect(ids(plan('hertfordshire', pupil([CWSW_CIN]), atRisk()))).toContain('suspension.riskAssessment');
    },
  },
  {
    rule: 'suspension risk: for a looked-after child the DT contacts the Virtual School as soon as possible, before the decision',
    source: 'leysClaVirtualSchool',
    run: () => {
      const s = step(plan('hertfordshire', pupil([CLA]), atRisk()), 'suspension.cla.virtualSchoolBeforeDecision');
      expect([s.who, s.owner, s.deadline, s.needsApprovalBy, s.contact?.email]).toEqual([
        'virtualSchool', 'DT', MONDAY, 'DSL', 'virtualschool@essex-vs.example.org',
      ]);
    },
  },
  {
    rule: 'suspension risk (Cambridgeshire): if the child is in care, discuss the rationale with the Virtual School before acting',
    source: 'offordCicVirtualSchool',
    run: () => {
      expect(step(plan('cambridgeshire', pupil([CLA]), atRisk()), 'suspension.cla.virtualSchoolBeforeDecision').source).toBe('offordCicVirtualSchool');
    },
  },
  {
    rule: "suspension risk (Hertfordshire): previously looked after: parents or guardians first, then the Virtual School's advice",
    source: 'leysCplaParentsFirst',
    run: () => {
      const p = plan('hertfordshire', pupil([CPLA]), atRisk());
      const order = ids(p);
      expect(order.indexOf('suspension.cpla.parentsFirst')).toBeLessThan(order.indexOf('suspension.cpla.virtualSchoolAdvice'));
      expect(step(p, 'suspension.cpla.virtualSchoolAdvice').requiresConsentOf).toBeUndefined();
    },
  },
  {
    rule: 'suspension risk (Cambridgeshire): previously in care: the Virtual School only with the carers\' or parents\' consent',
    source: 'offordCpicConsent',
    run: () => {
      const p = plan('cambridgeshire', pupil([CPLA]), atRisk());
      const order = ids(p);
      expect(order.indexOf('suspension.cpla.askConsent')).toBeLessThan(order.indexOf('suspension.cpla.virtualSchoolAdvice'));
      expect(step(p, 'suspension.cpla.virtualSchoolAdvice').requiresConsentOf).toBe('parentsCarers');
    },
  },
  {
    rule: 'suspension risk (Hertfordshire): for a child with a social worker, discuss the rationale with the Virtual School adviser before acting',
    source: 'holyFamilyVirtualSchoolBeforeActing',
    run: () => {
      for (const status of [CWSW_CIN, CWSW_PAST]) {
        expect(step(plan('hertfordshire', pupil([status]), atRisk()), 'suspension.cwsw.virtualSchoolBeforeActing').who).toBe('virtualSchool');
        expect(ids(plan('cambridgeshire', pupil([status]), atRisk()))).not.toContain('suspension.cwsw.virtualSchoolBeforeActing');
      }
    },
  },
  {
    rule: 'suspension risk: the social worker is involved early',
    source: 'offordPartnership',
    run: () => {
      expect(step(plan('cambridgeshire', pupil([CWSW_CP]), atRisk()), 'suspension.socialWorkerEarly').needsApprovalBy).toBe('DSL');
      expect(ids(plan('cambridgeshire', pupil([CWSW_PAST]), atRisk()))).not.toContain('suspension.socialWorkerEarly');
    },
  },
  {
    rule: 'suspension risk: SEND: reasonable adjustments and the SENCO (Equality Act 2010)',
    source: 'leysSend',
    run: () => {
      expect(step(plan('hertfordshire', pupil([CWSW_CIN], { send: 'ehcp' }), atRisk()), 'suspension.send').who).toBe('SENCO');
      expect(ids(plan('hertfordshire', pupil([CWSW_CIN]), atRisk()))).not.toContain('suspension.send');
    },
  },
  {
    rule: 'suspension: repeated suspensions mean the support is not working: a different intervention is needed',
    source: 'holyFamilyRepeated',
    run: () => {
      expect(step(plan('hertfordshire', pupil([CWSW_CIN]), atRisk({ history: { suspensionsThisYear: 1 } })), 'suspension.repeated').flag).toBe('differentIntervention');
      expect(ids(plan('hertfordshire', pupil([CWSW_CIN]), atRisk()))).not.toContain('suspension.repeated');
      expect(ids(plan('hertfordshire', pupil([CWSW_CIN]), decided(2, { suspensionsThisYear: 2 })))).toContain('suspension.repeated');
    },
  },
  {
    rule: 'suspension risk: permanent exclusion is the very last resort for care-experienced children',
    source: 'holyFamilyLastResort',
    run: () => {
      expect(ids(plan('hertfordshire', pupil([CPLA]), atRisk()))).toContain('suspension.permanentLastResort');
      expect(ids(plan('hertfordshire', pupil([CWSW_CIN]), atRisk()))).not.toContain('suspension.permanentLastResort');
    },
  },
  {
    rule: 'suspension risk: keep days out of the in-school routine to a strict minimum',
    source: 'leysMinimumDays',
    run: () => {
      expect(step(plan('hertfordshire', pupil([KINSHIP]), atRisk()), 'suspension.minimumDays').source).toBe('leysMinimumDays');
    },
  },

  // ---- Suspension decided
  {
    rule: 'decided: notify parents, the local authority, the social worker and the Virtual School Head without delay',
    source: 'notifyWithoutDelay',
    run: () => {
      const p = plan('hertfordshire', pupil([CLA]), decided(2));
      for (const id of ['suspension.decided.parents', 'suspension.decided.localAuthority', 'suspension.decided.socialWorker', 'suspension.decided.virtualSchool']) {
        expect(step(p, id).deadline).toBe(MONDAY);
      }
      const cwsw = plan('hertfordshire', pupil([CWSW_CIN]), decided(2));
      expect(ids(cwsw)).toContain('suspension.decided.socialWorker');
      expect(ids(cwsw)).not.toContain('suspension.decided.virtualSchool');
    },
  },
  {
    rule: 'decided: at most 45 school days of suspension in a school year',
    source: 'fortyFiveDays',
    run: () => {
      expect(step(plan('hertfordshire', pupil([CWSW_CIN]), decided(6, { daysThisYear: 40 })), 'suspension.decided.over45Days').flag).toBe('statutoryLimit');
      expect(ids(plan('hertfordshire', pupil([CWSW_CIN]), decided(5, { daysThisYear: 40 })))).not.toContain('suspension.decided.over45Days');
    },
  },
  {
    rule: "decided: governors consider reinstatement within 15 school days when a term's total passes 15 days, or after a permanent exclusion",
    source: 'governorsFifteenDays',
    run: () => {
      const cal = new SchoolCalendar(profile('hertfordshire').calendar);
      const s = step(plan('hertfordshire', pupil([CWSW_CIN]), decided(4, { daysThisTerm: 12 })), 'suspension.decided.governorsReinstatement');
      expect(s.deadline).toBe(cal.addSchoolDays(MONDAY, 15));
      expect(s.deadline).toBe('2026-12-14');
      expect(ids(plan('hertfordshire', pupil([CWSW_CIN]), decided(3, { daysThisTerm: 12 })))).not.toContain('suspension.decided.governorsReinstatement');
      expect(ids(plan('hertfordshire', pupil([CWSW_CIN]), decided(1, {}, 'permanentExclusion')))).toContain('suspension.decided.governorsReinstatement');
    },
  },
  {
    rule: 'decided: full-time education from the sixth school day of a suspension over five days',
    source: 'daySixProvision',
    run: () => {
      // Starting Tuesday 24 November: day six is Tuesday 1 December.
      expect(step(plan('hertfordshire', pupil([CLA]), decided(6)), 'suspension.decided.provisionDaySix').deadline).toBe('2026-12-01');
      expect(ids(plan('hertfordshire', pupil([CLA]), decided(5)))).not.toContain('suspension.decided.provisionDaySix');
    },
  },
  {
    rule: 'decided (Cambridgeshire): educational provision from day one for children in care',
    source: 'offordDayOne',
    run: () => {
      const p = plan('cambridgeshire', pupil([CLA]), decided(2));
      expect(step(p, 'suspension.decided.provisionDayOne').deadline).toBe('2026-11-24');
      expect(ids(p)).not.toContain('suspension.decided.provisionDaySix');
    },
  },
  {
    rule: 'decided: exclusion is not a sanction: plan the return',
    source: 'offordNotASanction',
    run: () => {
      // Three days from Tuesday 24th: the last day is Thursday 26th.
      expect(step(plan('cambridgeshire', pupil([CWSW_CIN]), decided(3)), 'suspension.decided.reintegration').deadline).toBe('2026-11-26');
    },
  },

  // ---- Admission
  {
    rule: 'admission: looked-after and previously looked-after children have the highest priority',
    source: 'admissionsPriority',
    run: () => {
      expect(ids(plan('hertfordshire', pupil([CPLA]), admission()))).toContain('admission.priority');
      expect(ids(plan('hertfordshire', pupil([CWSW_CIN]), admission()))).not.toContain('admission.priority');
    },
  },
  {
    rule: 'admission: the child protection file comes DSL to DSL within 5 school days',
    source: 'cpFileFiveDays',
    run: () => {
      // Start Monday 30 November: 5 school days later is Monday 7 December.
      expect(step(plan('hertfordshire', pupil([CWSW_CP]), admission()), 'admission.cpFileFiveDays').deadline).toBe('2026-12-07');
      expect(ids(plan('hertfordshire', pupil([CPLA]), admission()))).not.toContain('admission.cpFileFiveDays');
    },
  },
  {
    rule: 'admission: the educational record within 15 school days',
    source: 'recordsFifteenDays',
    run: () => {
      // Start Monday 30 November; the Christmas holiday and the INSET day on 4 January do not count.
      expect(step(plan('hertfordshire', pupil([CPLA]), admission()), 'admission.recordsFifteenDays').deadline).toBe('2027-01-05');
    },
  },
  {
    rule: 'admission: a looked-after child has a new PEP within 10 school days, and the placing Virtual School is told',
    source: 'pepOnChangeOfSchool',
    run: () => {
      const p = plan('hertfordshire', pupil([CLA]), admission());
      expect(step(p, 'admission.cla.pepTenDays').deadline).toBe('2026-12-14');
      expect(step(p, 'admission.cla.virtualSchool').contact?.name).toBe('Essex Virtual School (demo)');
      expect(ids(plan('hertfordshire', pupil([CPLA]), admission()))).not.toContain('admission.cla.pepTenDays');
    },
  },
  {
    rule: 'admission: previously looked after: parents asked to declare with evidence before the January census, for PP+',
    source: 'ppPlusDeclaration',
    run: () => {
      expect(step(plan('hertfordshire', pupil([CPLA]), admission()), 'admission.cpla.ppPlusDeclaration').deadline).toBe('2027-01-21');
      expect(ids(plan('hertfordshire', pupil([CPLA]), admission({ statusEvidenceSeen: true })))).not.toContain('admission.cpla.ppPlusDeclaration');
    },
  },
  {
    rule: 'admission: SEND: the SENCO is involved and the EHCP review held in good time',
    source: 'leysEhcpReview',
    run: () => {
      expect(step(plan('hertfordshire', pupil([CWSW_CIN]), admission({ send: 'ehcp' })), 'admission.send').what).toMatch(/EHCP/);
      expect(ids(plan('hertfordshire', pupil([CWSW_CIN]), admission()))).not.toContain('admission.send');
    },
  },
  {
    rule: 'admission: early identification of a staff mentor and peer buddy ("not yet" becomes an action)',
    source: 'leysMentorBuddy',
    run: () => {
      expect(ids(plan('hertfordshire', pupil([KINSHIP]), admission()))).toEqual(expect.arrayContaining(['admission.keyAdult', 'admission.peerBuddy']));
      expect(ids(plan('hertfordshire', pupil([KINSHIP]), admission({ keyAdult: 'Mrs Example', peerBuddy: 'A classmate' })))).not.toContain('admission.keyAdult');
    },
  },
  {
    rule: 'admission: a transition meeting between schools',
    source: 'offordTransitionMeeting',
    run: () => {
      expect(step(plan('cambridgeshire', pupil([CLA]), admission()), 'admission.transitionMeeting').deadline).toBe('2026-11-30');
      expect(ids(plan('cambridgeshire', pupil([CLA]), admission({ transitionMeetingDate: '2026-11-26' })))).not.toContain('admission.transitionMeeting');
    },
  },
  {
    rule: "admission: structured activities to 'say goodbye'",
    source: 'leysSayGoodbye',
    run: () => {
      expect(step(plan('hertfordshire', pupil([CLA]), admission()), 'admission.sayGoodbye').who).toBe('previousSchool');
    },
  },
];

describe('routing rules, one per policy sentence', () => {
  it.each(rows.map((r) => [r.rule, citation(SOURCES[r.source]), r] as const))('%s [%s]', (_rule, _citation, row) => {
    row.run();
  });
});
