import { PolicyProfile, quote } from './profile';

/**
 * Bushey Heath Primary School: the short Hertfordshire policy for children known to a social worker
 * (CKSW). No kinship care, no previously looked-after step, no Virtual School step before an
 * exclusion; its own safeguard is that any part-time arrangement is agreed and time limited.
 */
export const BUSHEY_HEATH: PolicyProfile = {
  id: 'busheyHeath',
  label: 'Bushey Heath Primary School (Hertfordshire, short policy)',
  county: 'Hertfordshire',
  document: 'Bushey Heath Primary School, Children Known to a Social Worker policy (January 2024)',
  file: '001_fe5f81e50cc8396c.txt',
  rules: {
    'scope.hadSocialWorkerEver': quote('Policy Objective', 'To promote the educational outcomes of the cohort of children with a social worker and those who have previously had a social worker who are aged from 0 up to 18, so that these children make educational progress.'),
    'attendance.contactSocialWorker': quote('Attendance', 'Where there is a concern about attendance or punctuality the school will contact the parent, social worker and other professionals, as an early intervention, as outlined in our attendance policy.'),
    'attendance.contactParents': quote('Attendance', 'Where there is a concern about attendance or punctuality the school will contact the parent, social worker and other professionals, as an early intervention, as outlined in our attendance policy.'),
    'suspension.everyEffortToAvoid': quote('Exclusion', 'We will make every effort to avoid exclusion, in recognition of the increased risk this poses in terms of CKSW quickly disengaging from the school.'),
    'suspension.minimumDays': quote('Exclusion', 'If there is no option other than exclusion, then we will make every attempt to reduce the number of days of the exclusion.'),
    'suspension.lastResort': quote('Exclusion', 'Exclusion as a behaviour management action will be a last possible resort'),
    'suspension.sendProcedures': quote('Exclusion', 'School procedures are in place to reduce the risk of exclusion of a child with special educational needs.'),
    'suspension.partTimeAgreedAndTimeLimited': quote('Alternative Provision', 'Any variation to a full-time provision on site is agreed with parents and social care and is time limited.'),
    'admission.swiftTransfer': quote('Admissions/ Transitions', 'the swift transfer of information between schools that may include school visits and at times of transition, teaching at the previous school'),
    'admission.staffMentor': quote('Admissions/ Transitions', 'early identification of needs and support such as a staff mentor'),
    'admission.attachmentActivities': quote('Admissions/ Transitions', 'structured activities to secure good attachment in school with both staff and peers.'),
    'admission.ehcpReview': quote('Special Educational Needs & Disabilities', 'that with the school SENCO the EHCP review is held in a timely way with all relevant professionals invited and their views obtained.'),
  },
};
