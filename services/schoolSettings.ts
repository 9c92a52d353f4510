import { Role, ROLE_LABEL } from '../policy/roles';
import { SchoolProfile, StaffMember, VirtualSchool } from '../policy/schoolProfile';
import { RecordAuditRepository } from '../storage/recordAuditRepository';
import { SchoolRepository } from '../storage/schoolRepository';
import { statusOf } from '../storage/tableStore';
import { TrustRepository } from '../storage/trustRepository';
import { SchoolDirectory } from './schoolDirectory';

/** Who may change a school's settings in Teams or the tab: its DSL and headteacher (and its trust's administrators). */
export const SETTINGS_ROLES: ReadonlySet<Role> = new Set(['DSL', 'headteacher']);

/** Roles one person holds at a time: giving one to someone takes it from whoever had it. */
export const SINGLE_HOLDER_ROLES: ReadonlySet<Role> = new Set(['DSL', 'DT', 'headteacher', 'SENCO', 'attendanceLead']);

/** Roles given and taken in Teams or the tab ("any staff" comes from the staff team, not from here). */
export const ASSIGNABLE_ROLES: readonly Role[] = ['DSL', 'deputyDSL', 'DT', 'headteacher', 'SENCO', 'attendanceLead', 'SLT', 'governor'];

export class SettingsRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SettingsRefusedError';
  }
}

export interface SettingsActor {
  aadObjectId: string;
  name: string;
}

export interface Person {
  aadObjectId: string;
  name: string;
  email?: string;
}

export interface RoleChange {
  role: Role;
  person: Person;
  /** Give the role to the person, or take it from them. */
  give: boolean;
}

export interface RoleChangeOutcome {
  profile: SchoolProfile;
  /** "Adele Vance is now the Designated Teacher (was Megan Bowen)". */
  summary: string;
  /** Who held the role before and no longer does. */
  replaced: StaffMember[];
  /** Whether anything changed (giving a role to its holder changes nothing). */
  changed: boolean;
}

/**
 * Changes to a school's settings made in Teams or the dashboard: roles, the digest channel, the
 * staff team, a Virtual School's contact. Each is allowed only to the school's DSL or headteacher
 * (or its trust's administrators), written with the profile's ETag (a change made meanwhile is
 * re-read and kept, never overwritten), recorded in the school's audit trail, and told to the people
 * it concerns. This instance sees it at once; the others within their cache time (a minute).
 */
export class SchoolSettings {
  constructor(
    private readonly deps: {
      schools: SchoolRepository;
      audit: RecordAuditRepository;
      directory: SchoolDirectory;
      trusts?: TrustRepository;
      clock: () => Date;
      /** A short message to someone in their personal chat with the bot; false if they have not installed it. */
      tell?: (tenantId: string, aadObjectId: string, text: string) => Promise<boolean>;
    },
  ) {}

  /** Whether this person may change this school's settings. */
  async mayChange(school: SchoolProfile, aadObjectId: string): Promise<boolean> {
    const holder = school.staff.find((s) => s.aadObjectId === aadObjectId);
    if (holder && holder.roles.some((r) => SETTINGS_ROLES.has(r))) return true;
    if (!school.trustId || !this.deps.trusts) return false;
    const trust = await this.deps.trusts.get(school.trustId);
    return trust !== undefined && trust.tenantId === school.tenantId && trust.admins.some((a) => a.aadObjectId === aadObjectId);
  }

  async changeRole(schoolId: string, actor: SettingsActor, change: RoleChange): Promise<RoleChangeOutcome> {
    const label = ROLE_LABEL[change.role];
    let replaced: StaffMember[] = [];
    let changed = false;
    const profile = await this.update(schoolId, actor, (p) => {
      // Run again on what is stored now if someone else changed the profile meanwhile.
      replaced = [];
      changed = false;
      const staff = p.staff.map((s) => ({ ...s, roles: [...s.roles] }));
      const target = staff.find((s) => s.aadObjectId === change.person.aadObjectId);
      if (change.give) {
        if (target?.roles.includes(change.role)) return undefined;
        replaced = SINGLE_HOLDER_ROLES.has(change.role) ? staff.filter((s) => s.roles.includes(change.role) && s.aadObjectId !== change.person.aadObjectId) : [];
        for (const s of replaced) s.roles = s.roles.filter((r) => r !== change.role);
        if (target) target.roles.push(change.role);
        else staff.push({ aadObjectId: change.person.aadObjectId, name: change.person.name, ...(change.person.email ? { email: change.person.email } : {}), roles: [change.role] });
      } else {
        if (!target?.roles.includes(change.role)) return undefined;
        if (change.role === 'DSL' && staff.filter((s) => s.roles.includes('DSL')).length === 1) {
          throw new SettingsRefusedError(`${target.name} is the only DSL, and a school always has one: give the role to someone else (that replaces ${target.name}).`);
        }
        target.roles = target.roles.filter((r) => r !== change.role);
      }
      changed = true;
      // Someone left with no role is "any staff" through the staff team: not listed by name any more.
      return { ...p, staff: staff.filter((s) => s.roles.length > 0) };
    }, () => ({
      action: change.give ? 'roleGiven' : 'roleTaken',
      detail: { role: change.role, person: change.person.name, personId: change.person.aadObjectId, ...(replaced.length > 0 ? { replaced: replaced.map((r) => r.name).join(', ') } : {}) },
    }));
    const summary = !changed
      ? change.give
        ? `${change.person.name} is already the ${label}: nothing changed.`
        : `${change.person.name} is not the ${label}: nothing changed.`
      : change.give
        ? `${change.person.name} is now ${article(change.role)}${label}${replaced.length > 0 ? ` (was ${replaced.map((r) => r.name).join(' and ')})` : ''}.`
        : `${change.person.name} is no longer ${article(change.role)}${label}.`;
    if (changed) {
      const by = `${actor.name}`;
      await this.tell(profile, change.person.aadObjectId, change.give ? `${by} made you ${article(change.role)}${label} at ${profile.name}.` : `${by} took the ${label} role from you at ${profile.name}.`);
      for (const r of replaced) await this.tell(profile, r.aadObjectId, `${by} made ${change.person.name} the ${label} at ${profile.name}, in your place.`);
    }
    return { profile, summary, replaced, changed };
  }

  /** The leadership channel the weekly digest goes to (chosen from the card the app posts in a channel). */
  async setDigestChannel(schoolId: string, actor: SettingsActor, channel: { conversationId: string; name?: string }): Promise<SchoolProfile> {
    return this.update(
      schoolId,
      actor,
      (p) => (p.digest.channelConversationId === channel.conversationId ? undefined : { ...p, digest: { ...p.digest, channelConversationId: channel.conversationId } }),
      () => ({ action: 'digestChannelSet', detail: { channel: channel.name ?? 'a channel' } }),
    );
  }

  /** The team whose members are the school's staff (chosen from the same card). */
  async setStaffTeam(schoolId: string, actor: SettingsActor, team: { teamId: string; name?: string }): Promise<SchoolProfile> {
    return this.update(
      schoolId,
      actor,
      (p) => (p.staffSource?.teamId === team.teamId ? undefined : { ...p, staffSource: { ...p.staffSource, teamId: team.teamId, ...(team.name ? { teamName: team.name } : {}) } }),
      () => ({ action: 'staffTeamSet', detail: { team: team.name ?? 'a team' } }),
    );
  }

  /** A Virtual School's contact, asked of the DSL when a child is placed by an authority the school had none for. */
  async saveVirtualSchool(schoolId: string, actor: SettingsActor, vs: VirtualSchool): Promise<SchoolProfile> {
    return this.update(
      schoolId,
      actor,
      (p) => {
        const others = p.virtualSchools.filter((v) => v.localAuthority.toUpperCase() !== vs.localAuthority.toUpperCase());
        const same = p.virtualSchools.find((v) => v.localAuthority.toUpperCase() === vs.localAuthority.toUpperCase());
        if (same && JSON.stringify(same) === JSON.stringify(vs)) return undefined;
        return { ...p, virtualSchools: [...others, vs] };
      },
      () => ({ action: 'virtualSchoolSaved', detail: { localAuthority: vs.localAuthority, email: vs.email } }),
    );
  }

  /**
   * Reads, changes and writes a profile with its ETag; on 412 (changed meanwhile) it reads again and
   * re-applies the change to what is there now. `mutate` returning undefined means nothing to do.
   */
  private async update(
    schoolId: string,
    actor: SettingsActor,
    mutate: (p: SchoolProfile) => SchoolProfile | undefined,
    audit: () => { action: string; detail: Record<string, string | number | boolean> },
  ): Promise<SchoolProfile> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.deps.schools.getWithEtag(schoolId);
      if (!current) throw new SettingsRefusedError(`No school with the id ${schoolId}.`);
      if (!(await this.mayChange(current.profile, actor.aadObjectId))) {
        throw new SettingsRefusedError(`Only ${current.profile.name}'s DSL or headteacher can change its settings.`);
      }
      const next = mutate(current.profile);
      if (!next) return current.profile;
      try {
        await this.deps.schools.saveIf(next, current.etag);
      } catch (err) {
        if (statusOf(err) === 412 && attempt < 5) continue;
        throw err;
      }
      const entry = audit();
      await this.deps.audit.recordSettingsChange(schoolId, { at: this.deps.clock().toISOString(), actor, action: entry.action, detail: entry.detail });
      this.deps.directory.invalidate(schoolId);
      return next;
    }
  }

  private async tell(profile: SchoolProfile, aadObjectId: string, text: string): Promise<void> {
    await this.deps.tell?.(profile.tenantId, aadObjectId, text).catch(() => false);
  }
}

function article(role: Role): string {
  return ['deputyDSL', 'SLT', 'governor'].includes(role) ? (role === 'SLT' ? 'a member of the ' : 'a ') : 'the ';
}
