import { PolicyProfile, quote } from './profile';

/**
 * The Holy Family Catholic Primary School: the Hertfordshire model for children with a social
 * worker, with its own rule that the Virtual School's education adviser is consulted before acting
 * for every child with a social worker, and Appendix 3 on risk assessment and repeated exclusions.
 */
export const HOLY_FAMILY: PolicyProfile = {
  id: 'holyFamily',
  label: 'The Holy Family Catholic Primary School (Hertfordshire model)',
  county: 'Hertfordshire',
  document: 'The Holy Family Catholic Primary School, Policy for Children with a Social Worker (April 2023)',
  file: '002_857e44090d6e8a70.txt',
  rules: {
    'scope.hadSocialWorkerSixYears': quote('Policy Objective', "the 'duty to promote the education of children with a social worker in the last 6 years."),
    'lead.referForAdvice': quote('Roles and Responsibilities: all staff', 'referring to the Designated Teacher for advice'),
    'attendance.contactSocialWorker': quote('Attendance', 'Where there is a concern about attendance or punctuality, the school will contact the social worker, and other professionals (including the Virtual School for children who are looked after), promptly.'),
    'attendance.virtualSchool': quote('Attendance', 'Where there is a concern about attendance or punctuality, the school will contact the social worker, and other professionals (including the Virtual School for children who are looked after), promptly.'),
    'suspension.everyEffortToAvoid': quote('Suspensions and Exclusion', 'We will make every effort to avoid excluding a child with a Social Worker, in recognition of the increased risk this poses in terms of them quickly disengaging from the school, due to their early experience of broken attachments and loss.'),
    'suspension.exploreAlternatives': quote('Suspensions and Exclusion', "We will explore alternative positive options which prioritise the young person's learning."),
    'suspension.virtualSchoolAdviserBeforeActing': quote('Suspensions and Exclusion', 'Before acting, we will always discuss the rationale for exclusion with the assigned Education Adviser from the Virtual School.'),
    'suspension.minimumDays': quote('Suspensions and Exclusion', 'We will keep the number of days out of the in-school routine to a strict minimum.'),
    'suspension.lastResort': quote('Suspensions and Exclusion', 'We will only consider Permanent Exclusion from school as the last possible resort for Children Looked After and Previously Looked after recognising that entire living arrangements could be affected as a result.'),
    'suspension.planReintegration': quote('Suspensions and Exclusion', 'The time during and after the exclusion period will be used constructively to resolve the situation and ensure positive and appropriate support is in place for all.'),
    'suspension.sendProcedures': quote('Suspensions and Exclusion', 'Our school procedures are in place to reduce the risk of exclusion of children with a Social Worker with special educational needs.'),
    'suspension.riskAssessment': quote('Appendix 3: the importance of effective pupil assessment', 'Appropriate and detailed risk assessments should be undertaken for pupils who often display high levels of dysregulation in school/college, to set out the support measures available and in use, to prevent escalation.'),
    'suspension.repeatedSuspensions': quote('Appendix 3: children and young people who are excluded on multiple occasions', 'Where multiple exclusions of a child or young person have taken place, it should highlight to the school/college that the support provision being used/in place is not working.'),
    'admission.priority': quote('Admissions/ Transitions', 'prioritising CLA and PLA at the point of admission'),
    'admission.transitionSupport': quote('Admissions/ Transitions', 'additional support and planning at times of transition'),
    'admission.swiftTransfer': quote('Admissions/ Transitions', 'there is a swift transfer of information between schools that may include school visits and at times of transition, teaching at the previous school'),
    'admission.staffMentor': quote('Admissions/ Transitions', 'early identification of staff mentor and peer buddy'),
    'admission.peerBuddy': quote('Admissions/ Transitions', 'early identification of staff mentor and peer buddy'),
    'admission.sayGoodbye': quote('Admissions/ Transitions', "structured activities to 'say goodbye', in recognition of the impact of broken attachments and loss"),
    'admission.ehcpReview': quote('Special Educational Needs & Disabilities', 'that with the school SENCO, the EHCP review is held in a timely way with all relevant professionals invited and their views obtained.'),
    'pep.threeAYear': quote('Statutory Personal Education Plans (ePEP)', 'In any one school year there will be at least 3 PEP meetings for each CLA.'),
    'sdq.annual': quote('Roles and Responsibilities: the Designated Teacher', 'completing the annual Strength and Difficulties Questionnaire (SDQ) of each CLA as requested, to inform their annual CLA health review.'),
  },
};
