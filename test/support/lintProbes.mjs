// Lints code as if it were a file in a given folder, with the repository's own ESLint config, and
// prints the boundary errors per probe as JSON. Run by test/architecture.test.ts in a child process
// (ESLint's flat config is an ES module, which jest's CommonJS runtime cannot load).
import { ESLint } from 'eslint';
import process from 'node:process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MAY_IMPORT, PARTS, SDKS } from '../../architecture.mjs';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/**
 * [{ file: 'bot/__probe.ts', code: '...' }] on stdin, read as it arrives: stdin is a non-blocking
 * socket here, so a synchronous read before the test has written it failed with EAGAIN (seen in CI).
 */
let input = '';
for await (const chunk of process.stdin) input += chunk;
const probes = JSON.parse(input);
const eslint = new ESLint({ cwd: root });
const out = [];
for (const probe of probes) {
  const [result] = await eslint.lintText(probe.code, { filePath: path.join(root, probe.file) });
  out.push({
    file: probe.file,
    fatal: result.messages.filter((m) => m.fatal).map((m) => m.message),
    boundaryErrors: result.messages.filter((m) => m.ruleId === 'boundaries/dependencies').map((m) => ({ line: m.line, message: m.message })),
  });
}
process.stdout.write(JSON.stringify({ parts: PARTS, mayImport: MAY_IMPORT, sdks: SDKS, results: out }));
