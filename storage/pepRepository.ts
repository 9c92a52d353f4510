import { odata, TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { IsoDate, isoDateSchema } from '../policy/dates';
import { statusOf } from './tableStore';

/**
 * PEP meetings, in each school's partition of the cases table:
 *   pep|{pupilId}|{date}     one row per meeting recorded
 *   pepstatus|{pupilId}      the latest meeting's date: what the digest and reminders read,
 *                            one row per child in care, however long the history
 *   pepreminder|{term}|{pupilId}|{state}  a reminder sent (so it is sent once)
 */
const statusRowSchema = z.object({ pupilId: z.string(), lastPep: isoDateSchema, meetings: z.number().int() });

export class PepRepository {
  constructor(private readonly table: TableClient) {}

  /** Records a meeting and moves the child's latest-PEP date on if this one is newer (ETag, retried). */
  async record(schoolId: string, pupilId: string, date: IsoDate, recordedBy: string, recordedAt: string, note?: string): Promise<void> {
    try {
      await this.table.createEntity({ partitionKey: schoolId, rowKey: `pep|${pupilId}|${date}`, pupilId, date, recordedBy, recordedAt, ...(note ? { note } : {}) });
    } catch (err) {
      if (statusOf(err) !== 409) throw err; // the same meeting recorded twice is one meeting
      return;
    }
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = await this.status(schoolId, pupilId);
      const row = { partitionKey: schoolId, rowKey: `pepstatus|${pupilId}`, pupilId, lastPep: current && current.lastPep > date ? current.lastPep : date, meetings: (current?.meetings ?? 0) + 1 };
      try {
        if (current) await this.table.updateEntity(row, 'Replace', { etag: current.etag });
        else await this.table.createEntity(row);
        return;
      } catch (err) {
        const status = statusOf(err);
        if (status !== 412 && status !== 409) throw err;
      }
    }
  }

  async status(schoolId: string, pupilId: string): Promise<(z.infer<typeof statusRowSchema> & { etag: string }) | undefined> {
    try {
      const row = await this.table.getEntity<Record<string, unknown>>(schoolId, `pepstatus|${pupilId}`);
      return { ...statusRowSchema.parse(row), etag: String(row.etag) };
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw err;
    }
  }

  /** Latest PEP date of every child with one recorded: bounded by the number of children, not meetings. */
  async latestByPupil(schoolId: string): Promise<Map<string, IsoDate>> {
    const out = new Map<string, IsoDate>();
    const rows = this.table.listEntities<Record<string, unknown>>({
      queryOptions: { filter: odata`PartitionKey eq ${schoolId} and RowKey ge ${'pepstatus|'} and RowKey lt ${'pepstatus|\uffff'}` },
    });
    for await (const row of rows) {
      if (row.partitionKey !== schoolId || typeof row.rowKey !== 'string' || !row.rowKey.startsWith('pepstatus|')) continue;
      const parsed = statusRowSchema.safeParse(row);
      if (parsed.success) out.set(parsed.data.pupilId, parsed.data.lastPep);
    }
    return out;
  }

  /** Meetings recorded in a date range, for the governors' report (one child's range per call). */
  async meetings(schoolId: string, pupilId: string): Promise<IsoDate[]> {
    const out: IsoDate[] = [];
    const prefix = `pep|${pupilId}|`;
    const rows = this.table.listEntities<Record<string, unknown>>({
      queryOptions: { filter: odata`PartitionKey eq ${schoolId} and RowKey ge ${prefix} and RowKey lt ${`${prefix}\uffff`}` },
    });
    for await (const row of rows) {
      if (row.partitionKey === schoolId && typeof row.rowKey === 'string' && row.rowKey.startsWith(prefix)) out.push(String(row.date) as IsoDate);
    }
    return out.sort();
  }

  /** Claims the right to send one reminder (create-only): false if it was already sent. */
  async claimReminder(schoolId: string, term: string, pupilId: string, state: string): Promise<boolean> {
    try {
      await this.table.createEntity({ partitionKey: schoolId, rowKey: `pepreminder|${term}|${pupilId}|${state}`, pupilId });
      return true;
    } catch (err) {
      if (statusOf(err) === 409) return false;
      throw err;
    }
  }

  async releaseReminder(schoolId: string, term: string, pupilId: string, state: string): Promise<void> {
    await this.table.deleteEntity(schoolId, `pepreminder|${term}|${pupilId}|${state}`).catch(() => undefined);
  }
}
