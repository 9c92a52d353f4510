import { PolicyProfile, quote } from './profile';

/**
 * The Cambridgeshire model policy template ("[Name of Provider]"): written for post-16 providers and
 * young people, usable by a Cambridgeshire school as its county model. It has no provision-from-day-one
 * clause, no Pupil Premium Plus and no SEND section (unlike Offord, which adapted it).
 */
export const CAMBRIDGESHIRE_MODEL: PolicyProfile = {
  id: 'cambridgeshireModel',
  label: 'Cambridgeshire model policy (provider template)',
  county: 'Cambridgeshire',
  document: 'Cambridgeshire model policy for young people who have or have had a social worker (provider template)',
  file: '004_540943937820bf4c.txt',
  rules: {
    'scope.hadSocialWorkerSixYears': quote('1.2 Definitions', 'Children with a social worker (CWSW) refers to young people who have been assessed as being in need under section 17 of the Children Act 1989 and currently have a social worker and those who have had a social worker in the past 6 years owing to safeguarding or welfare reasons.'),
    'lead.referForAdvice': quote('2.4 Provider staff', 'This may include attending training, referring to the Designated Person for advice and sharing accurate information and data with the Designated Person.'),
    'attendance.contactSocialWorker': quote('3.3 Attendance and Punctuality', 'Where there is a concern about attendance or punctuality [Provider name] will speak to the young person, carer/parent, social worker and other relevant professionals including the Virtual School where a young person is in care.'),
    'attendance.contactParents': quote('3.3 Attendance and Punctuality', 'Where there is a concern about attendance or punctuality [Provider name] will speak to the young person, carer/parent, social worker and other relevant professionals including the Virtual School where a young person is in care.'),
    'attendance.speakToChild': quote('3.3 Attendance and Punctuality', 'Where there is a concern about attendance or punctuality [Provider name] will speak to the young person, carer/parent, social worker and other relevant professionals including the Virtual School where a young person is in care.'),
    'attendance.virtualSchool': quote('3.3 Attendance and Punctuality', 'Where there is a concern about attendance or punctuality [Provider name] will speak to the young person, carer/parent, social worker and other relevant professionals including the Virtual School where a young person is in care.'),
    'attendance.lowerThresholdsBeforeDiscipline': quote('3.3 Attendance and Punctuality', 'This may include reasonable adjustments such as the lowering of attendance thresholds prior to initiating disciplinary processes.'),
    'suspension.everyEffortToAvoid': quote('3.4 Exclusions', '[Provider name] will make every effort to avoid excluding a young person who has or has had a social worker, in recognition of the impact of their lived experiences and their behaviours as a communication of their needs.'),
    'suspension.childInCareVirtualSchool': quote('3.4 Exclusions', 'If the young person is in care, before acting, the rationale for exclusion will be discussed with the relevant Virtual School.'),
    'suspension.previouslyInCareConsent': quote('3.4 Exclusions', 'The Virtual School may be contacted for advice if the young person was previously in care, with consent from the carers / parents.'),
    'suspension.minimumDays': quote('3.4 Exclusions', 'If there is no option other than exclusion, then every attempt to reduce the number of days of the exclusion will be made.'),
    'suspension.planReintegration': quote('3.4 Exclusions', 'Exclusion will not be used as a sanction, but instead will be used to plan successful access, inclusion and reintegration.'),
    'admission.priority': quote('3.2 Admissions', '[Provider name] prioritises the admission of care-experienced young people.'),
    'admission.transitionMeeting': quote('3.2 Admissions', 'The importance of a thorough and planned transition is recognised, and this may include: · Transition meetings between providers'),
    'admission.transitionSupport': quote('3.2 Admissions', 'Additional support and planning for care-experienced young people at times of transition'),
    'admission.swiftTransfer': quote('3.2 Admissions', 'The swift transfer of information between providers'),
    'admission.staffMentor': quote('3.2 Admissions', 'Additional provider visits and identification of a staff mentor and/or peer buddy'),
    'admission.peerBuddy': quote('3.2 Admissions', 'Additional provider visits and identification of a staff mentor and/or peer buddy'),
    'admission.sayGoodbye': quote('3.2 Admissions', 'Structured activities to ‘say goodbye’, in recognition of the impact of broken attachments and loss'),
  },
};
