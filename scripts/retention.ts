import { loadConfigOrExit } from '../host/config';
import { RetentionJob } from '../services/retention';
import { isoDateSchema, londonDate } from '../policy/dates';
import { PupilRepository } from '../storage/pupilRepository';
import { RecordAuditRepository } from '../storage/recordAuditRepository';
import { RetentionStore } from '../storage/retentionStore';
import { TABLES } from '../storage/tableStore';
import { parseArgs, withSchool } from './cliStore';

/**
 * `npm run retention -- --school <id> --dry-run` lists the records past the school's retention
 * period (date of birth plus 25 years by default) and what deleting them would remove; without
 * --dry-run it deletes them. `--as-of <date>` (dry runs only) shows what a later date would remove.
 */
async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const schoolId = args.get('school');
  const dryRun = args.has('dry-run');
  const asOf = args.get('as-of');
  if (typeof schoolId !== 'string' || (asOf !== undefined && (typeof asOf !== 'string' || !isoDateSchema.safeParse(asOf).success))) {
    process.stderr.write('Usage: npm run retention -- --school <school id> [--dry-run [--as-of YYYY-MM-DD]]\n');
    process.exit(2);
  }
  if (asOf !== undefined && !dryRun) {
    process.stderr.write('--as-of is for dry runs only: records are deleted on the real date, never early.\n');
    process.exit(2);
  }
  const config = loadConfigOrExit(process.env);
  await withSchool(config, schoolId, 2, async (store, school) => {
    const job = new RetentionJob({
      store: new RetentionStore(store.client(TABLES.cases), store.client(TABLES.pupils)),
      pupils: new PupilRepository(store.client(TABLES.pupils)),
      audit: new RecordAuditRepository(store.client(TABLES.cases)),
      clock: () => new Date(),
    });
    const today = typeof asOf === 'string' ? isoDateSchema.parse(asOf) : londonDate(new Date());
    const report = await job.run(school, today, { dryRun, actor: { aadObjectId: 'cli', name: process.env.USER ?? 'command line' } });
    const verb = dryRun ? 'would be deleted' : 'deleted';
    process.stdout.write(`Retention at ${school.name} (${school.retention.yearsAfterBirth} years after birth), as of ${today}: ${report.items.length === 0 ? 'nothing is due.' : `${report.items.length} record(s) ${verb}.`}\n`);
    for (const i of report.items) {
      process.stdout.write(`  ${i.kind === 'child' ? 'child ' : 'concern'} ${i.id}: kept until ${i.keptUntil}; ${i.rowsRemoved} row(s) ${verb}, ${i.auditEntriesRedacted} audit entr${i.auditEntriesRedacted === 1 ? 'y' : 'ies'} reduced to their place in the chain\n`);
    }
    if (report.auditEntry) process.stdout.write(`Recorded in the audit trail as ${report.auditEntry}.\n`);
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`retention failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(3);
});
