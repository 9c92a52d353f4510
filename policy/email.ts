import { ApprovalDecision, CaseRecord, ExternalNotification } from './caseRecord';
import { formatDate } from './dates';
import { fullName, Pupil } from './pupil';
import { RECIPIENT_LABEL } from './routing/step';
import { SchoolProfile, staffWithRole } from './schoolProfile';
import { whenLabel } from './views';
import { plainText } from './plainText';

export interface OutgoingEmail {
  from: string;
  to: { name: string; address: string };
  replyTo?: { name: string; address: string };
  subject: string;
  text: string;
}

/**
 * What each external step asks of its recipient, in their terms. Never the teacher's own words
 * (they may name other children); only these requests, the child's identifiers, and the DSL's note.
 */
function request(stepId: string, record: CaseRecord): string {
  const a = record.answers;
  switch (stepId) {
    case 'attendance.cla.virtualSchool':
    case 'attendance.socialWorker':
      return 'We are concerned about this child\'s attendance or punctuality and would like to agree with you how to support it.';
    case 'attendance.cp.socialWorkerToday':
      return 'This child is absent from school today and we have not been able to find out why. We are telling you today because the child is on a child protection plan.';
    case 'attendance.tenDaysLocalAuthority':
      return `We are notifying you that this child has been absent without authorisation for ${a.caseType === 'attendance' ? (a.consecutiveUnauthorisedDays ?? 10) : 10} consecutive school days.`;
    case 'suspension.cla.virtualSchoolBeforeDecision':
    case 'suspension.cwsw.virtualSchoolBeforeActing':
      return 'This child is at risk of suspension. Before any decision is made, we would like to discuss the rationale with you and the support that could avoid it.';
    case 'suspension.cpla.virtualSchoolAdvice':
      return 'We would welcome your advice on avoiding the exclusion of a previously looked-after child. We have spoken to the child\'s parents or guardians, who know we are contacting you.';
    case 'suspension.socialWorkerEarly':
      return 'This child is at risk of suspension. We would like to involve you early and plan support together before any decision is made.';
    case 'suspension.decided.localAuthority':
    case 'suspension.decided.socialWorker':
    case 'suspension.decided.virtualSchool': {
      const d = a.caseType === 'suspension' ? a.decision : undefined;
      if (!d) return 'We are notifying you that the headteacher has decided on a suspension.';
      return d.kind === 'permanentExclusion'
        ? `We are notifying you that the headteacher has decided to exclude this child permanently, from ${formatDate(d.startDate)}.`
        : `We are notifying you that the headteacher has decided to suspend this child for ${d.days} school day${d.days === 1 ? '' : 's'}, from ${formatDate(d.startDate)}.`;
    }
    case 'admission.cla.virtualSchool':
      return a.caseType === 'admission'
        ? `This child starts at our school on ${formatDate(a.startDate)}. We will hold a personal education plan (PEP) meeting within 10 school days; please let us know the PEP and Pupil Premium Plus arrangements.`
        : 'This child is joining our school.';
    default:
      return 'We would like to discuss this child with you.';
  }
}

const dob = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

/** The email for one approved external step: only what that recipient needs to act. */
export function composeEmail(n: ExternalNotification, record: CaseRecord, pupil: Pupil | undefined, profile: SchoolProfile, decision: ApprovalDecision | undefined): OutgoingEmail {
  if (!n.to.email) throw new Error(`notification ${n.id} has no email address`);
  const step = record.plan.steps.find((s) => s.id === n.stepIds[0]);
  const owner = step ? (staffWithRole(profile, step.owner)[0] ?? staffWithRole(profile, 'DSL')[0]) : staffWithRole(profile, 'DSL')[0];
  const contact = owner?.email ? { name: owner.name, address: owner.email } : undefined;
  const child = pupil ? `${fullName(pupil)}, born ${dob(pupil.dateOfBirth)}, ${pupil.yearGroup === 'R' ? 'Reception' : pupil.yearGroup === 'N' ? 'Nursery' : `Year ${pupil.yearGroup}`}` : 'a child our DSL will identify to you by phone';
  const lines = [
    `Dear ${n.to.name},`,
    '',
    `This is ${profile.name} writing to the ${RECIPIENT_LABEL[n.to.recipient].toLowerCase()} about:`,
    '',
    `  Child: ${child}`,
    '',
    request(n.stepIds[0] ?? '', record),
    ...(step ? ['', `We would like to hear from you ${whenLabel(step.timing, step.deadline, record.plan.today)}.`] : []),
    ...(decision?.note ? ['', `A note from our Designated Safeguarding Lead: ${decision.note}`] : []),
    '',
    contact ? `Please reply to ${contact.name} (${owner!.roles.includes('DT') ? 'Designated Teacher' : 'Designated Safeguarding Lead'}), ${contact.address}.` : 'Please reply to this email.',
    `Our reference: ${record.ref}`,
    '',
    '--',
    `${profile.name}`,
    'This email contains personal information about a child. Keep it secure and share it only with those who need it.',
  ];
  return {
    from: profile.senderMailbox ?? `safeguarding@${profile.id}.example.org`,
    to: { name: n.to.name, address: n.to.email },
    ...(contact ? { replyTo: contact } : {}),
    subject: `${profile.name}: ${record.caseType === 'suspension' ? 'suspension' : record.caseType === 'attendance' ? 'attendance' : 'new admission'} – ref ${record.ref}`,
    // Names from the register and the DSL's note are typed text: plain, whatever was pasted in.
    text: plainText(lines.join('\n')),
  };
}
