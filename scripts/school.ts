import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfigOrExit } from '../host/config';
import { FileProblem, formatProblem, parseProfileFile, profileFileJsonSchema } from '../policy/profileFile';
import { POLICY_PROFILE_IDS, PolicyProfileId } from '../policy/profiles';
import { schoolIdSchema } from '../policy/schoolProfile';
import { profileTemplate, SCHEMA_FILE, SchoolSetup, trustTemplate } from '../services/schoolSetup';
import { termDatesFromFile } from '../policy/termDates';
import { TrustRepository } from '../storage/trustRepository';
import { parseDocument } from 'yaml';
import { RecordAuditRepository } from '../storage/recordAuditRepository';
import { SchoolRepository } from '../storage/schoolRepository';
import { StaffRepository } from '../storage/staffRepository';
import { TABLES, TableStore } from '../storage/tableStore';
import { cliStore, parseArgs } from './cliStore';
import { CaseRepository } from '../storage/caseRepository';

/**
 * `npm run school -- <command>`: a school set up and kept up to date from its profile file, with no
 * JSON typed by hand (README, "Setting up your school").
 *   init --id <id> --name "<name>" [--tenant <guid>] [--la <code>] [--policy <profile>] [--out <file>]
 *   validate <file>                 checks a file offline; every problem with its line and field
 *   apply <file> [--dry-run]        saves it (shows what changes; the same file twice changes nothing)
 *   export --school <id> [--out <file>]
 *   terms <dates.csv|.ics> (--file <profile> | --school <id>) [--dry-run]
 *                                   term dates from the local authority's file, into a profile file or a school
 *   trust-init --id <id> --name "<name>" [--tenant <guid>] [--out <file>]
 *   trust-apply <file> [--dry-run]  a trust: its administrators and shared Virtual School contacts
 *   schema [--out <file>]           the JSON Schema of the profile file (editors complete and check with it)
 *   list                            the schools in the store
 * Exit codes: 0 done, 1 the file has problems (nothing written), 2 a usage mistake.
 */
const USAGE = `Usage:
  npm run school -- init --id <school id> --name "<school name>" [--tenant <tenant id>] [--la <local authority code>] [--policy ${POLICY_PROFILE_IDS.join('|')}] [--out <file>]
  npm run school -- validate <file>
  npm run school -- apply <file> [--dry-run]
  npm run school -- export --school <school id> [--out <file>]
  npm run school -- terms <term dates .csv or .ics> (--file <profile file> | --school <school id>) [--dry-run]
  npm run school -- trust-init --id <trust id> --name "<trust name>" [--tenant <tenant id>] [--out <file>]
  npm run school -- trust-apply <file> [--dry-run]
  npm run school -- schema [--out <file>]
  npm run school -- list
`;

const ACTOR = { aadObjectId: 'cli', name: `${process.env.USER ?? process.env.USERNAME ?? 'someone'} (command line)` };

function usage(problem?: string): never {
  process.stderr.write(`${problem ? `${problem}\n` : ''}${USAGE}`);
  process.exit(2);
}

function readText(file: string): string {
  if (!existsSync(file)) usage(`No file at ${file}.`);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(file));
  } catch {
    process.stderr.write(`${file} is not UTF-8 text.\n`);
    process.exit(1);
  }
}

/** The JSON Schema beside the file, for the editor to complete and check it. */
function writeSchemaBeside(file: string): void {
  writeFileSync(path.join(path.dirname(path.resolve(file)), SCHEMA_FILE), `${JSON.stringify(profileFileJsonSchema(), null, 2)}\n`);
}

function setupOn(store: TableStore): SchoolSetup {
  const cases = new CaseRepository(store.client(TABLES.cases));
  return new SchoolSetup({
    schools: new SchoolRepository(store.client(TABLES.schools)),
    staff: new StaffRepository(store.client(TABLES.staff)),
    audit: new RecordAuditRepository(store.client(TABLES.cases), cases.chain),
    trusts: new TrustRepository(store.client(TABLES.schools)),
    clock: () => new Date(),
  });
}

function printProblems(file: string, problems: readonly FileProblem[]): void {
  for (const p of problems) process.stderr.write(`${formatProblem(p)}\n`);
  process.stderr.write(`${problems.length} problem${problems.length === 1 ? '' : 's'} in ${file}: nothing was saved.\n`);
  process.exitCode = 1;
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  const args = parseArgs(rest);
  const files = rest.filter((a, i) => !a.startsWith('--') && (i === 0 || !rest[i - 1]!.startsWith('--') || rest[i - 1] === '--dry-run'));
  switch (command) {
    case 'init': {
      const id = args.get('id');
      const name = args.get('name');
      const policy = args.get('policy');
      if (typeof id !== 'string' || typeof name !== 'string') usage('init needs --id and --name.');
      if (!schoolIdSchema.safeParse(id).success) usage(`--id: ${id} must be lower-case letters, digits and hyphens (2 to 40), such as oakfield-primary.`);
      if (policy !== undefined && !(POLICY_PROFILE_IDS as readonly unknown[]).includes(policy)) usage(`--policy must be one of ${POLICY_PROFILE_IDS.join(', ')}.`);
      const out = typeof args.get('out') === 'string' ? String(args.get('out')) : `${id}.school.yaml`;
      if (existsSync(out)) usage(`${out} exists already: choose another --out, or edit that file.`);
      const text = profileTemplate({
        id,
        name,
        ...(typeof args.get('tenant') === 'string' ? { tenantId: String(args.get('tenant')) } : {}),
        ...(typeof args.get('la') === 'string' ? { localAuthority: String(args.get('la')) } : {}),
        ...(typeof policy === 'string' ? { policy: policy as PolicyProfileId } : {}),
      });
      writeFileSync(out, text);
      writeSchemaBeside(out);
      process.stdout.write(`Wrote ${out} (and ${SCHEMA_FILE} beside it, for your editor). Fill in every "" then: npm run school -- validate ${out}\n`);
      return;
    }
    case 'validate': {
      if (files.length !== 1) usage('validate needs the file to check.');
      const parsed = parseProfileFile(readText(files[0]!));
      if (!parsed.ok) return printProblems(files[0]!, parsed.problems);
      process.stdout.write(`${files[0]} is valid: ${parsed.profile.name} (${parsed.profile.id}), ${parsed.profile.staff.length} named staff, ${parsed.profile.calendar.terms.length} terms. Save it with: npm run school -- apply ${files[0]}\n`);
      return;
    }
    case 'apply': {
      if (files.length !== 1) usage('apply needs the file to save.');
      const text = readText(files[0]!);
      const config = loadConfigOrExit(process.env);
      const { store, close } = await cliStore(config);
      try {
        const result = await setupOn(store).apply(text, ACTOR, { dryRun: args.has('dry-run') });
        if (!result.ok) return printProblems(files[0]!, result.problems);
        if (result.changes.length === 0) {
          process.stdout.write(`No changes: ${result.profile.name} already has these settings.\n`);
          return;
        }
        for (const c of result.changes) process.stdout.write(`- ${c}\n`);
        process.stdout.write(result.applied ? `Saved ${result.profile.name} (${result.profile.id}), and recorded it in the school's audit trail.\n` : 'Dry run: nothing was saved.\n');
      } finally {
        await close();
      }
      return;
    }
    case 'export': {
      const schoolId = args.get('school');
      if (typeof schoolId !== 'string') usage('export needs --school <school id>.');
      const config = loadConfigOrExit(process.env);
      const { store, close } = await cliStore(config);
      try {
        const text = await setupOn(store).exportFile(schoolId);
        if (!text) {
          process.stderr.write(`No school with the id "${schoolId}".\n`);
          process.exitCode = 2;
          return;
        }
        const out = args.get('out');
        if (typeof out === 'string') {
          writeFileSync(out, text);
          writeSchemaBeside(out);
          process.stdout.write(`Wrote ${out}.\n`);
        } else process.stdout.write(text);
      } finally {
        await close();
      }
      return;
    }
    case 'terms': {
      if (files.length !== 1) usage('terms needs the term dates file (.csv or .ics).');
      const datesFile = files[0]!;
      const read = termDatesFromFile(datesFile, readText(datesFile));
      for (const w of read.warnings) process.stderr.write(`Warning: ${w}\n`);
      if (!read.calendar) {
        for (const e of read.errors) process.stderr.write(`${e}\n`);
        process.stderr.write(`${read.errors.length} problem${read.errors.length === 1 ? '' : 's'} in ${datesFile}: nothing was changed.\n`);
        process.exitCode = 1;
        return;
      }
      const calendar = read.calendar;
      const summary = `${calendar.terms.length} terms (${calendar.terms[0]!.name} to ${calendar.terms.at(-1)!.name}), ${calendar.closures.length} closure day${calendar.closures.length === 1 ? '' : 's'}`;
      const profileFile = args.get('file');
      if (typeof profileFile === 'string') {
        // Into the profile file, keeping its comments: the step before applying a new school.
        const doc = parseDocument(readText(profileFile));
        doc.setIn(['calendar'], doc.createNode(calendar));
        if (!args.has('dry-run')) writeFileSync(profileFile, doc.toString({ lineWidth: 0 }));
        process.stdout.write(`${args.has('dry-run') ? 'Would write' : 'Wrote'} ${summary} into ${profileFile}.\n`);
        return;
      }
      const schoolId = args.get('school');
      if (typeof schoolId !== 'string') usage('terms needs --file <profile file> or --school <school id>.');
      const config = loadConfigOrExit(process.env);
      const { store, close } = await cliStore(config);
      try {
        const result = await setupOn(store).importTermDates(schoolId, calendar, ACTOR, { dryRun: args.has('dry-run') });
        if (!result.ok) {
          for (const p of result.problems) process.stderr.write(`${p}\n`);
          process.exitCode = 1;
          return;
        }
        if (result.changes.length === 0) process.stdout.write('No changes: the school already has these term dates.\n');
        for (const c of result.changes) process.stdout.write(`- ${c}\n`);
        if (result.changes.length > 0) process.stdout.write(result.applied ? 'Saved, and recorded in the school\'s audit trail.\n' : 'Dry run: nothing was saved.\n');
      } finally {
        await close();
      }
      return;
    }
    case 'trust-init': {
      const id = args.get('id');
      const name = args.get('name');
      if (typeof id !== 'string' || typeof name !== 'string') usage('trust-init needs --id and --name.');
      if (!schoolIdSchema.safeParse(id).success) usage(`--id: ${id} must be lower-case letters, digits and hyphens (2 to 40).`);
      const out = typeof args.get('out') === 'string' ? String(args.get('out')) : `${id}.trust.yaml`;
      if (existsSync(out)) usage(`${out} exists already: choose another --out, or edit that file.`);
      writeFileSync(out, trustTemplate({ id, name, ...(typeof args.get('tenant') === 'string' ? { tenantId: String(args.get('tenant')) } : {}) }));
      process.stdout.write(`Wrote ${out}. Fill in every "" then: npm run school -- trust-apply ${out}\n`);
      return;
    }
    case 'trust-apply': {
      if (files.length !== 1) usage('trust-apply needs the file to save.');
      const text = readText(files[0]!);
      const config = loadConfigOrExit(process.env);
      const { store, close } = await cliStore(config);
      try {
        const result = await setupOn(store).applyTrust(text, ACTOR, { dryRun: args.has('dry-run') });
        if (!result.ok) return printProblems(files[0]!, result.problems);
        if (result.changes.length === 0) process.stdout.write(`No changes: ${result.trust.name} already has these settings.\n`);
        for (const c of result.changes) process.stdout.write(`- ${c}\n`);
        if (result.changes.length > 0) process.stdout.write(result.applied ? `Saved ${result.trust.name}.\n` : 'Dry run: nothing was saved.\n');
      } finally {
        await close();
      }
      return;
    }
    case 'schema': {
      // The published copy is schemas/school-profile.schema.json (a test keeps it equal to this).
      const out = args.get('out');
      const text = `${JSON.stringify(profileFileJsonSchema(), null, 2)}\n`;
      if (typeof out === 'string') {
        writeFileSync(out, text);
        process.stdout.write(`Wrote ${out}.\n`);
      } else process.stdout.write(text);
      return;
    }
    case 'list': {
      const config = loadConfigOrExit(process.env);
      const { store, close } = await cliStore(config);
      try {
        const schools = await new SchoolRepository(store.client(TABLES.schools)).list();
        if (schools.length === 0) process.stdout.write('No schools yet. Start with: npm run school -- init --id <id> --name "<name>"\n');
        for (const s of schools) {
          const dsl = s.staff.filter((m) => m.roles.includes('DSL')).map((m) => m.name).join(', ');
          process.stdout.write(`${s.id}\t${s.name}\tDSL: ${dsl}\ttenant ${s.tenantId}${s.trustId ? `\ttrust ${s.trustId}` : ''}${s.synthetic ? '\t(synthetic)' : ''}\n`);
        }
      } finally {
        await close();
      }
      return;
    }
    default:
      usage(command ? `Unknown command "${command}".` : undefined);
  }
}

main()
  .then(() => process.exit(process.exitCode ?? 0))
  .catch((err: unknown) => {
    process.stderr.write(`school failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(3);
  });
