import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const POLICY = path.join(__dirname, '..', '..', 'policy');
const FORBIDDEN = [/^botbuilder/, /^botframework-/, /^@azure\//, /^restify/, /^adaptivecards/, /^@microsoft\//, /\/(bot|dialogs|storage|cards|tab)(\/|$)/];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const full = path.join(dir, f);
    return statSync(full).isDirectory() ? files(full) : f.endsWith('.ts') ? [full] : [];
  });
}

describe('policy/ is SDK-free', () => {
  it('imports nothing from bot/, dialogs/, storage/, cards/ or any SDK', () => {
    const offending: string[] = [];
    const sources = files(POLICY);
    expect(sources.length).toBeGreaterThan(5);
    for (const file of sources) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(?:import|export)[^'"]*from\s*['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
        const spec = m[1] ?? m[2] ?? m[3] ?? '';
        if (FORBIDDEN.some((re) => re.test(spec))) offending.push(`${path.relative(POLICY, file)} -> ${spec}`);
      }
    }
    expect(offending).toEqual([]);
  });

  it('the check itself spots a forbidden import', () => {
    expect(FORBIDDEN.some((re) => re.test('../storage/pupilRepository'))).toBe(true);
    expect(FORBIDDEN.some((re) => re.test('botbuilder'))).toBe(true);
    expect(FORBIDDEN.some((re) => re.test('./calendar'))).toBe(false);
  });
});
