import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { z } from 'zod';
import { loadConfigOrExit } from '../host/config';
import { DigestService } from '../services/digestService';
import { SchoolDirectory } from '../services/schoolDirectory';
import { AttendanceHistoryRepository } from '../storage/attendanceHistoryRepository';
import { CaseRepository } from '../storage/caseRepository';
import { ConversationRefRepository } from '../storage/conversationRefRepository';
import { PepRepository } from '../storage/pepRepository';
import { PupilRepository } from '../storage/pupilRepository';
import { SchoolRepository } from '../storage/schoolRepository';
import { TABLES } from '../storage/tableStore';
import { parseArgs, withSchool } from './cliStore';

/**
 * `npm run digest -- --school <id> --dry-run` prints the digest card's JSON (nothing is posted).
 * Without --dry-run it asks the running bot to post it (POST /api/digest with DIGEST_API_KEY).
 */
const digestAnswer = z.object({ posted: z.boolean(), explanation: z.string().optional() });

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const schoolId = args.get('school');
  if (typeof schoolId !== 'string') {
    process.stderr.write('Usage: npm run digest -- --school <school id> [--dry-run] [--at <ISO date-time>]\n');
    process.exit(2);
  }
  const config = loadConfigOrExit(process.env);
  const at = typeof args.get('at') === 'string' ? new Date(String(args.get('at'))) : new Date();
  if (Number.isNaN(at.getTime())) {
    process.stderr.write('--at must be a date and time, for example 2026-11-30T08:00:00Z\n');
    process.exit(2);
  }

  if (!args.has('dry-run')) {
    const keyFile = path.join(config.dataDir, 'digest.key');
    const key = config.digestApiKey ?? (config.mode === 'local' && existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() : undefined);
    if (!key) {
      process.stderr.write('Posting needs the bot running (npm start) or DIGEST_API_KEY set to the bot\'s key. Use --dry-run to print the card instead.\n');
      process.exit(2);
    }
    const url = process.env.BOT_URL ?? `http://127.0.0.1:${config.port}`;
    const res = await fetch(`${url}/api/digest`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ school: schoolId, dryRun: false }),
    });
    const answer = digestAnswer.safeParse(await res.json().catch(() => undefined));
    if (res.ok && answer.success && answer.data.posted) {
      process.stdout.write(`Posted the digest of ${schoolId} to its leadership channel.\n`);
      process.exit(0);
    }
    if (res.ok && answer.success) {
      process.stdout.write(`Not posted. ${answer.data.explanation ?? 'The bot did not say why.'}\n`);
      process.exit(1);
    }
    process.stderr.write(`The bot answered ${res.status}${res.status === 401 ? ': the digest key is not the bot\'s' : res.status === 404 ? ': it has no school with that id' : ''}.\n`);
    process.exit(1);
  }

  await withSchool(config, schoolId, 1, async (store, school) => {
    const schools = new SchoolRepository(store.client(TABLES.schools));
    const digests = new DigestService({
      cases: new CaseRepository(store.client(TABLES.cases)),
      pupils: new PupilRepository(store.client(TABLES.pupils)),
      peps: new PepRepository(store.client(TABLES.cases)),
      attendanceHistory: new AttendanceHistoryRepository(store.client(TABLES.cases)),
      conversationRefs: new ConversationRefRepository(store.client(TABLES.conversationRefs)),
      directory: new SchoolDirectory(schools),
      sender: { send: async () => undefined, update: async () => undefined },
      logger: pino({ level: 'silent' }),
      // The real time, not --at: a digest asked for another week must not keep today's figures as that week's.
      clock: () => new Date(),
    });
    const { card } = await digests.build(school, at);
    process.stdout.write(`${JSON.stringify(card, null, 2)}\n`);
  });
}

// The storage client keeps connections open: leave explicitly once the work is done.
main()
  .then(() => process.exit(process.exitCode ?? 0))
  .catch((err: unknown) => {
  process.stderr.write(`The digest could not be built: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
