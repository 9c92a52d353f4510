import { z } from 'zod';
import { schoolIdSchema, SchoolProfile } from '../../policy/schoolProfile';
import { Membership, SchoolDirectory } from '../../services/schoolDirectory';
import { Trust, TrustRepository } from '../../storage/trustRepository';
import { errorSummary } from '../../telemetry/errors';
import { Logger } from '../../telemetry/logger';
import type { TabResponse } from './tabApi';
import { TabIdentity } from './tabIdentity';

/** One school the caller may choose in the tab. */
export interface SchoolChoice {
  school: SchoolProfile;
  /** Their place on its staff (named in its profile, or on its staff team); absent for a trust administrator who is not on it. */
  membership?: Membership;
  /** The school's trust, when the caller is one of its administrators. */
  adminOf?: Trust;
}

/** Who is calling, with every school they may choose and the one this request is about. */
export interface Caller {
  identity: TabIdentity;
  /** The staff list's own name (or the trust's list of administrators'), which is the one recorded. */
  name: string;
  /** Their schools, by name (then id): the first is shown when none is asked for. */
  schools: SchoolChoice[];
  /** The school this request is about; undefined only for a trust administrator whose trust has no school yet. */
  chosen: SchoolChoice | undefined;
  /** The trusts (of the caller's own tenant) they administer. */
  trusts: Trust[];
}

export const NOT_STAFF: TabResponse = {
  status: 403,
  body: { error: 'You are not on the staff list of a school that uses this app. Ask your DSL to add you.' },
};

export const NOT_YOUR_SCHOOL: TabResponse = {
  status: 403,
  body: { error: 'That school is not one of yours in this app. Choose your school from the list at the top of the dashboard.' },
};

/** The `school` query parameter of a request's query string: absent, a school id, or not one (400). */
export function schoolFromQuery(query: string): { ok: true; school: string | undefined } | { ok: false; response: TabResponse } {
  const raw = new URLSearchParams(query).getAll('school');
  if (raw.length === 0) return { ok: true, school: undefined };
  const parsed = z.array(schoolIdSchema).length(1).safeParse(raw);
  if (!parsed.success) return { ok: false, response: { status: 400, body: { error: 'That is not a school this app knows: choose your school from the list at the top of the dashboard.' } } };
  return { ok: true, school: parsed.data[0] };
}

const byName = (a: SchoolChoice, b: SchoolChoice) => a.school.name.localeCompare(b.school.name, 'en-GB') || a.school.id.localeCompare(b.school.id);

/**
 * Which schools a signed-in person may choose in the tab, and which one a request is about. A
 * person may be on the staff of several schools of a trust, and a trust's administrators may
 * change the settings of every school of their trust. A request names its school (`?school=`);
 * without one, the first school by name is used. A school that is not theirs is refused, never
 * quietly swapped for another: nothing of it is read.
 */
export class TabCallers {
  constructor(private readonly deps: { directory: SchoolDirectory; trusts?: TrustRepository; logger: Logger }) {}

  /** The trusts; a trust that cannot be read gives no one its powers (and the staff's dashboard keeps working). */
  private async allTrusts(): Promise<Trust[]> {
    if (!this.deps.trusts) return [];
    try {
      return await this.deps.trusts.list();
    } catch (err) {
      this.deps.logger.warn({ event: 'tabTrustsUnreadable', err: errorSummary(err) }, 'the trusts could not be read: no trust administrator is recognised');
      return [];
    }
  }

  async resolve(identity: TabIdentity, requested?: string): Promise<Caller | TabResponse> {
    const memberships = await this.deps.directory.memberships(identity.tenantId, identity.aadObjectId);
    const trusts = (await this.allTrusts()).filter((t) => t.tenantId === identity.tenantId && t.admins.some((a) => a.aadObjectId === identity.aadObjectId));
    if (memberships.length === 0 && trusts.length === 0) return NOT_STAFF;
    const choices = new Map<string, SchoolChoice>();
    for (const m of memberships) choices.set(m.school.id, { school: m.school, membership: m });
    if (trusts.length > 0) {
      const administered = new Map(trusts.map((t) => [t.id, t]));
      for (const school of await this.deps.directory.all()) {
        const trust = school.trustId ? administered.get(school.trustId) : undefined;
        if (!trust || school.tenantId !== identity.tenantId) continue;
        choices.set(school.id, { ...(choices.get(school.id) ?? { school }), adminOf: trust });
      }
    }
    const schools = [...choices.values()].sort(byName);
    let chosen: SchoolChoice | undefined = schools[0];
    if (requested !== undefined) {
      chosen = choices.get(requested);
      if (!chosen) {
        this.deps.logger.warn({ event: 'tabSchoolRefused' }, 'the tab was asked about a school that is not the caller’s');
        return NOT_YOUR_SCHOOL;
      }
    }
    const admin = trusts.flatMap((t) => t.admins).find((a) => a.aadObjectId === identity.aadObjectId);
    const name = chosen?.membership?.member.name ?? memberships[0]?.member.name ?? admin?.name ?? identity.displayName;
    return { identity, name, schools, chosen, trusts };
  }
}

/** Whether an answer is the refusal (or error) to send rather than what was asked for. */
export function isResponse<T extends object>(value: T | TabResponse): value is TabResponse {
  return 'status' in value && 'body' in value;
}
