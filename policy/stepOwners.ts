import { Actor } from './caseRecord';
import { Role, ROLE_LABEL } from './roles';
import { RoutingPlan } from './routing/step';
import { staffView } from './views';
import { StaffMember } from './schoolProfile';

/** Short role names for a line on a phone ("Megan Bowen, DSL"). */
const SHORT_ROLE: Record<Role, string> = {
  teacher: 'member of staff',
  DSL: 'DSL',
  deputyDSL: 'deputy DSL',
  DT: 'Designated Teacher',
  headteacher: 'headteacher',
  SENCO: 'SENCO',
  attendanceLead: 'attendance lead',
  SLT: 'SLT',
  governor: 'designated governor',
};

/**
 * The people who hold a role in a school. A role nobody holds falls to the DSL (the policies make
 * the DSL responsible for what is not delegated), so a step always has someone to own it; the same
 * rule decides who gets the card (caseRecord.staffNotifications), the teacher's confirmation and
 * the dashboard's owner column, so they never disagree.
 */
export function holdersOf(profile: { readonly staff: readonly StaffMember[] }, role: Role): StaffMember[] {
  const found = profile.staff.filter((s) => s.roles.includes(role));
  return found.length > 0 ? found : profile.staff.filter((s) => s.roles.includes('DSL'));
}

/** Who owns a step: "any staff" steps belong to whoever raised the concern; the others to the role's holders. */
export function ownersOfStep(profile: { readonly staff: readonly StaffMember[] }, owner: Role, raisedBy: Actor): Array<{ aadObjectId: string; name: string; role: Role }> {
  if (owner === 'teacher') return [{ aadObjectId: raisedBy.aadObjectId, name: raisedBy.name, role: 'teacher' }];
  const holders = holdersOf(profile, owner);
  const role: Role = holders.some((h) => h.roles.includes(owner)) ? owner : 'DSL';
  return holders.map((h) => ({ aadObjectId: h.aadObjectId, name: h.name, role }));
}

/** "Adele Vance, Designated Teacher" (or both names when two people share the role). */
export function ownerLabel(profile: { readonly staff: readonly StaffMember[] }, owner: Role, raisedBy: Actor): string {
  const owners = ownersOfStep(profile, owner, raisedBy);
  if (owners.length === 0) return ROLE_LABEL[owner];
  return `${owners.map((o) => o.name).join(' or ')}, ${SHORT_ROLE[owners[0]!.role]}`;
}

export interface PersonTask {
  what: string;
  when: string;
}

/** One person (or "You") and what falls to them, in deadline order. */
export interface PersonLine {
  /** "You", or "Adele Vance, Designated Teacher". */
  who: string;
  you: boolean;
  tasks: PersonTask[];
}

/**
 * The plan grouped by the person who acts, for the teacher's confirmation and receipt: each person
 * once, "You" first for what falls to the reader. Steps keep their staff wording (need to know: no
 * reason a child qualifies) and their deadline words.
 */
export function planByPerson(plan: RoutingPlan, profile: { readonly staff: readonly StaffMember[] }, raisedBy: Actor, reader: string): PersonLine[] {
  const steps = staffView(plan).steps;
  const lines = new Map<string, PersonLine>();
  for (const s of [...steps].sort((a, b) => a.deadline.localeCompare(b.deadline))) {
    const owners = ownersOfStep(profile, s.owner, raisedBy);
    const you = owners.some((o) => o.aadObjectId === reader);
    const key = you ? 'you' : owners.map((o) => o.aadObjectId).join('|') || s.owner;
    const line = lines.get(key) ?? { who: you ? 'You' : ownerLabel(profile, s.owner, raisedBy), you, tasks: [] };
    const what = namesRecipient(s.what, s.who) ? s.what : `${s.who} · ${s.what}`;
    if (!line.tasks.some((t) => t.what === what && t.when === s.when)) line.tasks.push({ what, when: s.when });
    lines.set(key, line);
  }
  return [...lines.values()].sort((a, b) => Number(b.you) - Number(a.you));
}

/** Whether a step's words already say who is told ("The Virtual School is contacted"), so the label need not be repeated. */
function namesRecipient(what: string, label: string): boolean {
  const core = label.replace(/^the /i, '').replace(/\s*\(.*\)$/, '').toLowerCase();
  return what.toLowerCase().includes(core);
}
