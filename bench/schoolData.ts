import { TableClient, TableTransaction } from '@azure/data-tables';
import { addDays, isoDate } from '../policy/dates';
import { Pupil, pupilSchema } from '../policy/pupil';

/**
 * Synthetic school data at scale for the benchmark and the digest's scale test. Every name is
 * made up from the lists below and every pupil says `synthetic: true`; none is a real child.
 */
export type Row = Record<string, unknown> & { partitionKey: string; rowKey: string };

const GIVEN = ['Ada', 'Bram', 'Cleo', 'Dev', 'Esme', 'Fenn', 'Gwen', 'Hal', 'Ines', 'Jory', 'Kit', 'Lark', 'Mabel', 'Nico', 'Orla', 'Pip', 'Quin', 'Rafe', 'Saffi', 'Tam', 'Una', 'Vaughn', 'Wren', 'Xan', 'Yara', 'Zeb', 'Alys', 'Bo', 'Cass', 'Dot', 'Eben', 'Flo', 'Gil', 'Hettie', 'Ivo', 'Juno', 'Kes', 'Lottie', 'Milo', 'Nell'];
const FAMILY = ['Ashgrove', 'Bramblecote', 'Cinderford', 'Dunmere', 'Elmstead', 'Foxwell', 'Greywater', 'Hollinshead', 'Ivybridge', 'Juniper', 'Kettlewell', 'Larkhill', 'Millbrook', 'Netherby', 'Oakhurst', 'Pebblecombe', 'Quarrington', 'Redmarsh', 'Saltwood', 'Thornbury', 'Underhill', 'Vale', 'Whinfell', 'Yarrowby', 'Ashcombe', 'Birchley', 'Coldwell', 'Deepdale', 'Eastfield', 'Fernhill', 'Goldthorpe', 'Hartwell', 'Ingleby', 'Kirkstall', 'Lowther', 'Marlow', 'Northwood', 'Ormsby', 'Penrose', 'Rookwood', 'Stanwick', 'Tilbury', 'Upwood', 'Westerdale', 'Wickham', 'Yewdale', 'Ambleside', 'Brackley', 'Castleton', 'Dovedale'];

/**
 * Class teachers for the benchmark's concurrent conversations: twenty teachers each in their own
 * personal chat with the bot, as Teams would have them (one person is never in twenty chats with
 * the same bot at once). Synthetic, like everyone else here.
 */
export function benchTeachers(count: number): Array<{ aadObjectId: string; name: string; email: string; roles: ['teacher'] }> {
  return Array.from({ length: count }, (_, i) => {
    const n = String(i + 1).padStart(2, '0');
    return { aadObjectId: `00000000-0000-0000-0000-1000000000${n}`, name: `Bench Teacher ${n} (synthetic)`, email: `bench.teacher${n}@oakfield.example.org`, roles: ['teacher'] };
  });
}

/** Given-name prefixes a member of staff might type into the type-ahead search. */
export const SEARCH_PREFIXES = GIVEN.map((g) => g.slice(0, Math.min(3, g.length)));

/**
 * A school register of `count` synthetic pupils; the first 15% are in the cohort the product is
 * for (children in care, previously in care, with a social worker now or in the past, kinship care).
 */
export function syntheticRegister(schoolId: string, count: number, idPrefix = 'syn'): Pupil[] {
  return Array.from({ length: count }, (_, i) => {
    const cohort = i / count;
    return pupilSchema.parse({
      id: `${idPrefix}-${String(i).padStart(4, '0')}`,
      schoolId,
      givenName: GIVEN[i % GIVEN.length],
      familyName: FAMILY[Math.floor(i / GIVEN.length) % FAMILY.length],
      yearGroup: String((i % 6) + 1),
      dateOfBirth: '2017-01-01',
      statuses:
        cohort < 0.03 ? [{ kind: 'CLA', legalBasis: 's31', placingAuthority: 'HERTS' }] :
        cohort < 0.05 ? [{ kind: 'CPLA', route: 'adoption' }] :
        cohort < 0.10 ? [{ kind: 'CWSW', plan: i % 2 ? 'CP' : 'CIN' }] :
        cohort < 0.135 ? [{ kind: 'CWSW', plan: 'CIN', endedOn: '2023-01-01' }] :
        cohort < 0.15 ? [{ kind: 'KINSHIP', arrangement: 'informal' }] : [],
      attendancePercent: 80 + (i % 20),
      synthetic: true,
    });
  });
}

/**
 * A year of closed history in a school's partition of the cases table, shaped as the app stores
 * it: cases, their finished actions, delivered notifications, audit entries, past suspensions and
 * PEP meetings. `casesPerDay` may be fractional (0.5: a case every other day).
 */
export function yearOfHistory(schoolId: string, options: { from?: string; days?: number; casesPerDay?: number; pupilIds?: readonly string[] } = {}): Row[] {
  const { from = '2025-11-24', days = 300, casesPerDay = 2, pupilIds = ['s1'] } = options;
  const rows: Row[] = [];
  let made = 0;
  for (let d = 0; d < days; d++) {
    const day = addDays(isoDate(from), d);
    const stamp = `${day.replace(/-/g, '')}T100000Z`;
    const due = Math.floor((d + 1) * casesPerDay) - made;
    for (let c = 0; c < due; c++, made++) {
      const caseId = `${stamp}-H${String(d).padStart(3, '0')}${c}X`;
      rows.push({ partitionKey: schoolId, rowKey: `case|${caseId}`, ref: `ATT-H${d}${c}`, caseType: 'attendance', json0: '{}', jsonChunks: 1 });
      for (let s = 0; s < 6; s++) rows.push({ partitionKey: schoolId, rowKey: `action|${caseId}|step.${s}`, status: 'done' });
      for (let a = 0; a < 5; a++) rows.push({ partitionKey: schoolId, rowKey: `audit|${caseId}|00000${a}`, action: 'delivered' });
      for (let n = 0; n < 3; n++) rows.push({ partitionKey: schoolId, rowKey: `outbox|${caseId}.s${n}`, status: 'delivered' });
    }
    if (d % 20 === 0) rows.push({ partitionKey: schoolId, rowKey: `susp|${day}|hs${d}`, caseId: `hs${d}`, pupilId: pupilIds[d % pupilIds.length], days: 3, permanent: false });
    if (d % 5 === 0) {
      const pupilId = pupilIds[(d / 5) % pupilIds.length]!;
      rows.push({ partitionKey: schoolId, rowKey: `pep|${pupilId}|${day}`, pupilId, date: day });
    }
  }
  return rows;
}

/** Writes rows in transactions of 100 (the most one may hold, all in one partition). */
export async function putRows(table: TableClient, rows: readonly Row[]): Promise<void> {
  const byPartition = new Map<string, Row[]>();
  for (const r of rows) {
    const list = byPartition.get(r.partitionKey);
    if (list) list.push(r);
    else byPartition.set(r.partitionKey, [r]);
  }
  for (const partition of byPartition.values()) {
    for (let i = 0; i < partition.length; i += 100) {
      const tx = new TableTransaction();
      for (const r of partition.slice(i, i + 100)) tx.upsertEntity(r, 'Replace');
      await table.submitTransaction(tx.actions);
    }
  }
}
