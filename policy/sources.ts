/**
 * Where each rule comes from. Seed policies (copied into policy/seeds/ from ../shared/policies/) are
 * quoted verbatim, and a test checks every quote against the file. Statutory guidance is not in the repository, so it is cited
 * by title and section with a summary in our words, never a made-up quotation.
 */
export type SeedPolicy = 'leys' | 'busheyHeath' | 'holyFamily' | 'offord' | 'providerTemplate';
export type Guidance =
  | 'suspensionGuidance2024'
  | 'attendanceGuidance2024'
  | 'kcsie'
  | 'pupilInformationRegs2005'
  | 'lookedAfterEducation2018'
  | 'admissionsCode2021'
  | 'schoolCensus'
  | 'equalityAct2010';

export const SEED_POLICIES: Record<SeedPolicy, { file: string; title: string; pack: 'hertfordshire' | 'cambridgeshire' }> = {
  leys: { file: '000_4f85ad98056580b9.txt', title: 'The Leys Primary & Nursery School, policy for all children with a social worker (January 2025)', pack: 'hertfordshire' },
  busheyHeath: { file: '001_fe5f81e50cc8396c.txt', title: 'Bushey Heath Primary School, children known to a social worker policy (January 2024)', pack: 'hertfordshire' },
  holyFamily: { file: '002_857e44090d6e8a70.txt', title: 'The Holy Family Catholic Primary School, policy for children with a social worker (April 2023)', pack: 'hertfordshire' },
  offord: { file: '003_52d167403543c442.txt', title: 'Offord Primary School, policy for care-experienced children (Cambridgeshire model)', pack: 'cambridgeshire' },
  providerTemplate: { file: '004_540943937820bf4c.txt', title: 'Provider policy template for young people who have or have had a social worker (Cambridgeshire model)', pack: 'cambridgeshire' },
};

export const GUIDANCE: Record<Guidance, string> = {
  suspensionGuidance2024: 'Suspension and permanent exclusion from maintained schools, academies and pupil referral units in England, including pupil movement (DfE, 2024)',
  attendanceGuidance2024: 'Working together to improve school attendance (DfE statutory guidance, 2024)',
  kcsie: 'Keeping children safe in education (DfE statutory guidance)',
  pupilInformationRegs2005: 'The Education (Pupil Information) (England) Regulations 2005',
  lookedAfterEducation2018: 'Promoting the education of looked-after and previously looked-after children (DfE statutory guidance, 2018)',
  admissionsCode2021: 'School Admissions Code (DfE, 2021)',
  schoolCensus: 'School census guide (DfE): Pupil Premium Plus for previously looked-after children',
  equalityAct2010: 'Equality Act 2010 and Children and Families Act 2014',
};

export type Source =
  | { kind: 'policy'; policy: SeedPolicy; section: string; quote: string }
  | { kind: 'guidance'; guidance: Guidance; section: string; summary: string };

const policy = (p: SeedPolicy, section: string, quote: string): Source => ({ kind: 'policy', policy: p, section, quote });
const guidance = (g: Guidance, section: string, summary: string): Source => ({ kind: 'guidance', guidance: g, section, summary });

/** Every source a rule cites. Keys are stable: tests and the audit trail refer to them. */
export const SOURCES = {
  // Attendance
  leysAttendance: policy('leys', 'Attendance', 'Where there is a concern about attendance or punctuality, the school will contact the social worker, and other professionals (including the Virtual School for children who are looked after), promptly.'),
  holyFamilyAttendance: policy('holyFamily', 'Attendance', 'Where there is a concern about attendance or punctuality, the school will contact the social worker, and other professionals (including the Virtual School for children who are looked after), promptly.'),
  busheyAttendance: policy('busheyHeath', 'Attendance', 'Where there is a concern about attendance or punctuality the school will contact the parent, social worker and other professionals, as an early intervention, as outlined in our attendance policy.'),
  offordAttendance: policy('offord', 'Attendance and Punctuality', 'Where there is a concern about attendance or punctuality Offord Primary School will speak to the child, carer / parent, social worker and other relevant professionals including the Virtual School where a child is in care.'),
  offordAttendanceAdjustments: policy('offord', 'Attendance and Punctuality', 'This may include reasonable adjustments such as celebrating 100% attendance despite incidents of non-attendance due to care placement moves.'),
  providerAttendance: policy('providerTemplate', '3.3 Attendance and Punctuality', 'Where there is a concern about attendance or punctuality [Provider name] will speak to the young person, carer/parent, social worker and other relevant professionals including the Virtual School where a young person is in care.'),
  providerThresholds: policy('providerTemplate', '3.3 Attendance and Punctuality', 'This may include reasonable adjustments such as the lowering of attendance thresholds prior to initiating disciplinary processes.'),
  persistentAbsence: guidance('attendanceGuidance2024', 'Persistent and severe absence', 'A pupil who misses 10% or more of possible sessions is persistently absent; one who misses 50% or more is severely absent and should be a top priority for all partners, including social care.'),
  tenDaysContinuous: guidance('attendanceGuidance2024', 'Informing the local authority', 'Schools must tell the local authority about a pupil who has been absent without authorisation for 10 or more consecutive school days.'),
  cpUnexplainedAbsence: guidance('kcsie', 'Children who are absent from education', 'Unexplained absence can be a sign of abuse or neglect; for a child on a child protection plan the DSL acts the same day, including telling the child\'s social worker.'),

  // Suspension risk and decided suspensions
  leysAvoid: policy('leys', 'Suspensions and Exclusion', 'We will make every effort to avoid suspending a Child Looked After or Child Previously Looked After, in recognition of the increased risk this poses in terms of them quickly disengaging from the school, due to their early experience of broken attachments and loss.'),
  leysAlternatives: policy('leys', 'Suspensions and Exclusion', 'We will use the following methods to avoid suspending or excluding a child known to a Social Worker or a child in Kinship Care; soft start, more structured break/lunchtime, additional adult time or attention, SEMH provisions, therapy, nurture room support, Predict and prevent, Therapeutic Thinking risk assessment or reduced timetable.'),
  leysClaVirtualSchool: policy('leys', 'Suspensions and Exclusion', 'Where a Child Looked After is at risk of suspension or exclusion, the designated teacher will contact the linked Virtual School Education Adviser as soon as possible so they can help the school decide how to support the child to improve their behaviour and avoid exclusion becoming necessary.'),
  leysCplaParentsFirst: policy('leys', 'Suspensions and Exclusion', "Where a Child Previously Looked After is at risk of exclusion, the designated teacher will talk to the child's parents or guardians before seeking the advice of the Virtual School on avoiding exclusion."),
  leysMinimumDays: policy('leys', 'Suspensions and Exclusion', 'We will keep the number of days out of the in-school routine to a strict minimum.'),
  leysSend: policy('leys', 'Suspensions and Exclusion', 'We understand that the Equality Act 2010 requires schools to make reasonable adjustments for disabled pupils.'),
  busheyAvoid: policy('busheyHeath', 'Exclusion', 'We will make every effort to avoid exclusion, in recognition of the increased risk this poses in terms of CKSW quickly disengaging from the school.'),
  busheyReduceDays: policy('busheyHeath', 'Exclusion', 'If there is no option other than exclusion, then we will make every attempt to reduce the number of days of the exclusion.'),
  holyFamilyVirtualSchoolBeforeActing: policy('holyFamily', 'Suspensions and Exclusion', 'Before acting, we will always discuss the rationale for exclusion with the assigned Education Adviser from the Virtual School.'),
  holyFamilyLastResort: policy('holyFamily', 'Suspensions and Exclusion', 'We will only consider Permanent Exclusion from school as the last possible resort for Children Looked After and Previously Looked after recognising that entire living arrangements could be affected as a result.'),
  holyFamilyShortAsPossible: policy('holyFamily', 'Suspensions and Exclusion', 'Exclusion must be for as short a period as possible with the aim of improving outcomes for the child or young person.'),
  holyFamilyRepeated: policy('holyFamily', 'Appendix 3: children and young people who are excluded on multiple occasions', 'Where multiple exclusions of a child or young person have taken place, it should highlight to the school/college that the support provision being used/in place is not working.'),
  holyFamilyRiskAssessment: policy('holyFamily', 'Appendix 3: the importance of effective pupil assessment', "The Virtual School advise that risk, health, and safety assessments should be carried out using a trauma informed approach to determine any potential concerns arising from the child or young person's presentation."),
  offordAvoid: policy('offord', 'Exclusions', 'Offord Primary School will make every effort to avoid excluding a child who has or has had a social worker, in recognition of the impact of their lived experiences and their behaviours as a communication of their needs.'),
  offordCicVirtualSchool: policy('offord', 'Exclusions', 'If the child is in care, before acting, we will discuss the rationale for exclusion with the relevant Virtual School.'),
  offordCpicConsent: policy('offord', 'Exclusions', 'The Virtual School may be contacted for advice if the child was previously in care, with consent from the carers / parents.'),
  offordDayOne: policy('offord', 'Exclusions', 'If there is no option other than exclusion, then every attempt to reduce the number of days of the exclusion and ensure that educational provision is in place from day one (for children in care).'),
  offordNotASanction: policy('offord', 'Exclusions', 'Exclusion will not be used as a sanction, but instead will be used to plan successful access, inclusion and reintegration.'),
  providerCicVirtualSchool: policy('providerTemplate', '3.4 Exclusions', 'If the young person is in care, before acting, the rationale for exclusion will be discussed with the relevant Virtual School.'),
  providerCpicConsent: policy('providerTemplate', '3.4 Exclusions', 'The Virtual School may be contacted for advice if the young person was previously in care, with consent from the carers / parents.'),
  notifyWithoutDelay: guidance('suspensionGuidance2024', 'Notifying parents, the local authority, social workers and the Virtual School Head', 'Once a suspension or permanent exclusion is decided the headteacher must notify, without delay, the parents, the local authority, the social worker of a child with one, and the Virtual School Head of a looked-after child.'),
  claVshAsSoonAsPossible: guidance('suspensionGuidance2024', 'Looked-after children', "Where a looked-after child is likely to be suspended or permanently excluded, the designated teacher should contact the Virtual School Head as soon as possible to discuss support and plan the best way to resolve the situation."),
  fortyFiveDays: guidance('suspensionGuidance2024', 'Suspension', 'A pupil may be suspended for one or more fixed periods up to a maximum of 45 school days in a single school year.'),
  governorsFifteenDays: guidance('suspensionGuidance2024', 'Governing board duty to consider reinstatement', "The governing board must consider reinstatement within 15 school days of receiving notice of a permanent exclusion, or of suspensions taking the pupil's total above 15 school days in a term."),
  daySixProvision: guidance('suspensionGuidance2024', 'Arranging education from the sixth day', 'For a suspension of more than five consecutive school days the school must arrange suitable full-time education from the sixth school day.'),
  sendAdjustments: guidance('equalityAct2010', 'Reasonable adjustments and best endeavours', 'Schools must make reasonable adjustments for disabled pupils, including in behaviour and suspension processes, and use their best endeavours to make the special educational provision a pupil with SEN needs.'),

  // Admissions and transition
  admissionsPriority: guidance('admissionsCode2021', 'Paragraph 1.7', 'Looked-after and previously looked-after children must be given highest priority in a school\'s oversubscription criteria.'),
  leysAdmissionPriority: policy('leys', 'Admissions/ Transitions', 'prioritising CLA and CPLA at the point of admission'),
  offordAdmissionPriority: policy('offord', 'Admissions', 'In line with national guidance Offord Primary School prioritises the admission of care-experienced children.'),
  leysSwiftTransfer: policy('leys', 'Admissions/ Transitions', 'there is a swift transfer of information between schools that may include school visits and at times of transition, teaching at the previous school'),
  leysMentorBuddy: policy('leys', 'Admissions/ Transitions', 'early identification of staff mentor and peer buddy'),
  leysTransitionSupport: policy('leys', 'Admissions/ Transitions', 'additional support and planning at times of transition'),
  leysSayGoodbye: policy('leys', 'Admissions/ Transitions', "structured activities to 'say goodbye', in recognition of the impact of broken attachments and loss"),
  offordTransitionMeeting: policy('offord', 'Admissions', 'Transition meetings between schools'),
  offordMentorBuddy: policy('offord', 'Admissions', 'Additional school visits and identification of a staff mentor and/or peer buddy'),
  cpFileFiveDays: guidance('kcsie', 'Child protection files', 'When a child with a child protection file changes school, the DSL makes sure the file is transferred to the new school\'s DSL, separately from the main pupil file, within 5 school days of an in-year transfer, and confirmation of receipt is obtained.'),
  recordsFifteenDays: guidance('pupilInformationRegs2005', 'Regulation 9', 'The common transfer file and educational record must be sent to the new school within 15 school days of the pupil ceasing to be registered at the old one.'),
  pepOnChangeOfSchool: guidance('lookedAfterEducation2018', 'Personal education plans', 'A looked-after child who changes school has their personal education plan reviewed promptly, within 10 school days, led by the designated teacher with the Virtual School and social worker.'),
  leysPepTermly: policy('leys', 'Statutory Personal Education Plans (ePEP)', 'In any one school year there will be at least 3 PEP meetings for each CLA.'),
  offordPpPlusPep: policy('offord', 'Pupil Premium Plus (PP+)', 'For children in care, the allocation of PP+ will be linked to clear desirable outcomes as identified in the Personal Education Plan (PEP)'),
  ppPlusDeclaration: guidance('schoolCensus', 'Pupil Premium Plus for previously looked-after children', 'Previously looked-after children attract Pupil Premium Plus when their parents declare the status to the school, with evidence such as the adoption, special guardianship or child arrangements order, in time for the January school census.'),
  leysEhcpReview: policy('leys', 'Special Educational Needs & Disabilities', 'that with the school SENCO, the EHCP review is held in a timely way with all relevant professionals invited and their views obtained.'),
  busheyEhcpReview: policy('busheyHeath', 'Special Educational Needs & Disabilities', 'that with the school SENCO the EHCP review is held in a timely way with all relevant professionals invited and their views obtained.'),

  // Who leads
  leysReferToDsl: policy('leys', 'Roles and Responsibilities: all staff', 'referring to the Designated Teacher/SENCo/DSL for advice'),
  leysDtCoordinates: policy('leys', 'Roles and Responsibilities: the Designated Teacher', 'performing a coordinating role with school staff and outside agencies'),
  offordDslLiaison: policy('offord', 'The Designated Safeguarding Lead', 'Act as the key liaison professional for other agencies and individuals in relation to children known to a social worker'),
  offordDtLiaison: policy('offord', 'The Designated Teacher for Children in Care (DT)', 'Act as the key liaison professional for other agencies and individuals in relation to care experienced children'),
  offordPartnership: policy('offord', 'Aims', 'Working in partnership with parents, carers, social workers and other professionals'),
  vshAdviceToParents: guidance('lookedAfterEducation2018', 'Previously looked-after children', 'The Virtual School Head of the authority where a previously looked-after child is educated provides advice and information to the child\'s parents and to the school.'),

  // Need to know
  offordNeedToKnow: policy('offord', 'Roles and Responsibilities', 'Share confidential and personal information on a need to know basis only'),
} as const satisfies Record<string, Source>;

export type SourceKey = keyof typeof SOURCES;

export function citation(source: Source): string {
  if (source.kind === 'policy') return `${SEED_POLICIES[source.policy].title}, "${source.section}"`;
  return `${GUIDANCE[source.guidance]}, ${source.section}`;
}
