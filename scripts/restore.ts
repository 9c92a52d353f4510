import { readFileSync } from 'node:fs';
import { loadConfigOrExit } from '../host/config';
import { BackupError, checkedBackup, restoreSchool, SchoolBackup } from '../storage/schoolBackup';
import { cliStore, parseArgs } from './cliStore';

/**
 * `npm run restore -- --file <backup> [--expect-head <hash>]`: loads a school's backup into a store
 * that does not hold that school, after checking the file's digest and its audit chain, and checks
 * the chain again as stored. `--expect-head` is the chain head `npm run export` printed: with it, a
 * file rebuilt by someone who recomputed every hash is refused too.
 * Exit 0 restored; 1 refused (nothing written); 2 usage.
 */
async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const file = args.get('file');
  const expectHead = args.get('expect-head');
  if (typeof file !== 'string' || (expectHead !== undefined && typeof expectHead !== 'string')) {
    process.stderr.write('Usage: npm run restore -- --file <backup file> [--expect-head <audit chain head from the export>]\n');
    process.exit(2);
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    process.stderr.write(`Cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'unreadable'}).\n`);
    process.exit(2);
  }
  let backup: SchoolBackup;
  try {
    backup = checkedBackup(text);
    if (expectHead !== undefined && backup.chainHead.hash !== expectHead.trim()) {
      throw new BackupError('The backup ends on a different audit chain head from the one given: it is not the file that was exported. Nothing was restored.');
    }
  } catch (err) {
    if (!(err instanceof BackupError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
  const config = loadConfigOrExit(process.env);
  const { store, close } = await cliStore(config);
  try {
    const result = await restoreSchool(store, backup);
    process.stdout.write(`Restored ${backup.schoolId} (exported ${backup.exportedAt}): ${result.rows} rows written; audit trail intact, ${result.auditEntries} entries checked.\n`);
  } catch (err) {
    if (!(err instanceof BackupError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exitCode = 1;
  } finally {
    await close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`restore failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(3);
});
