import { odata, TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { statusOf } from './tableStore';

/**
 * Who is on a school's staff, as Microsoft 365 says: the members of its staff team (the Teams
 * roster) or of its staff group (Entra ID), one row each in the school's partition
 * (`member|{aadObjectId}`); and, per tenant, the people the bot has met in a personal chat
 * (`person|{aadObjectId}` in partition `tenant|{tenantId}`), so a role holder named by email can be
 * found without anyone typing an object id. Names and work addresses only.
 */
export interface StaffPerson {
  aadObjectId: string;
  name: string;
  /** Work email (or sign-in name when Teams gives no email). */
  email?: string;
}

export type StaffSourceKind = 'team' | 'group';

const row = z.object({ rowKey: z.string(), name: z.string(), email: z.string().optional(), source: z.enum(['team', 'group']).optional() }).loose();

const tenantPartition = (tenantId: string) => `tenant|${tenantId}`;

export class StaffRepository {
  constructor(private readonly table: TableClient) {}

  /** The school's staff as last read from its team or group. */
  async members(schoolId: string): Promise<Array<StaffPerson & { source: StaffSourceKind }>> {
    const out: Array<StaffPerson & { source: StaffSourceKind }> = [];
    const upper = 'member|\uffff';
    for await (const entity of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`PartitionKey eq ${schoolId} and RowKey ge ${'member|'} and RowKey lt ${upper}` } })) {
      const r = row.safeParse(entity);
      if (!r.success || entity.partitionKey !== schoolId) continue;
      out.push({ aadObjectId: r.data.rowKey.slice('member|'.length), name: r.data.name, ...(r.data.email ? { email: r.data.email } : {}), source: r.data.source ?? 'team' });
    }
    return out;
  }

  /**
   * Makes the stored members of one source exactly `people`: adds and updates what is there,
   * removes who has left. Returns how many joined and left.
   */
  async replaceMembers(schoolId: string, source: StaffSourceKind, people: readonly StaffPerson[], at: Date): Promise<{ joined: number; left: number }> {
    const current = (await this.members(schoolId)).filter((m) => m.source === source);
    const wanted = new Map(people.map((p) => [p.aadObjectId, p]));
    let joined = 0;
    for (const person of people) {
      const was = current.find((c) => c.aadObjectId === person.aadObjectId);
      if (!was) joined++;
      if (!was || was.name !== person.name || was.email !== person.email) await this.upsertMember(schoolId, source, person, at);
    }
    let left = 0;
    for (const gone of current.filter((c) => !wanted.has(c.aadObjectId))) {
      await this.removeMember(schoolId, gone.aadObjectId);
      left++;
    }
    return { joined, left };
  }

  async upsertMember(schoolId: string, source: StaffSourceKind, person: StaffPerson, at: Date): Promise<void> {
    await this.table.upsertEntity(
      { partitionKey: schoolId, rowKey: `member|${person.aadObjectId}`, name: person.name, ...(person.email ? { email: person.email } : {}), source, syncedAt: at.toISOString() },
      'Replace',
    );
  }

  async removeMember(schoolId: string, aadObjectId: string): Promise<void> {
    try {
      await this.table.deleteEntity(schoolId, `member|${aadObjectId}`);
    } catch (err) {
      if (statusOf(err) !== 404) throw err;
    }
  }

  /** Someone the bot has met in a personal chat (their name and address from Teams). */
  async rememberPerson(tenantId: string, person: StaffPerson): Promise<void> {
    await this.table.upsertEntity({ partitionKey: tenantPartition(tenantId), rowKey: `person|${person.aadObjectId}`, name: person.name, ...(person.email ? { email: person.email } : {}) }, 'Replace');
  }

  /** People of the tenant the bot has met, and members of any of its schools' staff. */
  async known(tenantId: string, schoolIds: readonly string[]): Promise<StaffPerson[]> {
    const out = new Map<string, StaffPerson>();
    for (const id of schoolIds) for (const m of await this.members(id)) out.set(m.aadObjectId, { aadObjectId: m.aadObjectId, name: m.name, ...(m.email ? { email: m.email } : {}) });
    const partition = tenantPartition(tenantId);
    for await (const entity of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`PartitionKey eq ${partition}` } })) {
      const r = row.safeParse(entity);
      if (!r.success || entity.partitionKey !== partition || !r.data.rowKey.startsWith('person|')) continue;
      const aadObjectId = r.data.rowKey.slice('person|'.length);
      if (!out.has(aadObjectId)) out.set(aadObjectId, { aadObjectId, name: r.data.name, ...(r.data.email ? { email: r.data.email } : {}) });
    }
    return [...out.values()];
  }
}
