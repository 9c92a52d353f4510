// `npm run infra`: writes infra/azure.json (the ARM template) and infra/azure.parameters.json (its
// parameter file, placeholders only), but only if the template keeps every invariant. The files are
// committed, and test/infra.test.ts fails if they no longer match the code.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { templateProblems } from './invariants';
import { parametersFile } from './parametersFile';
import { stableJson } from './stableJson';
import { azureTemplate } from './template';

/** This file runs from dist/infra/, and its sources live in infra/. */
const INFRA_DIR = path.resolve(__dirname, '..', '..', 'infra');

export const TEMPLATE_FILE = 'azure.json';
export const PARAMETERS_FILE = 'azure.parameters.json';

function main(): void {
  const template = azureTemplate();
  const problems = templateProblems(template);
  if (problems.length > 0) {
    process.stderr.write(`The template breaks ${problems.length === 1 ? 'an invariant' : 'invariants'}, so nothing was written:\n${problems.map((p) => `  ${p}\n`).join('')}`);
    process.exit(1);
  }
  for (const [file, contents] of [
    [TEMPLATE_FILE, stableJson(template)],
    [PARAMETERS_FILE, stableJson(parametersFile(template))],
  ] as const) {
    writeFileSync(path.join(INFRA_DIR, file), contents);
    process.stdout.write(`Wrote infra/${file}\n`);
  }
}

main();
