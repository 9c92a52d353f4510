import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { odata } from '@azure/data-tables';

/**
 * Table filters are OData text: a pupil's name typed into a search and pasted into a filter could
 * close the quote and widen the query to another school's partition. The lint rule allows only the
 * `odata` tagged template (which escapes every value) inline; this proves the rule bites on each
 * way of getting it wrong, so a change to the ESLint config cannot quietly switch it off.
 */
const ROOT = path.join(__dirname, '..');
const CASES: Record<string, string> = {
  plainTemplate: 'return table.listEntities({ queryOptions: { filter: `PartitionKey eq \'${school}\' and name eq \'${name}\'` } });',
  concatenation: "return table.listEntities({ queryOptions: { filter: \"PartitionKey eq '\" + school + \"'\" } });",
  variable: "const filter = `PartitionKey eq '${school}'`;\nreturn table.listEntities({ queryOptions: { filter } });",
  otherTag: "return table.listEntities({ queryOptions: { filter: String.raw`PartitionKey eq '${school}' and name eq '${name}'` } });",
  odataInline: 'return table.listEntities({ queryOptions: { filter: odata`PartitionKey eq ${school} and name eq ${name}` } });',
};

interface LintResult {
  filePath: string;
  messages: Array<{ ruleId: string | null; message: string }>;
}

describe('table queries are built only with the odata tagged template', () => {
  let byCase: Record<string, string[]>;

  beforeAll(() => {
    // ESLint's flat config is ESM, which jest cannot load in-process: lint real files with the real CLI.
    const dir = path.join(ROOT, 'test-output', 'odata-lint');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    for (const [name, body] of Object.entries(CASES)) {
      writeFileSync(path.join(dir, `${name}.ts`), `import { odata, TableClient } from '@azure/data-tables';\nexport function q(table: TableClient, school: string, name: string) {\n  void odata;\n  ${body}\n}\n`);
    }
    let out: string;
    try {
      out = execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js'), '--format', 'json', dir], { cwd: ROOT, encoding: 'utf8' });
    } catch (err) {
      // ESLint exits 1 when it finds problems, which is what most of these files are for.
      const stdout = (err as { stdout?: unknown }).stdout;
      if (typeof stdout !== 'string' || stdout === '') throw err;
      out = stdout;
    }
    const results = JSON.parse(out) as LintResult[];
    byCase = Object.fromEntries(results.map((r) => [path.basename(r.filePath, '.ts'), r.messages.filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.message)]));
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it.each([
    ['a plain template string', 'plainTemplate'],
    ['a concatenation', 'concatenation'],
    ['a variable built elsewhere', 'variable'],
    ['another tag', 'otherTag'],
  ])('refuses %s', (_what, name) => {
    expect(byCase[name]).toEqual([expect.stringContaining('odata`...`')]);
  });

  it('accepts odata`...` inline, whose escaping is what makes it safe', () => {
    expect(byCase.odataInline).toEqual([]);
    const trick = "x' or PartitionKey ne '";
    expect(odata`PartitionKey eq ${'oakfield-demo'} and name eq ${trick}`).toBe("PartitionKey eq 'oakfield-demo' and name eq 'x'' or PartitionKey ne '''");
  });
});
