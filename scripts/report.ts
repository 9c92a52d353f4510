import { chmodSync, mkdirSync } from 'node:fs';
import { keepPrivate, writePrivateFile } from './privateFiles';
import path from 'node:path';
import { loadConfigOrExit } from '../host/config';
import { SchoolCalendar } from '../policy/calendar';
import { londonDate } from '../policy/dates';
import { findTerm, reportCsv } from '../policy/governorsReport';
import { readGovernorsReport } from '../services/governorsReports';
import { CaseRepository } from '../storage/caseRepository';
import { PepRepository } from '../storage/pepRepository';
import { PupilRepository } from '../storage/pupilRepository';
import { TABLES } from '../storage/tableStore';
import { parseArgs, withSchool } from './cliStore';
import { writeReportPdf } from './reportPdf';

/** `npm run report -- --school <id> --term "Autumn 2026" [--out <folder>]`: the termly governors' report, PDF and CSV. */
async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const schoolId = args.get('school');
  const termName = args.get('term');
  if (typeof schoolId !== 'string' || typeof termName !== 'string') {
    process.stderr.write('Usage: npm run report -- --school <school id> --term "<term name, e.g. Autumn 2026>" [--out <folder>]\n');
    process.exit(2);
  }
  const config = loadConfigOrExit(process.env);
  await withSchool(config, schoolId, 1, async (store, school) => {
    const term = findTerm(new SchoolCalendar(school.calendar), termName);
    if (!term) {
      process.stderr.write(`No term called "${termName}". Terms: ${school.calendar.terms.map((t) => t.name).join(', ')}\n`);
      process.exitCode = 1;
      return;
    }
    const cases = store.client(TABLES.cases);
    const report = await readGovernorsReport(
      { pupils: new PupilRepository(store.client(TABLES.pupils)), peps: new PepRepository(cases), cases: new CaseRepository(cases) },
      school,
      term,
      londonDate(new Date()),
    );

    const out = typeof args.get('out') === 'string' ? String(args.get('out')) : path.join(config.dataDir, 'reports');
    // A report about children: readable by its owner only.
    keepPrivate();
    mkdirSync(out, { recursive: true, mode: 0o700 });
    const base = path.join(out, `${school.id}-${term.name.replace(/\W+/g, '-').toLowerCase()}`);
    writePrivateFile(`${base}.csv`, reportCsv(report));
    await writeReportPdf(report, `${base}.pdf`, londonDate(new Date()));
    chmodSync(`${base}.pdf`, 0o600);
    process.stdout.write(`Wrote ${base}.pdf and ${base}.csv\n`);
  });
}

// The storage client keeps connections open: leave explicitly once the work is done.
main()
  .then(() => process.exit(process.exitCode ?? 0))
  .catch((err: unknown) => {
  process.stderr.write(`The report could not be written: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
