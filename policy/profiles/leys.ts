import { PolicyProfile, quote } from './profile';

/** The Leys Primary & Nursery School: the Hertfordshire model, with kinship care added. */
export const LEYS: PolicyProfile = {
  id: 'leys',
  label: 'The Leys Primary & Nursery School (Hertfordshire model)',
  county: 'Hertfordshire',
  document: 'The Leys Primary & Nursery School, Policy for All Children with a Social Worker (January 2025)',
  file: '000_4f85ad98056580b9.txt',
  rules: {
    'scope.kinship': quote('Title', 'Policy for All Children with a Social Worker: Children Looked After, Previously Looked After or in Kinship Care'),
    'scope.hadSocialWorkerSixYears': quote('Policy Objective', "the 'duty to promote the education of children with a social worker in the last 6 years."),
    'lead.referForAdvice': quote('Roles and Responsibilities: all staff', 'referring to the Designated Teacher/SENCo/DSL for advice'),
    'attendance.contactSocialWorker': quote('Attendance', 'Where there is a concern about attendance or punctuality, the school will contact the social worker, and other professionals (including the Virtual School for children who are looked after), promptly.'),
    'attendance.virtualSchool': quote('Attendance', 'Where there is a concern about attendance or punctuality, the school will contact the social worker, and other professionals (including the Virtual School for children who are looked after), promptly.'),
    'suspension.everyEffortToAvoid': quote('Suspensions and Exclusion', 'We will make every effort to avoid suspending a Child Looked After or Child Previously Looked After, in recognition of the increased risk this poses in terms of them quickly disengaging from the school, due to their early experience of broken attachments and loss.'),
    'suspension.alternativesList': quote('Suspensions and Exclusion', 'We will use the following methods to avoid suspending or excluding a child known to a Social Worker or a child in Kinship Care; soft start, more structured break/lunchtime, additional adult time or attention, SEMH provisions, therapy, nurture room support, Predict and prevent, Therapeutic Thinking risk assessment or reduced timetable.'),
    'suspension.exploreAlternatives': quote('Suspensions and Exclusion', "We will explore alternative positive options which prioritise the young person's learning."),
    'suspension.childInCareVirtualSchool': quote('Suspensions and Exclusion', 'Where a Child Looked After is at risk of suspension or exclusion, the designated teacher will contact the linked Virtual School Education Adviser as soon as possible so they can help the school decide how to support the child to improve their behaviour and avoid exclusion becoming necessary.'),
    'suspension.previouslyInCareParentsFirst': quote('Suspensions and Exclusion', "Where a Child Previously Looked After is at risk of exclusion, the designated teacher will talk to the child's parents or guardians before seeking the advice of the Virtual School on avoiding exclusion."),
    'suspension.minimumDays': quote('Suspensions and Exclusion', 'We will keep the number of days out of the in-school routine to a strict minimum.'),
    'suspension.sendProcedures': quote('Suspensions and Exclusion', 'Our school procedures are in place to reduce the risk of exclusion of children with special educational needs.'),
    'admission.priority': quote('Admissions/ Transitions', 'prioritising CLA and CPLA at the point of admission'),
    'admission.transitionSupport': quote('Admissions/ Transitions', 'additional support and planning at times of transition'),
    'admission.swiftTransfer': quote('Admissions/ Transitions', 'there is a swift transfer of information between schools that may include school visits and at times of transition, teaching at the previous school'),
    'admission.staffMentor': quote('Admissions/ Transitions', 'early identification of staff mentor and peer buddy'),
    'admission.peerBuddy': quote('Admissions/ Transitions', 'early identification of staff mentor and peer buddy'),
    'admission.sayGoodbye': quote('Admissions/ Transitions', "structured activities to 'say goodbye', in recognition of the impact of broken attachments and loss"),
    'admission.ehcpReview': quote('Special Educational Needs & Disabilities', 'that with the school SENCO, the EHCP review is held in a timely way with all relevant professionals invited and their views obtained.'),
    'pep.threeAYear': quote('Statutory Personal Education Plans (ePEP)', 'In any one school year there will be at least 3 PEP meetings for each CLA.'),
    'sdq.annual': quote('Roles and Responsibilities: the Designated Teacher', 'completing the annual Strengths and Difficulties questionnaire required for each Herts CLA child or as requested'),
  },
};
