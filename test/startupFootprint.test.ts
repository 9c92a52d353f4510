import { execFileSync } from 'node:child_process';
import path from 'node:path';

/**
 * What a bot instance loads before its first request. Application Insights' distro (the whole
 * OpenTelemetry SDK with every exporter), pdfkit and the blob client are about 37 MB of RSS
 * together, and a trust's instance under load peaked above its 300 MB budget with them loaded for
 * nothing (issue 20): they are loaded when telemetry is configured, when a chronology is first
 * exported and when a school names a container for its register. botbuilder-dialogs' index loads
 * every prompt it ships and the Recognizers-Text suite (about 30 MB more, which the guided dialogs
 * never call): the dialogs take its classes from its own modules (dialogs/dialogsSdk.ts).
 */
const ROOT = path.join(__dirname, '..');

function packagesLoadedBy(script: string): string[] {
  const out = execFileSync(
    process.execPath,
    [
      '-e',
      `(async () => { ${script} })().then(() => {
         const names = new Set(Object.keys(require.cache).map((f) => /node_modules\\/((?:@[^/]+\\/)?[^/]+)/.exec(f)?.[1]).filter(Boolean));
         process.stdout.write(JSON.stringify([...names]));
         process.exit(0);
       });`,
    ],
    { cwd: ROOT, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } },
  );
  return JSON.parse(out) as string[];
}

describe('a bot instance at start-up', () => {
  it('loads the app (the bot, the tab, the jobs) without Application Insights, pdfkit or botbuilder-dialogs\' prompts and recognizers', () => {
    const loaded = packagesLoadedBy(`require('./dist/host/app'); require('./dist/telemetry/azureMonitor').startAzureMonitor(undefined)`);
    expect(loaded).toEqual(expect.arrayContaining(['botbuilder', 'botbuilder-dialogs', '@azure/data-tables', 'restify']));
    expect(loaded.filter((name) => name.startsWith('@microsoft/recognizers-text'))).toEqual([]);
    expect(loaded).not.toContain('@azure/monitor-opentelemetry');
    expect(loaded).not.toContain('pdfkit');
    expect(loaded).not.toContain('@azure/storage-blob');
  });

  it('loads pdfkit when a chronology is exported, and the PDF is made', () => {
    const loaded = packagesLoadedBy(`
      const { chronologyPdf } = require('./dist/tab/server/chronologyPdf');
      const pdf = chronologyPdf({ schoolName: 'Synthetic School', synthetic: true, exportedBy: 'A DSL', exportedAt: new Date('2026-11-30T10:00:00Z'),
        child: { name: 'Sam Synthetic', yearGroup: 'Year 5', dateOfBirth: null, statuses: [], keyAdult: null, socialWorker: null, attendancePercent: null },
        cases: [], openActions: [], events: [], viewers: [] });
      const b = await pdf;
      if (b.subarray(0, 5).toString() !== '%PDF-') process.exit(3);`);
    expect(loaded).toContain('pdfkit');
  });

  it('loads Application Insights when a connection string is set', () => {
    const loaded = packagesLoadedBy(
      `require('./dist/telemetry/azureMonitor').startAzureMonitor('InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:9/')`,
    );
    expect(loaded).toContain('@azure/monitor-opentelemetry');
  });
});
