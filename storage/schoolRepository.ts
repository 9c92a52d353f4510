import { odata, TableClient } from '@azure/data-tables';
import { loadSchoolProfile, SchoolProfile } from '../policy/schoolProfile';
import { packJson, unpackJson } from './jsonEntity';
import { statusOf } from './tableStore';

const PARTITION = 'school';

/** School profiles, one row each. Every read is validated: a damaged profile is refused, never half-used. */
export class SchoolRepository {
  constructor(private readonly table: TableClient) {}

  async get(id: string): Promise<SchoolProfile | undefined> {
    try {
      const entity = await this.table.getEntity<Record<string, unknown>>(PARTITION, id);
      return loadSchoolProfile(unpackJson(entity));
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw err;
    }
  }

  async list(): Promise<SchoolProfile[]> {
    const out: SchoolProfile[] = [];
    const rows = this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`PartitionKey eq ${PARTITION}` } });
    for await (const entity of rows) if (entity.partitionKey === PARTITION) out.push(loadSchoolProfile(unpackJson(entity)));
    return out;
  }

  /** Whether a stored profile, readable or not, is marked synthetic (the demo school, test fixtures). */
  async isSyntheticRow(id: string): Promise<boolean> {
    try {
      const row = unpackJson(await this.table.getEntity<Record<string, unknown>>(PARTITION, id));
      return typeof row === 'object' && row !== null && (row as { synthetic?: unknown }).synthetic === true;
    } catch (err) {
      if (statusOf(err) === 404) return false;
      throw err;
    }
  }

  async isEmpty(): Promise<boolean> {
    const page = await this.table
      .listEntities({ queryOptions: { filter: odata`PartitionKey eq ${PARTITION}`, select: ['RowKey'] } })
      .byPage({ maxPageSize: 1 })
      .next();
    return page.done === true || page.value.length === 0;
  }

  /** A profile with the ETag it was read with, for a change that must not overwrite another's. */
  async getWithEtag(id: string): Promise<{ profile: SchoolProfile; etag: string } | undefined> {
    try {
      const entity = await this.table.getEntity<Record<string, unknown>>(PARTITION, id);
      return { profile: loadSchoolProfile(unpackJson(entity)), etag: String(entity.etag) };
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw err;
    }
  }

  /**
   * Saves a change made to a profile read with `etag` (412 if someone changed it since), or creates
   * a new one (409 if it exists by then). Two heads changing roles at once cannot lose either change.
   */
  async saveIf(profile: SchoolProfile, etag: string | undefined): Promise<void> {
    const valid = loadSchoolProfile(profile);
    const entity = { partitionKey: PARTITION, rowKey: valid.id, tenantId: valid.tenantId, ...packJson(`school ${valid.id}`, valid) };
    if (etag === undefined) await this.table.createEntity(entity);
    else await this.table.updateEntity(entity, 'Replace', { etag });
  }

  async save(profile: SchoolProfile): Promise<void> {
    const valid = loadSchoolProfile(profile);
    await this.table.upsertEntity(
      { partitionKey: PARTITION, rowKey: valid.id, tenantId: valid.tenantId, ...packJson(`school ${valid.id}`, valid) },
      'Replace',
    );
  }
}
