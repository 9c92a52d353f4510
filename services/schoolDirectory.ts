import { Role } from '../policy/roles';
import { rolesOf, SchoolProfile, StaffMember } from '../policy/schoolProfile';
import { SchoolRepository } from '../storage/schoolRepository';

export interface Membership {
  school: SchoolProfile;
  roles: Role[];
  /** The staff list's own entry: its name is the one recorded, whatever Teams displays. */
  member: StaffMember;
}

/**
 * Which school, and which roles, a Teams user has. Roles come only from the school profile's staff
 * list, keyed by Entra ID object id and tenant: someone not listed has no school and no role.
 * Profiles change rarely, so they are cached per instance for a short time.
 */
export class SchoolDirectory {
  private cache: { at: number; schools: SchoolProfile[] } | undefined;

  constructor(
    private readonly schools: SchoolRepository,
    private readonly ttlMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  async all(): Promise<SchoolProfile[]> {
    if (!this.cache || this.now() - this.cache.at > this.ttlMs) {
      this.cache = { at: this.now(), schools: await this.schools.list() };
    }
    return this.cache.schools;
  }

  async school(id: string): Promise<SchoolProfile> {
    const found = (await this.all()).find((s) => s.id === id);
    if (!found) throw new Error(`no school profile ${id}`);
    return found;
  }

  invalidate(): void {
    this.cache = undefined;
  }

  async membership(tenantId: string | undefined, aadObjectId: string | undefined): Promise<Membership | undefined> {
    if (!tenantId || !aadObjectId) return undefined;
    const matches = (await this.all()).filter((s) => s.tenantId === tenantId && s.staff.some((m) => m.aadObjectId === aadObjectId));
    // Someone on the staff list of two schools in one trust must be told apart explicitly; until
    // then they get no access rather than the wrong school's children.
    if (matches.length !== 1) return undefined;
    const school = matches[0]!;
    const member = school.staff.find((m) => m.aadObjectId === aadObjectId)!;
    return { school, roles: rolesOf(school, aadObjectId), member };
  }

  async tenants(): Promise<Set<string>> {
    return new Set((await this.all()).map((s) => s.tenantId));
  }
}
