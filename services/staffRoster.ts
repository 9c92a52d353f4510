import { SchoolProfile } from '../policy/schoolProfile';
import { ConversationRef, ConversationRefRepository } from '../storage/conversationRefRepository';
import { StaffRepository } from '../storage/staffRepository';
import { GraphGroupMembers } from '../delivery/graphGroup';
import { TeamRoster } from '../delivery/teamRoster';
import { errorSummary } from '../telemetry/errors';
import { Logger } from '../telemetry/logger';
import { SchoolDirectory } from './schoolDirectory';

export interface RosterSyncResult {
  school: string;
  source: 'team' | 'group';
  joined: number;
  left: number;
}

/**
 * Keeps each school's staff list as Microsoft 365 has it: the members of its staff team (read with
 * the Teams roster API once the app is in that team) or of its staff group (Microsoft Graph). Read
 * in full when the team is chosen and every hour; a member added to or removed from the team is
 * added or removed at once (Teams tells the bot). The people the bot meets in a personal chat are
 * remembered too, so that a role holder named by email in the profile file can be found.
 */
export class StaffRoster {
  constructor(
    private readonly deps: {
      staff: StaffRepository;
      conversationRefs: ConversationRefRepository;
      directory: SchoolDirectory;
      roster?: TeamRoster;
      groups?: GraphGroupMembers;
      logger: Logger;
      clock: () => Date;
    },
  ) {}

  /** Reads a school's team and group in full, and makes the stored staff list match. */
  async sync(school: SchoolProfile): Promise<RosterSyncResult[]> {
    const out: RosterSyncResult[] = [];
    const teamId = school.staffSource?.teamId;
    if (teamId && this.deps.roster) {
      const ref = await this.deps.conversationRefs.findTeam(school.tenantId, teamId);
      if (!ref) {
        this.deps.logger.warn({ event: 'rosterNoTeam', school: school.id }, 'the staff team has no conversation with the app: is the app still in that team?');
      } else {
        const people = await this.deps.roster.members(ref, teamId);
        // An empty answer is a fault somewhere (a team always has an owner), never a reason to remove everyone.
        if (people.length > 0) out.push({ school: school.id, source: 'team', ...(await this.deps.staff.replaceMembers(school.id, 'team', people, this.deps.clock())) });
      }
    }
    const groupId = school.staffSource?.groupId;
    if (groupId && this.deps.groups) {
      const people = await this.deps.groups.members(groupId);
      if (people.length > 0) out.push({ school: school.id, source: 'group', ...(await this.deps.staff.replaceMembers(school.id, 'group', people, this.deps.clock())) });
    }
    for (const r of out) if (r.joined + r.left > 0) this.deps.logger.info({ event: 'rosterSynced', ...r }, 'staff list updated from Microsoft 365');
    this.deps.directory.invalidate(school.id);
    return out;
  }

  /** Teams says people joined a team: if it is a school's staff team, they are staff now. */
  async joined(tenantId: string, teamId: string, ref: ConversationRef, users: ReadonlyArray<{ id: string; aadObjectId?: string }>): Promise<number> {
    const schools = (await this.deps.directory.all()).filter((s) => s.tenantId === tenantId && s.staffSource?.teamId === teamId);
    if (schools.length === 0 || !this.deps.roster) return 0;
    let added = 0;
    for (const user of users) {
      const person = await this.deps.roster.member(ref, user.id).catch((err: unknown) => {
        this.deps.logger.warn({ event: 'rosterMemberUnread', err: errorSummary(err) }, 'could not read a new team member');
        return undefined;
      });
      if (!person) continue;
      for (const school of schools) await this.deps.staff.upsertMember(school.id, 'team', person, this.deps.clock());
      added++;
    }
    for (const school of schools) this.deps.directory.invalidate(school.id);
    return added;
  }

  /** Teams says people left a team: if it is a school's staff team, they are no longer staff. */
  async left(tenantId: string, teamId: string, aadObjectIds: readonly string[]): Promise<number> {
    const schools = (await this.deps.directory.all()).filter((s) => s.tenantId === tenantId && s.staffSource?.teamId === teamId);
    for (const school of schools) {
      for (const id of aadObjectIds) await this.deps.staff.removeMember(school.id, id);
      this.deps.directory.invalidate(school.id);
    }
    return schools.length > 0 ? aadObjectIds.length : 0;
  }

  /** Someone opened a personal chat with the bot: remember who they are (name and work address). */
  async remember(tenantId: string, ref: ConversationRef, userId: string): Promise<void> {
    if (!this.deps.roster) return;
    try {
      const person = await this.deps.roster.member(ref, userId);
      if (person) await this.deps.staff.rememberPerson(tenantId, person);
    } catch (err) {
      // Not knowing someone's address only means their email cannot name them in a profile yet.
      this.deps.logger.info({ event: 'personUnread', err: errorSummary(err) }, 'could not read the new chat member');
    }
  }
}
