/**
 * What a school's own policy can add to the statutory base, as a catalogue: each rule the engine
 * knows how to apply, in words. A policy profile says which of these its document states, quoting
 * the sentence (policy/profiles/<school>.ts); the routing rules (policy/routing/) apply a rule only
 * when the school's policy has it, and cite that school's sentence.
 */
export interface SchoolRuleInfo {
  topic: 'Who is covered' | 'Who leads' | 'Attendance' | 'Suspension' | 'Admission' | 'PEPs and health';
  /** Which children, and when. */
  applies: string;
  /** What the plan does because of it. */
  does: string;
}

export const SCHOOL_RULES = {
  'scope.kinship': { topic: 'Who is covered', applies: 'children in kinship care', does: 'Children in kinship care are covered, with or without a social worker.' },
  'scope.hadSocialWorkerSixYears': { topic: 'Who is covered', applies: 'children whose social worker plan ended in the last six years', does: 'They stay covered for six years after the plan ends.' },
  'scope.hadSocialWorkerEver': { topic: 'Who is covered', applies: 'children who have had a social worker at any time', does: 'They stay covered however long ago the plan ended.' },
  'lead.referForAdvice': { topic: 'Who leads', applies: 'every concern', does: 'Staff refer to the school\'s leads for advice: cited on the DSL\'s step.' },
  'attendance.contactSocialWorker': { topic: 'Attendance', applies: 'a child with a social worker', does: 'The social worker (and other professionals) are contacted about an attendance or punctuality concern, promptly.' },
  'attendance.contactParents': { topic: 'Attendance', applies: 'every child covered', does: 'The parents or carers are contacted, as early intervention.' },
  'attendance.speakToChild': { topic: 'Attendance', applies: 'every child covered', does: 'A trusted adult speaks with the child.' },
  'attendance.virtualSchool': { topic: 'Attendance', applies: 'a child in care', does: 'The Virtual School of the placing authority is told about the attendance concern.' },
  'attendance.placementMoveAdjustments': { topic: 'Attendance', applies: 'a child in care whose absences come from placement moves, family time, court or reviews', does: 'Reasonable adjustments: absences recorded as such, good attendance recognised despite them.' },
  'attendance.lowerThresholdsBeforeDiscipline': { topic: 'Attendance', applies: 'every child covered', does: 'No formal or disciplinary attendance action without the DT or DSL first; lower thresholds considered.' },
  'suspension.everyEffortToAvoid': { topic: 'Suspension', applies: 'the children the school\'s sentence names', does: 'Every effort is made to avoid a suspension: the alternatives step cites it.' },
  'suspension.alternativesList': { topic: 'Suspension', applies: 'a child known to a social worker or in kinship care', does: 'The named alternatives (soft start, structured break, additional adult, SEMH provision, therapy, nurture room, Predict and prevent, Therapeutic Thinking, reduced timetable) are listed, with those not yet tried.' },
  'suspension.exploreAlternatives': { topic: 'Suspension', applies: 'every child covered', does: 'Alternative positive options that prioritise learning are explored first.' },
  'suspension.childInCareVirtualSchool': { topic: 'Suspension', applies: 'a child in care at risk', does: 'The school\'s own wording for the Virtual School discussion before a decision (the statutory base has it for every school).' },
  'suspension.virtualSchoolAdviserBeforeActing': { topic: 'Suspension', applies: 'every child with a social worker now or in the last six years, and every child in care', does: 'Before acting, the rationale is discussed with the Virtual School\'s education adviser.' },
  'suspension.previouslyInCareParentsFirst': { topic: 'Suspension', applies: 'a previously looked-after child at risk', does: 'The DT talks to the parents or guardians first, then seeks the Virtual School\'s advice.' },
  'suspension.previouslyInCareConsent': { topic: 'Suspension', applies: 'a previously looked-after child at risk', does: 'The Virtual School is contacted for advice only with the carers\' or parents\' consent.' },
  'suspension.minimumDays': { topic: 'Suspension', applies: 'every child covered', does: 'Days out of school are kept to a strict minimum.' },
  'suspension.lastResort': { topic: 'Suspension', applies: 'the children the school\'s sentence names', does: 'Exclusion (for some schools, permanent exclusion of a care-experienced child) only as the last resort.' },
  'suspension.planReintegration': { topic: 'Suspension', applies: 'every child covered', does: 'The time is used to plan the return: the reintegration step cites it.' },
  'suspension.sendProcedures': { topic: 'Suspension', applies: 'a child with SEN', does: 'The school\'s procedures to reduce the risk of exclusion of a child with SEN: the SENCO step cites it.' },
  'suspension.riskAssessment': { topic: 'Suspension', applies: 'every child covered', does: 'A risk assessment sets out the support in place to prevent escalation.' },
  'suspension.repeatedSuspensions': { topic: 'Suspension', applies: 'a child suspended before this school year', does: 'Repeated suspensions mean the support is not working: a different intervention and the local authority\'s or Virtual School\'s staged support.' },
  'suspension.provisionFromDayOne': { topic: 'Suspension', applies: 'a child in care who is suspended', does: 'Educational provision from the first day, as well as the statutory duty from the sixth.' },
  'suspension.partTimeAgreedAndTimeLimited': { topic: 'Suspension', applies: 'every child covered', does: 'Any part-time arrangement is agreed with the parents and social care and is time limited.' },
  'admission.priority': { topic: 'Admission', applies: 'a looked-after or previously looked-after child', does: 'The school\'s own wording for admission priority (statutory for every school).' },
  'admission.transitionMeeting': { topic: 'Admission', applies: 'every child covered who is joining', does: 'A transition meeting with the previous school.' },
  'admission.transitionSupport': { topic: 'Admission', applies: 'every child covered who is joining', does: 'Additional support and planning at the time of transition.' },
  'admission.swiftTransfer': { topic: 'Admission', applies: 'every child covered who is joining', does: 'Information comes across swiftly: the records step cites it.' },
  'admission.staffMentor': { topic: 'Admission', applies: 'every child covered who is joining', does: 'A staff mentor (key adult) is chosen early.' },
  'admission.peerBuddy': { topic: 'Admission', applies: 'every child covered who is joining', does: 'A peer buddy is chosen early.' },
  'admission.sayGoodbye': { topic: 'Admission', applies: 'every child covered who is joining', does: 'Structured activities to say goodbye at the old school.' },
  'admission.attachmentActivities': { topic: 'Admission', applies: 'every child covered who is joining', does: 'Structured activities to secure good attachment with staff and peers.' },
  'admission.ehcpReview': { topic: 'Admission', applies: 'a child with an EHCP', does: 'The SENCO makes sure the EHCP review is held in good time with everyone invited.' },
  'pep.threeAYear': { topic: 'PEPs and health', applies: 'a child in care', does: 'A PEP meeting every term, at least three in a school year.' },
  'pep.ppPlusLinkedToPep': { topic: 'PEPs and health', applies: 'a child in care', does: 'Pupil Premium Plus is linked to the outcomes in the PEP.' },
  'sdq.annual': { topic: 'PEPs and health', applies: 'a child in care', does: 'The DT completes the annual Strengths and Difficulties Questionnaire.' },
} as const satisfies Record<string, SchoolRuleInfo>;

export type SchoolRuleId = keyof typeof SCHOOL_RULES;
export const SCHOOL_RULE_IDS = Object.keys(SCHOOL_RULES) as SchoolRuleId[];
