/**
 * What a step of a plan cites: a school's own policy (quoted verbatim, checked against its file by
 * a test), or the law and statutory guidance that apply to every school in England. A citation is
 * stored with the case, as it read when the plan was made.
 *
 * The statutory guidance itself is not in this repository and could not be read here; where its
 * paragraph number could not be checked, the citation names the regulation that imposes the duty
 * (primary law, read on legislation.gov.uk) or the guidance's section heading, and the summary is in
 * our words, never presented as a quotation (docs/DOMAIN.md, "The sources").
 */
export type Citation =
  | { kind: 'policy'; document: string; section: string; quote: string }
  | { kind: 'statute'; document: string; paragraph: string; summary: string };

export function citationText(c: Citation): string {
  return c.kind === 'policy' ? `${c.document}, "${c.section}"` : `${c.document}, ${c.paragraph}`;
}

/** The law and guidance the statutory base cites, by short name. */
export const STATUTORY_DOCUMENTS = {
  suspensionGuidance: 'Suspension and permanent exclusion from maintained schools, academies and pupil referral units in England, including pupil movement (DfE statutory guidance, September 2023, updated August 2024)',
  exclusionRegulations: 'The School Discipline (Pupil Exclusions and Reviews) (England) Regulations 2012, as amended in 2022',
  provisionRegulations: 'The Education (Provision of Full-Time Education for Excluded Pupils) (England) Regulations 2007, as amended in 2014',
  educationAct1996: 'Education Act 1996',
  attendanceGuidance: 'Working together to improve school attendance (DfE statutory guidance, August 2024)',
  registrationRegulations: 'The School Attendance (Pupil Registration) (England) Regulations 2024',
  kcsie: 'Keeping children safe in education (DfE statutory guidance)',
  lookedAfterEducation: 'Promoting the education of looked-after children and previously looked-after children (DfE statutory guidance, February 2018)',
  designatedTeacher: 'The designated teacher for looked-after and previously looked-after children (DfE statutory guidance, February 2018)',
  carePlanning: 'The Children Act 1989 guidance and regulations, volume 2: care planning, placement and case review',
  lookedAfterHealth: 'Promoting the health and well-being of looked-after children (DfE and DHSC statutory guidance, March 2015)',
  vshExtension: 'Promoting the education of children with a social worker and children in kinship care arrangements: virtual school head role extension (DfE, updated March 2024)',
  admissionsCode: 'School Admissions Code (DfE, September 2021)',
  pupilInformationRegulations: 'The Education (Pupil Information) (England) Regulations 2005',
  schoolCensus: 'School census guide (DfE)',
  equalityAct: 'Equality Act 2010 and Children and Families Act 2014',
} as const;
export type StatutoryDocument = keyof typeof STATUTORY_DOCUMENTS;

const statute = (document: StatutoryDocument, paragraph: string, summary: string): Citation => ({ kind: 'statute', document: STATUTORY_DOCUMENTS[document], paragraph, summary });

/**
 * The statutory base: duties every school in England has, whatever its own policy says. Keys are
 * stable (tests and docs refer to them).
 */
export const STATUTORY = {
  // Who leads
  dslLeads: statute('kcsie', 'Part two and Annex C, the designated safeguarding lead', 'The designated safeguarding lead takes lead responsibility for safeguarding and child protection, including for children who have or have had a social worker, and is the first point of contact for staff with a concern.'),
  dtLeads: statute('designatedTeacher', 'The role of the designated teacher', 'The designated teacher promotes the education of looked-after and previously looked-after children and is the school\'s lead for working with the Virtual School, the child\'s carers and social worker.'),

  // Attendance
  firstDayContact: statute('attendanceGuidance', 'Expectations of schools: first-day calling', 'Schools expect parents to tell them the reason for an absence and contact the parents on the first day of absence where no reason has been given; if absence continues without explanation, further contact is made to make sure the child is safe.'),
  absenceSocialWorker: statute('attendanceGuidance', 'Supporting pupils with a social worker', 'For a pupil with a social worker, the school tells the social worker, and for a looked-after child the Virtual School Head, about unexplained absence and attendance concerns, the same day; absence from education can increase the known safeguarding risks for a child in need, on a child protection plan or looked after (Keeping children safe in education, children absent from education).'),
  cpUnexplainedAbsence: statute('kcsie', 'Children absent from education', 'Unexplained absence can be a vital warning sign of abuse, neglect or exploitation, especially for a child already known to children\'s social care (a child in need, on a child protection plan or looked after): the DSL acts on it the same day.'),
  workWithFamilies: statute('attendanceGuidance', 'Expectations of schools: understanding and removing barriers to attendance', "Where a pupil's attendance is a concern, the school talks to the pupil and their parents to understand what is getting in the way and agrees support with them before anything formal."),
  persistentAbsence: statute('attendanceGuidance', 'Persistent and severe absence', 'A pupil who misses 10% or more of possible sessions is persistently absent; one who misses 50% or more is severely absent and should be a top priority for all partners, including children\'s social care.'),
  tenDaysContinuous: statute('registrationRegulations', 'the duty to notify the local authority (Working together to improve school attendance: "continuous period of 10 school days or more")', 'Schools must tell the local authority about a pupil who has been absent without authorisation for a continuous period of 10 school days or more.'),
  partTimeTimetable: statute('attendanceGuidance', 'Part-time timetables', 'A part-time timetable is only for very exceptional circumstances, in the pupil\'s best interests, never to manage behaviour: agreed with the parents, for the shortest time necessary with a time limit by which the pupil returns full time, and formally reviewed with the pupil and parents; for a pupil with a social worker, the social worker (and for a looked-after child the Virtual School Head) is involved.'),

  // Suspension and permanent exclusion
  claVshAsSoonAsPossible: statute('suspensionGuidance', 'Part Four, factors to consider before a decision: looked-after children', 'Where a looked-after child is likely to be suspended or permanently excluded, the designated teacher should contact the Virtual School Head as soon as possible, to consider what assessment and support could reduce the need for a suspension.'),
  involveEarly: statute('suspensionGuidance', 'Part Four, factors to consider before a decision: pupils with a social worker', 'For a pupil with a social worker at risk of suspension, the headteacher should inform the social worker, the DSL and the pupil\'s parents, to involve them all as early as possible.'),
  informalExclusionUnlawful: statute('suspensionGuidance', 'Part Three, the headteacher\'s power to suspend or permanently exclude', 'Any suspension must be formally recorded; an informal or unofficial exclusion, such as sending a pupil home "to cool off", is unlawful, even with the parents\' agreement.'),
  notifyParents: statute('suspensionGuidance', 'paragraph 63 (notifying parents without delay; in person or by phone first, paragraph 73)', 'The headteacher must notify the parents without delay of the period of a suspension (or that an exclusion is permanent) and the reasons, and in writing of their right to make representations to the governing board and how.'),
  notifyWithoutDelay: statute('exclusionRegulations', 'regulation 5 (pupil referral units: regulation 14; academies: regulation 23), as amended by SI 2022/788', 'Once a suspension or permanent exclusion is decided, the headteacher must, without delay, inform the parents, the local authority, the social worker of a pupil who has one, and the Virtual School Head of a looked-after pupil, of its period and the reasons for it.'),
  fortyFiveDays: statute('suspensionGuidance', 'Part Three, the headteacher\'s power to suspend or permanently exclude', 'A pupil may be suspended for one or more fixed periods, up to a maximum of 45 school days in a single academic year.'),
  governorsReinstatement: statute('exclusionRegulations', 'regulation 6(1) (academies: regulation 24(1))', 'The governing board must consider the reinstatement of a pupil who is permanently excluded, or whose suspensions total more than 15 school days in a term, or who would miss a public examination or national curriculum test, within 15 school days of the notice (before the examination, where reasonably practicable); and, where suspensions total more than 5 school days in a term and the parents make representations, within 50 school days.'),
  daySixSchool: statute('provisionRegulations', 'regulation 3, as amended by SI 2014/3216 regulation 2(2) (the duty: Education and Inspections Act 2006, section 100)', 'The governing board must arrange suitable full-time education from the sixth consecutive school day of a suspension, whether the pupil has been suspended for one period or for more than one fixed period back to back.'),
  daySixLocalAuthority: statute('educationAct1996', 'section 19(3A), with regulation 4 of the 2007 Regulations', 'For a permanently excluded pupil, the local authority must arrange suitable full-time education from the sixth school day of the exclusion.'),
  daySixNotice: statute('provisionRegulations', 'regulation 6, as substituted in 2012', 'The parents are told in writing, without delay and no later than the end of the afternoon session of the first day of the exclusion, where the pupil will receive education from the sixth day.'),
  repeatedSuspension: statute('suspensionGuidance', 'Part One, where suspensions become a regular occurrence', 'Where suspensions are becoming a regular occurrence for a pupil, the school considers whether suspension alone is effective and what other strategies and support, including from outside agencies, could help.'),
  reintegration: statute('suspensionGuidance', 'Reintegration after a suspension', 'The school has a strategy for reintegrating a pupil who returns after a suspension: a reintegration meeting with the pupil and their parents, and the support that will help them succeed.'),
  sendAdjustments: statute('equalityAct', 'reasonable adjustments (Equality Act 2010, section 20) and best endeavours (Children and Families Act 2014, section 66)', 'Schools must make reasonable adjustments for disabled pupils, including in behaviour and suspension processes, and use their best endeavours to make the special educational provision a pupil with SEN needs; it is unlawful to suspend a pupil simply because they have SEN or a disability.'),

  // Admissions, transition and PEPs
  admissionsPriority: statute('admissionsCode', 'paragraph 1.7', 'The highest priority must be given to looked-after children and all previously looked-after children in oversubscription criteria.'),
  cpFileTransfer: statute('kcsie', 'Annex C, the designated safeguarding lead: child protection files', 'When a child leaves, the DSL makes sure their child protection file is transferred to the new school as soon as possible, and within 5 days for an in-year transfer or within the first 5 days of the start of a new term, separately from the main pupil file, by secure transit, with confirmation of receipt.'),
  commonTransferFile: statute('pupilInformationRegulations', 'regulation 9(3)', 'The old school sends the common transfer file and educational record no later than fifteen school days after the pupil ceases to be registered there.'),
  socialWorkerOnJoining: statute('kcsie', 'Part two, children who need a social worker (child in need and child protection plans)', 'The DSL holds and uses information about a child\'s social worker: when a child in need or on a child protection plan joins, the DSL tells their social worker and records the social worker\'s details.'),
  pepOnChangeOfSchool: statute('lookedAfterEducation', 'Personal education plans (with the care planning guidance, volume 2)', 'A looked-after child who changes school has their personal education plan reviewed promptly, within 10 school days, led by the designated teacher with the Virtual School and social worker.'),
  pepOnEnteringCare: statute('carePlanning', 'the personal education plan as part of the care plan', 'A personal education plan is started when a child comes into care and is in place within 20 school days of their entering care, led by the designated teacher with the social worker and Virtual School.'),
  pepTermly: statute('lookedAfterEducation', 'Personal education plans (the PEP is reviewed each term)', 'The personal education plan of a looked-after child is reviewed every term.'),
  sdqAnnual: statute('lookedAfterHealth', 'Strengths and Difficulties Questionnaire', 'The carer of a looked-after child aged 4 to 16 completes a Strengths and Difficulties Questionnaire every year, and the designated teacher may be asked to contribute.'),
  ppPlusDeclaration: statute('schoolCensus', 'Pupil Premium Plus for previously looked-after children', 'Previously looked-after children attract Pupil Premium Plus when their parents declare the status to the school, with evidence such as the adoption, special guardianship or child arrangements order, in time for the January school census.'),
  vshAdviceToParents: statute('lookedAfterEducation', 'Previously looked-after children', 'The Virtual School Head of the authority where a previously looked-after child is educated provides advice and information to the child\'s parents and to the school.'),
  childrenWithSocialWorker: statute('vshExtension', 'Defining the cohort of children with a social worker', 'Children with a social worker are those assessed as being in need under section 17 of the Children Act 1989 who have a social worker now, and those who have had one, including all children on a child in need or child protection plan, aged 0 to 18.'),
} as const satisfies Record<string, Citation>;
export type StatutoryKey = keyof typeof STATUTORY;
