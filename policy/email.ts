import { SchoolCalendar } from './calendar';
import { ApprovalDecision, CaseRecord, ExternalNotification } from './caseRecord';
import { formatDate, londonDate } from './dates';
import { caseFacts, childFacts, childNamed, factLines } from './emailFacts';
import { askFor, replyLine, sourceLines } from './emailFactsRequest';
import { Pupil } from './pupil';
import { Role } from './roles';
import { Recipient } from './routing/step';
import { SchoolProfile, StaffMember, staffWithRole } from './schoolProfile';
import { plainText } from './plainText';

export interface OutgoingEmail {
  /** The school's mailbox. */
  from: string;
  /** The name the recipient sees as the sender: the school's. */
  fromName?: string;
  to: { name: string; address: string };
  replyTo?: { name: string; address: string };
  subject: string;
  text: string;
}

/** Roles as a recipient outside school knows them (the product's own labels carry abbreviations for staff). */
const ROLE_IN_EMAIL: Partial<Record<Role, string>> = {
  DSL: 'Designated Safeguarding Lead',
  deputyDSL: 'Deputy Designated Safeguarding Lead',
  DT: 'Designated Teacher',
  headteacher: 'Headteacher',
  attendanceLead: 'Attendance Lead',
  SENCO: 'Special Educational Needs Co-ordinator',
};

const WRITING_TO: Partial<Record<Recipient, string>> = {
  virtualSchool: 'the Virtual School',
  socialWorker: "the child's social worker",
  localAuthority: 'the local authority',
};

/** Who the recipient replies to: whoever holds the role that owns the step (a role nobody holds falls to the DSL), with an address. */
function replyContact(profile: SchoolProfile, owner: Role | undefined): { member: StaffMember & { email: string }; role: string } | undefined {
  const withEmail = (role: Role) => staffWithRole(profile, role).find((s): s is StaffMember & { email: string } => Boolean(s.email));
  const own = owner ? withEmail(owner) : undefined;
  if (own && owner) return { member: own, role: ROLE_IN_EMAIL[owner] ?? 'Designated Safeguarding Lead' };
  const dsl = withEmail('DSL');
  return dsl ? { member: dsl, role: 'Designated Safeguarding Lead' } : undefined;
}

/** The decider's role as the recipient should read it: the highest they hold of those who may decide. */
function deciderRole(profile: SchoolProfile, decision: ApprovalDecision): string {
  const roles = profile.staff.find((s) => s.aadObjectId === decision.by.aadObjectId)?.roles ?? [];
  const role = (['DSL', 'deputyDSL', 'headteacher'] as const).find((r) => roles.includes(r));
  return role ? ROLE_IN_EMAIL[role]! : 'Designated Safeguarding Lead';
}

/**
 * The email for one approved external step: who the child is, what has happened (the facts the DSL
 * approved, from the case record), what the school asks, by when and why, and the DSL's note. Only
 * what that recipient needs to act: never the teacher's own words, other children, or the child's
 * statuses beyond what the recipient's role implies. Built from the decision, not the clock, so a
 * retried send says the same.
 */
export function composeEmail(n: ExternalNotification, record: CaseRecord, pupil: Pupil | undefined, profile: SchoolProfile, decision: ApprovalDecision | undefined): OutgoingEmail {
  if (!n.to.email) throw new Error(`notification ${n.id} has no email address`);
  const step = record.plan.steps.find((s) => s.id === n.stepIds[0]);
  const calendar = new SchoolCalendar(profile.calendar);
  const note = decision?.note?.trim() ? decision.note.trim() : undefined;
  const child = childNamed(pupil, record.subject);
  const ask = askFor({
    step,
    record,
    recipient: n.to.recipient,
    givenName: child?.givenName,
    calendar,
    sendDay: decision ? londonDate(new Date(decision.at)) : record.raisedOn,
    hasNote: note !== undefined,
  });
  const contact = replyContact(profile, step?.owner);
  // A declined case still sends the notifications the law requires; they were not approved, so the email does not say they were.
  const approvedBy = decision && decision.outcome !== 'declined' ? `${decision.by.name}, ${deciderRole(profile, decision)}` : undefined;
  const sources = sourceLines(step);

  const lines = [
    `Dear ${n.to.name},`,
    '',
    `This email is from ${profile.name}, to you as ${WRITING_TO[n.to.recipient] ?? 'a professional working with the child'}.`,
    '',
    'The child',
    ...factLines(childFacts(child)),
    '',
    'What has happened',
    ...factLines(caseFacts(record, n.to.recipient, calendar)),
    '',
    'Why we are writing',
    ask.request,
    '',
    replyLine(ask.reply),
    ...(note && decision ? ['', `A note from ${decision.by.name}, our ${deciderRole(profile, decision)}:`, note] : []),
    ...(sources.length > 0 ? ['', 'The policy and law behind this', ...sources] : []),
    '',
    contact ? `Please reply to ${contact.member.name} (${contact.role}), ${contact.member.email}.` : 'Please reply to this email.',
    `Our reference: ${record.ref}`,
    '',
    '-- ',
    profile.name,
    ...(approvedBy && decision ? [`Sent with the approval of ${approvedBy}, on ${formatDate(londonDate(new Date(decision.at)))}.`] : []),
    'This email contains personal information about a child. Keep it secure and share it only with those who need it.',
  ];
  const replyBy = ask.reply.kind === 'by' ? ` – please reply by ${formatDate(ask.reply.date)}` : '';
  return {
    from: profile.senderMailbox ?? `safeguarding@${profile.id}.example.org`,
    fromName: profile.name,
    to: { name: n.to.name, address: n.to.email },
    ...(contact ? { replyTo: { name: contact.member.name, address: contact.member.email } } : {}),
    subject: `${profile.name}: ${ask.topic}${replyBy} – ref ${record.ref}`,
    // Names from the register and the DSL's note are typed text: plain, whatever was pasted in.
    text: plainText(lines.join('\n')),
  };
}
