import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { withProfilesTable } from '../policy/profiles/table';

/** `npm run policy:table`: rewrites policy/README.md's generated table of the policy profiles. */
const file = path.resolve(__dirname, '..', '..', 'policy', 'README.md');
const before = readFileSync(file, 'utf8');
const after = withProfilesTable(before);
if (after === before) process.stdout.write('policy/README.md is up to date.\n');
else {
  writeFileSync(file, after);
  process.stdout.write('Rewrote the policy profiles table in policy/README.md.\n');
}
