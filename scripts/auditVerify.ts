import { loadConfigOrExit } from '../host/config';
import { AuditChain } from '../storage/auditChain';
import { TABLES } from '../storage/tableStore';
import { parseArgs, withSchool } from './cliStore';

/**
 * `npm run audit:verify -- --school <id>`: checks the school's audit hash chain end to end.
 * Exit 0 when intact; 1 naming the first entry that does not fit; 2 for a usage mistake.
 */
async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const schoolId = args.get('school');
  if (typeof schoolId !== 'string') {
    process.stderr.write('Usage: npm run audit:verify -- --school <school id>\n');
    process.exit(2);
  }
  const config = loadConfigOrExit(process.env);
  await withSchool(config, schoolId, 2, async (store) => {
    const report = await new AuditChain(store.client(TABLES.cases)).verify(schoolId);
    if (report.ok) {
      process.stdout.write(`Audit trail of ${schoolId}: intact, ${report.entries} entries checked.\n`);
      return;
    }
    const broken = report.firstBroken!;
    process.stdout.write(
      `Audit trail of ${schoolId}: BROKEN at ${broken.chainSeq !== undefined ? `entry ${broken.chainSeq} ` : ''}(${broken.rowKey}): ${broken.problem}. ${report.entries} entries read.\n`,
    );
    process.exitCode = 1;
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`audit:verify failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(3);
});
