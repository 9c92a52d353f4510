import { odata, TableClient, TableTransaction } from '@azure/data-tables';
import { Pupil, pupilSchema } from '../policy/pupil';
import { packJson, unpackJson } from './jsonEntity';
import { statusOf } from './tableStore';

/** The register: one partition per school, one row per pupil. */
export class PupilRepository {
  constructor(private readonly table: TableClient) {}

  async get(schoolId: string, pupilId: string): Promise<Pupil | undefined> {
    try {
      const entity = await this.table.getEntity<Record<string, unknown>>(schoolId, pupilId);
      return pupilSchema.parse(unpackJson(entity));
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw err;
    }
  }

  async listBySchool(schoolId: string): Promise<Pupil[]> {
    const out: Pupil[] = [];
    const rows = this.table.listEntities<Record<string, unknown>>({
      queryOptions: { filter: odata`PartitionKey eq ${schoolId}` },
    });
    for await (const entity of rows) {
      // Checked again in code: one school's register must never include another school's child.
      if (entity.partitionKey !== schoolId) continue;
      const parsed = pupilSchema.safeParse(unpackJson(entity));
      if (parsed.success && parsed.data.schoolId === schoolId) out.push(parsed.data);
    }
    return out;
  }

  /** Inserts or replaces pupils of one school, 100 to a transaction (the entity-group limit). */
  async saveAll(schoolId: string, pupils: readonly Pupil[]): Promise<void> {
    for (let i = 0; i < pupils.length; i += 100) {
      const tx = new TableTransaction();
      for (const pupil of pupils.slice(i, i + 100)) {
        if (pupil.schoolId !== schoolId) throw new Error(`pupil ${pupil.id} belongs to ${pupil.schoolId}, not ${schoolId}`);
        tx.upsertEntity({ partitionKey: schoolId, rowKey: pupil.id, ...packJson(`pupil ${pupil.id}`, pupil) }, 'Replace');
      }
      await this.table.submitTransaction(tx.actions);
    }
  }
}
