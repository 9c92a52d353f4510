import { odata, TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { IsoDate, isoDateSchema } from '../policy/dates';
import { AttendanceWeek } from '../policy/schoolFigures';

/**
 * The register holds each pupil's attendance now, not as it was: to draw attendance over the weeks,
 * each week's group figures are kept, in each school's partition of the cases table:
 *   attendance|{weekOf}   the year's attendance so far for the children covered and the whole
 *                         school, as the register stood that week (averages and group sizes only)
 */
const weekRowSchema = z.object({
  weekOf: isoDateSchema,
  cohortAverage: z.number().min(0).max(100).optional(),
  cohortWithFigures: z.number().int().min(0),
  schoolAverage: z.number().min(0).max(100).optional(),
  schoolWithFigures: z.number().int().min(0),
});

const PREFIX = 'attendance|';

export class AttendanceHistoryRepository {
  constructor(private readonly table: TableClient) {}

  /** Keeps the week's figures, replacing any kept earlier in the same week (the register may have been loaded since). */
  async record(schoolId: string, week: AttendanceWeek, recordedAt: Date): Promise<void> {
    const w = weekRowSchema.parse(week);
    await this.table.upsertEntity(
      {
        partitionKey: schoolId,
        rowKey: `${PREFIX}${w.weekOf}`,
        weekOf: w.weekOf,
        cohortWithFigures: w.cohortWithFigures,
        schoolWithFigures: w.schoolWithFigures,
        ...(w.cohortAverage === undefined ? {} : { cohortAverage: w.cohortAverage }),
        ...(w.schoolAverage === undefined ? {} : { schoolAverage: w.schoolAverage }),
        recordedAt: recordedAt.toISOString(),
      },
      'Replace',
    );
  }

  /** The weeks kept from `from` up to, not including, `before`: one range, as long as the weeks asked for. */
  async weeks(schoolId: string, from: IsoDate, before: IsoDate): Promise<AttendanceWeek[]> {
    const lower = `${PREFIX}${from}`;
    const upper = `${PREFIX}${before}`;
    const out: AttendanceWeek[] = [];
    const rows = this.table.listEntities<Record<string, unknown>>({
      queryOptions: { filter: odata`PartitionKey eq ${schoolId} and RowKey ge ${lower} and RowKey lt ${upper}` },
    });
    for await (const row of rows) {
      // Bounds checked again in code (see CaseRepository.between).
      if (row.partitionKey !== schoolId || typeof row.rowKey !== 'string' || row.rowKey < lower || row.rowKey >= upper) continue;
      const parsed = weekRowSchema.safeParse(row);
      if (parsed.success) out.push(parsed.data);
    }
    return out;
  }
}
