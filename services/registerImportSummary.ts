import { formatIssue } from '../policy/registerCsv';
import { RegisterImportReport } from './registerImporter';

const plural = (n: number, one: string, many: string) => `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;

/** One sentence on what an import did, for the command line and the tab alike. */
export function summariseImport(report: RegisterImportReport): string {
  if (report.outcome === 'refused') {
    return (
      `Nothing was written: ${plural(report.errors.length, 'error', 'errors')} in a file of ${plural(report.total, 'row', 'rows')}. ` +
      'Correct them (in the MIS, then export again) and load the file again; rows without errors were not loaded either, so the register is never half-loaded.'
    );
  }
  const dry = report.outcome === 'dryRun';
  const counts = `${plural(report.total, 'row', 'rows')}: ${report.created} new, ${report.updated} updated, ${report.unchanged} unchanged`;
  const left =
    report.notInFile === 0
      ? ''
      : `; ${plural(report.notInFile, 'pupil on the register is', 'pupils on the register are')} not in this file and ${dry ? 'would be' : report.notInFile === 1 ? 'was' : 'were'} left as they are`;
  return dry ? `Dry run, nothing was written. ${counts}${left}.` : `${counts}${left}.`;
}

/** Every issue, one a line, or the first `limit` and how many more. */
export function listIssues(issues: RegisterImportReport['errors'], limit = 50): string[] {
  const lines = issues.slice(0, limit).map(formatIssue);
  if (issues.length > limit) lines.push(`and ${(issues.length - limit).toLocaleString('en-GB')} more`);
  return lines;
}
