import { odata, TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { exclusionsContactSchema, schoolIdSchema, virtualSchoolSchema } from '../policy/schoolProfile';
import { packJson, unpackJson } from './jsonEntity';
import { statusOf } from './tableStore';

/**
 * A trust: several schools in one deployment and one tenant. Its administrators may set up and
 * change any of its schools; the Virtual School contacts it holds are shared by all of them (a
 * school's own entry for an authority wins). Kept in the schools table, partition "trust".
 */
export const trustSchema = z.object({
  id: schoolIdSchema,
  name: z.string().trim().min(1).max(120),
  tenantId: z.string().trim().min(1).max(64),
  admins: z.array(z.object({ aadObjectId: z.string().trim().min(1).max(64), name: z.string().trim().min(1).max(120), email: z.email().max(254).optional() })).min(1, 'a trust needs at least one administrator'),
  virtualSchools: z.array(virtualSchoolSchema).default([]),
  exclusionsContact: exclusionsContactSchema.optional(),
});
export type Trust = z.infer<typeof trustSchema>;

const PARTITION = 'trust';

export class TrustRepository {
  constructor(private readonly table: TableClient) {}

  async get(id: string): Promise<Trust | undefined> {
    try {
      return trustSchema.parse(unpackJson(await this.table.getEntity<Record<string, unknown>>(PARTITION, id)));
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw err;
    }
  }

  async list(): Promise<Trust[]> {
    const out: Trust[] = [];
    for await (const entity of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`PartitionKey eq ${PARTITION}` } })) {
      if (entity.partitionKey === PARTITION) out.push(trustSchema.parse(unpackJson(entity)));
    }
    return out;
  }

  async save(trust: Trust): Promise<void> {
    const valid = trustSchema.parse(trust);
    await this.table.upsertEntity({ partitionKey: PARTITION, rowKey: valid.id, tenantId: valid.tenantId, ...packJson(`trust ${valid.id}`, valid) }, 'Replace');
  }
}
