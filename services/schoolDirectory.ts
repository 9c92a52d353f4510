import { READ_TOGETHER_SPREAD, SharedCache } from './sharedCache';
import { sameAuthority } from '../policy/localAuthorities';
import { Role } from '../policy/roles';
import { rolesOf, SchoolProfile, StaffMember } from '../policy/schoolProfile';
import { SchoolRepository } from '../storage/schoolRepository';
import { StaffPerson, StaffRepository } from '../storage/staffRepository';
import { TrustRepository } from '../storage/trustRepository';

export interface Membership {
  school: SchoolProfile;
  roles: Role[];
  /** The staff list's own entry (or the roster's): its name is the one recorded, whatever Teams displays. */
  member: StaffMember;
}

/**
 * Which schools, and which roles, a Teams user has. Roles come only from a school profile's list of
 * role holders, keyed by Entra ID object id and tenant; everyone else on the school's staff team (or
 * staff group) roster is "any staff". Someone on neither has no school and no role. Profiles and
 * rosters are cached per instance for at most `ttlMs` (a minute), so a change made on one instance
 * takes effect on every instance within that time, and at once on the one that made it.
 */
export class SchoolDirectory {
  private readonly profiles: SharedCache<'all', SchoolProfile[]>;
  private readonly rosters: SharedCache<string, Map<string, StaffPerson>>;

  constructor(
    private readonly schools: SchoolRepository,
    private readonly ttlMs = 60_000,
    private readonly now: () => number = Date.now,
    private readonly links: { staff?: StaffRepository; trusts?: TrustRepository } = {},
  ) {
    // Kept for the whole ttl (a profile read at the last moment is still fresh at `ttlMs`). The
    // rosters read together at start-up are kept for spread times, so they are not read again together.
    this.profiles = new SharedCache(ttlMs + 1, now);
    this.rosters = new SharedCache(ttlMs + 1, now, 0, { share: READ_TOGETHER_SPREAD });
  }

  async all(): Promise<SchoolProfile[]> {
    return this.profiles.get('all', async () => this.withTrustContacts(await this.schools.list()));
  }

  /** A trust's Virtual School contacts are every one of its schools' too; a school's own entry for an authority wins. */
  private async withTrustContacts(schools: SchoolProfile[]): Promise<SchoolProfile[]> {
    if (!this.links.trusts || !schools.some((s) => s.trustId)) return schools;
    const trusts = new Map((await this.links.trusts.list()).map((t) => [t.id, t]));
    return schools.map((school) => {
      const trust = school.trustId ? trusts.get(school.trustId) : undefined;
      if (!trust || trust.tenantId !== school.tenantId) return school;
      const shared = trust.virtualSchools.filter((v) => !school.virtualSchools.some((own) => sameAuthority(own.localAuthority, v.localAuthority)));
      return shared.length > 0 ? { ...school, virtualSchools: [...school.virtualSchools, ...shared] } : school;
    });
  }

  async school(id: string): Promise<SchoolProfile> {
    const found = (await this.all()).find((s) => s.id === id);
    if (!found) throw new Error(`no school profile ${id}`);
    return found;
  }

  /** Forgets what this instance holds, after it changed a profile or a roster itself. */
  invalidate(schoolId?: string): void {
    this.profiles.invalidate();
    this.rosters.invalidate(schoolId);
  }

  /** Reads a school's staff roster into this instance's cache now, so the first person to ask waits for nothing. */
  async warmRoster(schoolId: string): Promise<void> {
    await this.roster(schoolId);
  }

  private async roster(schoolId: string): Promise<Map<string, StaffPerson>> {
    const staff = this.links.staff;
    if (!staff) return new Map();
    return this.rosters.get(schoolId, async () => new Map((await staff.members(schoolId)).map((m) => [m.aadObjectId, m])));
  }

  /** Every school of the tenant this person is staff of, with their roles in each. */
  async memberships(tenantId: string | undefined, aadObjectId: string | undefined): Promise<Membership[]> {
    if (!tenantId || !aadObjectId) return [];
    const out: Membership[] = [];
    for (const school of (await this.all()).filter((s) => s.tenantId === tenantId)) {
      const listed = school.staff.find((m) => m.aadObjectId === aadObjectId);
      if (listed) {
        out.push({ school, roles: rolesOf(school, aadObjectId), member: listed });
        continue;
      }
      const onRoster = (await this.roster(school.id)).get(aadObjectId);
      if (onRoster) out.push({ school, roles: ['teacher'], member: { aadObjectId, name: onRoster.name, ...(onRoster.email ? { email: onRoster.email } : {}), roles: ['teacher'] } });
    }
    return out;
  }

  /**
   * This person's membership of one school: the one named, or their only one. Someone on the staff
   * of two schools of a trust chooses the school for each concern (the bot asks); until they have,
   * they get no school rather than the wrong school's children.
   */
  async membership(tenantId: string | undefined, aadObjectId: string | undefined, schoolId?: string): Promise<Membership | undefined> {
    const all = await this.memberships(tenantId, aadObjectId);
    if (schoolId !== undefined) return all.find((m) => m.school.id === schoolId);
    return all.length === 1 ? all[0] : undefined;
  }

  async tenants(): Promise<Set<string>> {
    return new Set((await this.all()).map((s) => s.tenantId));
  }
}
