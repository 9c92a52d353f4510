import path from 'node:path';
import { loadConfigOrExit } from '../host/config';
import { BackupError, exportSchool } from '../storage/schoolBackup';
import { RecordAuditRepository } from '../storage/recordAuditRepository';
import { CaseRepository } from '../storage/caseRepository';
import { TABLES } from '../storage/tableStore';
import { parseArgs, withSchool } from './cliStore';
import { keepPrivate, writePrivateFile } from './privateFiles';

/**
 * `npm run export -- --school <id> [--out <file>]`: writes the school's tables to one file (owner-
 * only: it holds every child's record). The export is itself recorded in the school's audit trail
 * first, and the chain head it ends on is printed: keep it with the file, and give it to
 * `npm run restore -- --expect-head` to prove the file is the one exported.
 */
async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const schoolId = args.get('school');
  const out = args.get('out');
  if (typeof schoolId !== 'string' || (out !== undefined && typeof out !== 'string')) {
    process.stderr.write('Usage: npm run export -- --school <school id> [--out <file>]\n');
    process.exit(2);
  }
  const config = loadConfigOrExit(process.env);
  await withSchool(config, schoolId, 2, async (store) => {
    const now = new Date();
    const cases = new CaseRepository(store.client(TABLES.cases));
    await new RecordAuditRepository(store.client(TABLES.cases), cases.chain).recordRegisterChange(schoolId, {
      at: now.toISOString(),
      actor: { aadObjectId: 'cli', name: process.env.USER ?? 'command line' },
      action: 'exported',
      detail: { by: 'npm run export' },
    });
    const backup = await exportSchool(store, schoolId, now);
    const file = path.resolve(out ?? `${schoolId}-${now.toISOString().slice(0, 10)}.swbackup.json`);
    keepPrivate();
    writePrivateFile(file, JSON.stringify(backup));
    const rows = Object.values(backup.rows).reduce((n, r) => n + r.length, 0);
    process.stdout.write(
      `Exported ${schoolId}: ${rows} rows (${backup.rows.pupils.length} children on the register, audit trail of ${backup.chainHead.seq} entries) to ${file}.\n` +
        `Audit chain head: ${backup.chainHead.hash}\nKeep this line with the file; it holds every child's record, so store it as the school's records are stored.\n`,
    );
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`export failed: ${err instanceof BackupError || err instanceof Error ? err.message : String(err)}\n`);
  process.exit(3);
});
