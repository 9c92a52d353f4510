import { PolicyProfile, quote } from './profile';

/** Offord Primary School: the Cambridgeshire model for care-experienced children and children with a social worker. */
export const OFFORD: PolicyProfile = {
  id: 'offord',
  label: 'Offord Primary School (Cambridgeshire model)',
  county: 'Cambridgeshire',
  document: 'Offord Primary School, Policy for Care-Experienced Children and Children with a Social Worker (Cambridgeshire model)',
  file: '003_52d167403543c442.txt',
  rules: {
    'scope.hadSocialWorkerSixYears': quote('Definitions', 'Children with a social worker (CWSW) refers to children who have been assessed as being in need under section 17 of the Children Act 1989 and currently have a social worker and those who previously had a social worker in the past 6 years due to safeguarding or welfare reasons.'),
    'lead.referForAdvice': quote('School staff', 'This may include attending training, referring to the Designated Teacher for advice and sharing accurate information and data with the Designated Teacher.'),
    'attendance.contactSocialWorker': quote('Attendance and Punctuality', 'Where there is a concern about attendance or punctuality Offord Primary School will speak to the child, carer / parent, social worker and other relevant professionals including the Virtual School where a child is in care.'),
    'attendance.contactParents': quote('Attendance and Punctuality', 'Where there is a concern about attendance or punctuality Offord Primary School will speak to the child, carer / parent, social worker and other relevant professionals including the Virtual School where a child is in care.'),
    'attendance.speakToChild': quote('Attendance and Punctuality', 'Where there is a concern about attendance or punctuality Offord Primary School will speak to the child, carer / parent, social worker and other relevant professionals including the Virtual School where a child is in care.'),
    'attendance.virtualSchool': quote('Attendance and Punctuality', 'Where there is a concern about attendance or punctuality Offord Primary School will speak to the child, carer / parent, social worker and other relevant professionals including the Virtual School where a child is in care.'),
    'attendance.placementMoveAdjustments': quote('Attendance and Punctuality', 'This may include reasonable adjustments such as celebrating 100% attendance despite incidents of non-attendance due to care placement moves.'),
    'suspension.everyEffortToAvoid': quote('Exclusions', 'Offord Primary School will make every effort to avoid excluding a child who has or has had a social worker, in recognition of the impact of their lived experiences and their behaviours as a communication of their needs.'),
    'suspension.childInCareVirtualSchool': quote('Exclusions', 'If the child is in care, before acting, we will discuss the rationale for exclusion with the relevant Virtual School.'),
    'suspension.previouslyInCareConsent': quote('Exclusions', 'The Virtual School may be contacted for advice if the child was previously in care, with consent from the carers / parents.'),
    'suspension.minimumDays': quote('Exclusions', 'If there is no option other than exclusion, then every attempt to reduce the number of days of the exclusion'),
    'suspension.provisionFromDayOne': quote('Exclusions', 'ensure that educational provision is in place from day one (for children in care).'),
    'suspension.planReintegration': quote('Exclusions', 'Exclusion will not be used as a sanction, but instead will be used to plan successful access, inclusion and reintegration.'),
    'admission.priority': quote('Admissions', 'In line with national guidance Offord Primary School prioritises the admission of care-experienced children.'),
    'admission.transitionMeeting': quote('Admissions', 'The importance of a thorough and planned transition is recognised and this may include: Transition meetings between schools'),
    'admission.transitionSupport': quote('Admissions', 'Additional support and planning for care-experienced children at times of transition'),
    'admission.swiftTransfer': quote('Admissions', 'The swift transfer of information between schools'),
    'admission.staffMentor': quote('Admissions', 'Additional school visits and identification of a staff mentor and/or peer buddy'),
    'admission.peerBuddy': quote('Admissions', 'Additional school visits and identification of a staff mentor and/or peer buddy'),
    'admission.sayGoodbye': quote('Admissions', 'Structured activities to ‘say goodbye’, in recognition of the impact of broken attachments and loss'),
    'pep.ppPlusLinkedToPep': quote('Pupil Premium Plus (PP+)', 'For children in care, the allocation of PP+ will be linked to clear desirable outcomes as identified in the Personal Education Plan (PEP)'),
  },
};
