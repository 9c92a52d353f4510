import { readFileSync, statSync } from 'node:fs';
import { loadConfigOrExit } from '../host/config';
import { RegisterImporter, RegisterImportReport, UnknownSchoolError } from '../services/registerImporter';
import { listIssues, summariseImport } from '../services/registerImportSummary';
import { REGISTER_LIMITS } from '../policy/registerCsv';
import { PupilRepository } from '../storage/pupilRepository';
import { RecordAuditRepository } from '../storage/recordAuditRepository';
import { SchoolRepository } from '../storage/schoolRepository';
import { isStorageUnavailable, TABLES } from '../storage/tableStore';
import { errorSummary } from '../telemetry/errors';
import { cliStore } from './cliStore';
import { createProgressReporter } from './progressBar';

/**
 * `npm run import -- --school <id> [--dry-run] <file.csv>`: loads a school's register from its MIS
 * export (README, "Loading the register"). Exit codes: 0 loaded (or a clean dry run), 1 the file has
 * errors and nothing was written, 2 a usage or configuration problem (unknown school, no such file),
 * 3 storage failed part way (what was written is correct; loading the file again finishes the job).
 */
const USAGE = 'Usage: npm run import -- --school <school id> [--dry-run] <file.csv>\n';

interface ImportArgs {
  schoolId: string;
  file: string;
  dryRun: boolean;
}

/** Its own parsing, not cliStore's parseArgs: that would read the file name as the value of --dry-run. */
function parseImportArgs(argv: readonly string[]): ImportArgs | string {
  let schoolId: string | undefined;
  let dryRun = false;
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--school') {
      schoolId = argv[++i];
      if (schoolId === undefined || schoolId.startsWith('--')) return '--school needs the school id after it';
    } else if (a === '--dry-run') dryRun = true;
    else if (a.startsWith('--')) return `unknown option ${a}`;
    else files.push(a);
  }
  if (!schoolId) return 'which school? Add --school <school id>';
  if (files.length !== 1) return files.length === 0 ? 'which file? Name the CSV file to load' : `one file at a time (got ${files.length})`;
  return { schoolId, file: files[0]!, dryRun };
}

function fail(code: 1 | 2, message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

function readCsvFile(file: string): string {
  let size: number;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) fail(2, `${file} is not a file.`);
    size = stat.size;
  } catch {
    fail(2, `No file at ${file}.`);
  }
  if (size > REGISTER_LIMITS.maxBytes) fail(1, `${file} is larger than ${REGISTER_LIMITS.maxBytes / 1024 / 1024} MB, the most one import takes. Nothing was written.`);
  try {
    // Fatal decoding: a file saved as Windows-1252 "CSV" must be refused, not loaded with garbled names.
    return new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(file));
  } catch {
    fail(1, `${file} is not UTF-8 text: save it from the MIS or Excel as "CSV UTF-8" and try again. Nothing was written.`);
  }
}

async function main(): Promise<void> {
  const args = parseImportArgs(process.argv.slice(2));
  if (typeof args === 'string') fail(2, `${args}\n${USAGE.trimEnd()}`);
  const csv = readCsvFile(args.file);
  const config = loadConfigOrExit(process.env);
  const { store, close } = await cliStore(config);
  try {
    const importer = new RegisterImporter({
      pupils: new PupilRepository(store.client(TABLES.pupils)),
      audit: new RecordAuditRepository(store.client(TABLES.cases)),
      schools: new SchoolRepository(store.client(TABLES.schools)),
      clock: () => new Date(),
    });
    const progress = createProgressReporter(process.stderr, args.dryRun ? 'Checking' : 'Loading');
    const actor = { aadObjectId: 'cli', name: `${process.env.USER ?? process.env.USERNAME ?? 'someone'} (command line)` };
    let report: RegisterImportReport;
    try {
      report = await importer.import(args.schoolId, csv, actor, { dryRun: args.dryRun, onProgress: progress.update });
    } catch (err) {
      // Not fail(): exiting here would skip close(), leaving an Azurite we started running and unsaved.
      if (!(err instanceof UnknownSchoolError)) throw err;
      process.stderr.write(`${err.message} Check the id, or set the school up first: npm run school -- init (README, "Setting up your school").\n`);
      process.exitCode = 2;
      return;
    } finally {
      progress.finish();
    }
    for (const line of listIssues(report.warnings)) process.stderr.write(`Warning: ${line}\n`);
    for (const line of listIssues(report.errors)) process.stderr.write(`${line}\n`);
    process.stdout.write(`${summariseImport(report)}\n`);
    process.exitCode = report.outcome === 'refused' ? 1 : 0;
  } finally {
    await close();
  }
}

// The storage client keeps connections open: leave explicitly once the work is done.
main()
  .then(() => process.exit(process.exitCode ?? 0))
  .catch((err: unknown) => {
    // Only when storage failed part way is loading again the answer; anything else is said as it is.
    const again = isStorageUnavailable(err) ? ' Storage stopped answering part way: what was written is correct, and loading the same file again finishes the job.' : '';
    process.stderr.write(`The register could not be loaded: ${errorSummary(err).message}.${again}\n`);
    process.exit(3);
  });
