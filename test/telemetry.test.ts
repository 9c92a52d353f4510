import { metrics, trace } from '@opentelemetry/api';
import { DataPoint, MeterProvider, MetricReader, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEMO_SCHOOL_ID, DEMO_STAFF, demoPupils, PLAYGROUND_TENANT_ID } from '../demo/demoSchool';
import { MailError } from '../delivery/mail/mailer';
import { azureMonitorOptions } from '../telemetry/azureMonitor';
import { AppMetrics } from '../telemetry/metrics';
import { Periodic } from '../jobs/periodic';
import { AuditChainBrokenError } from '../jobs/auditVerification';
import pino from 'pino';
import { ConversationRefRepository } from '../storage/conversationRefRepository';
import { CaseRepository } from '../storage/caseRepository';
import { TABLES } from '../storage/tableStore';
import { postActivity } from './support/activities';
import { startTestApp, TestApp } from './support/app';
import { createHarness, MONDAY_9AM } from './support/botHarness';
import { ConnectorStub } from './support/connectorStub';
import { act, raiseSuspensionRisk } from './support/flows';
import { approvalInvoke, attendanceUpToConfirm, confirmActivity } from './support/httpFlows';

/**
 * OpenTelemetry as the app emits it, caught by in-memory exporters in place of Application
 * Insights: a concern raised, approved and delivered end to end over HTTP, with the scheduled jobs
 * running, then every exported attribute searched for anything that identifies a child.
 */

/** A metric reader the test collects from when it wants to. */
class CollectingReader extends MetricReader {
  protected async onShutdown(): Promise<void> {}
  protected async onForceFlush(): Promise<void> {}
}

const spans = new InMemorySpanExporter();
const tracerProvider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
const reader = new CollectingReader();
const meterProvider = new MeterProvider({ readers: [reader] });

async function collected(): Promise<ResourceMetrics> {
  const { resourceMetrics } = await reader.collect();
  return resourceMetrics;
}

function points(resource: ResourceMetrics, name: string): Array<DataPoint<unknown>> {
  return resource.scopeMetrics.flatMap((s) => s.metrics.filter((m) => m.descriptor.name === name).flatMap((m) => m.dataPoints as Array<DataPoint<unknown>>));
}

/** Every value an operator's telemetry would hold: span names, span and event attributes, metric attributes. */
function everythingExported(resource: ResourceMetrics, finished: readonly ReadableSpan[]): string[] {
  const out: string[] = [];
  for (const s of finished) {
    out.push(s.name, ...Object.entries(s.attributes).map(([k, v]) => `${k}=${String(v)}`), s.status.message ?? '');
    for (const e of s.events) out.push(e.name, ...Object.entries(e.attributes ?? {}).map(([k, v]) => `${k}=${String(v)}`));
  }
  for (const sm of resource.scopeMetrics) {
    for (const m of sm.metrics) for (const p of m.dataPoints) out.push(m.descriptor.name, ...Object.entries(p.attributes).map(([k, v]) => `${k}=${String(v)}`));
  }
  return out;
}

/** Names, ids and dates of birth of every synthetic child, and what identifies their cases. */
function childIdentifiers(extra: readonly string[]): string[] {
  return [
    ...demoPupils.flatMap((p) => [p.givenName, p.familyName, `${p.givenName} ${p.familyName}`, p.id, p.dateOfBirth]),
    ...extra,
  ];
}

let work: string;
beforeAll(() => {
  tracerProvider.register();
  metrics.setGlobalMeterProvider(meterProvider);
  work = mkdtempSync(path.join(os.tmpdir(), 'swbot-telemetry-'));
});
afterAll(async () => {
  await tracerProvider.shutdown();
  await meterProvider.shutdown();
  trace.disable();
  metrics.disable();
  rmSync(work, { recursive: true, force: true });
});

describe('telemetry (OpenTelemetry, in-memory exporters)', () => {
  const connector = new ConnectorStub();
  let app: TestApp;
  let cases: CaseRepository;
  let caseIdentifiers: string[] = [];

  beforeAll(async () => {
    await connector.start();
    app = await startTestApp({ ALLOWED_SERVICE_URLS: connector.url, DATA_DIR: work, OUTBOX_INTERVAL_MS: '200', REMINDER_INTERVAL_MS: '200' });
    cases = new CaseRepository(app.store.client(TABLES.cases));
    const refs = new ConversationRefRepository(app.store.client(TABLES.conversationRefs));
    for (const who of [DEMO_STAFF.dsl, DEMO_STAFF.dt]) {
      await refs.save({ tenantId: PLAYGROUND_TENANT_ID, scope: 'personal', conversationId: `chat-${who.aadObjectId}`, serviceUrl: connector.url, channelId: 'msteams', botId: '28:bot-id', aadObjectId: who.aadObjectId, userId: `29:${who.aadObjectId}`, updatedAt: new Date().toISOString() });
    }
  }, 60_000);
  afterAll(async () => {
    await app?.stop();
    await connector.stop();
  });

  it('a concern end to end: a trace per turn and per invoke, a span per send and per job run, with the facts an operator needs', async () => {
    spans.reset();
    const draftId = await attendanceUpToConfirm(app.url, connector, 'telemetry-teacher');
    expect((await postActivity(app.url, confirmActivity(connector, 'telemetry-teacher', draftId))).status).toBe(200);
    const { caseId } = (await cases.findByDraft(DEMO_SCHOOL_ID, draftId))!;
    const approved = await postActivity(app.url, approvalInvoke(connector, DEMO_STAFF.dsl.aadObjectId, 'approveCase', { caseId }));
    expect(approved.status).toBe(200);
    const record = (await cases.get(DEMO_SCHOOL_ID, caseId))!;
    caseIdentifiers = [caseId, record.ref, draftId];
    // Bounded by passes, not time: the outbox and the jobs each run every 200 ms.
    for (let i = 0; i < 300; i++) {
      const all = spans.getFinishedSpans();
      const outboxPassed = points(await collected(), 'swbot.outbox.pending').length === 1;
      if (outboxPassed && all.some((s) => s.name === 'send email') && all.some((s) => s.name === 'job approvalReminders')) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const finished = spans.getFinishedSpans();
    const named = (name: string) => finished.filter((s) => s.name === name);

    // Each turn is its own trace (a server span with no parent), and says what kind of activity it was.
    const turns = named('teams message');
    expect(turns.length).toBeGreaterThanOrEqual(4);
    expect(turns.every((s) => s.attributes['teams.activity.type'] === 'message' && s.attributes['http.response.status_code'] === 200 && s.parentSpanContext === undefined)).toBe(true);
    const invoke = named('teams invoke');
    expect(invoke.map((s) => s.attributes['teams.invoke.name'])).toContain('adaptiveCard/action');
    // Cards to staff and the email to the social worker: a trace each, with the channel, the kind and the outcome.
    const sends = [...named('send teams'), ...named('send email')];
    expect(sends.some((s) => s.attributes['swbot.channel'] === 'teams' && s.attributes['swbot.kind'] === 'approval' && s.attributes['swbot.outcome'] === 'delivered')).toBe(true);
    expect(named('send email').some((s) => s.attributes['swbot.outcome'] === 'delivered' && s.attributes['swbot.school'] === DEMO_SCHOOL_ID)).toBe(true);
    expect(sends.every((s) => s.parentSpanContext === undefined)).toBe(true);
    expect(named('job approvalReminders').every((s) => s.attributes['swbot.job'] === 'approvalReminders')).toBe(true);

    const m = await collected();
    expect(points(m, 'swbot.job.runs').some((p) => p.attributes.job === 'approvalReminders' && p.attributes.outcome === 'ok' && Number(p.value) >= 1)).toBe(true);
    expect(points(m, 'swbot.outbox.pending').length).toBe(1);
    expect(points(m, 'swbot.outbox.oldest_pending_age_seconds').length).toBe(1);
    const storage = points(m, 'swbot.storage.duration');
    expect(storage.some((p) => p.attributes.method === 'GET' && p.attributes.status === '200')).toBe(true);
    expect(storage.some((p) => p.attributes.method === 'POST')).toBe(true);
  }, 60_000);

  it('no exported name, attribute or metric holds a child\'s name, id or date of birth, or a case\'s id or reference', async () => {
    const exported = everythingExported(await collected(), spans.getFinishedSpans());
    expect(exported.length).toBeGreaterThan(50);
    expect(caseIdentifiers).toHaveLength(3);
    const found = childIdentifiers(caseIdentifiers).filter((needle) => exported.some((value) => value.toLowerCase().includes(needle.toLowerCase())));
    expect(found).toEqual([]);
  });

  it('a card\'s free text never reaches a span, even when a turn fails', async () => {
    spans.reset();
    const secret = 'Sam Thistlewood told me about the bruises';
    const res = await postActivity(app.url, { ...confirmActivity(connector, 'telemetry-free-text', 'no-such-draft'), value: undefined, text: secret });
    expect(res.status).toBe(200);
    const exported = everythingExported(await collected(), spans.getFinishedSpans());
    expect(exported.filter((v) => /bruises|Thistlewood/i.test(v))).toEqual([]);
  });
});

describe('operator metrics from the outbox and the digest (bot harness)', () => {
  it('a notification that fails for good counts once under its kind; a digest with nowhere to post counts as not posted', async () => {
    const before = points(await collected(), 'swbot.notifications.failed').reduce((n, p) => n + Number(p.value), 0);
    const failing = { send: async () => Promise.reject(new MailError('Microsoft Graph sendMail answered 400', false, 400)) };
    let now = MONDAY_9AM;
    const h = await createHarness({ mailer: failing, clock: () => now, policy: 'holyFamily' });
    await h.install('dsl');
    const caseId = await raiseSuspensionRisk(h, 'demo-p09');
    await act(h, 'approveCase', { caseId }, 'dsl');
    await h.parts.background.settled();
    await h.parts.outbox.runOnce();
    const failed = points(await collected(), 'swbot.notifications.failed');
    expect(failed.find((p) => p.attributes.channel === 'email')?.attributes.kind).toBe('email');
    expect(failed.reduce((n, p) => n + Number(p.value), 0) - before).toBe(1);

    // The schedule starts the week before (a new deployment never posts a digest it did not miss); a
    // leadership channel is chosen but the app is not in it, so Monday's is due and has nowhere to go.
    const school = await h.parts.schools.get(DEMO_SCHOOL_ID);
    if (!school) throw new Error('the demo school was not seeded');
    await h.parts.schools.save({ ...school, digest: { ...school.digest, channelConversationId: 'slt-channel-without-the-app' } });
    h.parts.directory.invalidate(DEMO_SCHOOL_ID);
    now = new Date(MONDAY_9AM.getTime() - 7 * 24 * 3600_000);
    await h.parts.weeklyDigest.runOnce();
    now = MONDAY_9AM;
    await h.parts.weeklyDigest.runOnce();
    const digests = points(await collected(), 'swbot.digest.runs');
    expect(digests.map((p) => p.attributes.outcome)).toContain('not_posted');
  });
});

describe('scheduled job runs', () => {
  it('a nightly audit check that finds the trail broken counts as a failed run of auditVerify (what the operator\'s alert watches)', async () => {
    const job = new Periodic('auditVerify', () => Promise.reject(new AuditChainBrokenError([DEMO_SCHOOL_ID])), pino({ level: 'silent' }), new AppMetrics());
    await job.runPass();
    const failed = points(await collected(), 'swbot.job.runs').filter((p) => p.attributes.job === 'auditVerify' && p.attributes.outcome === 'failed');
    expect(failed.map((p) => p.value)).toEqual([1]);
    expect(spans.getFinishedSpans().filter((s) => s.name === 'job auditVerify' && s.status.message === 'AuditChainBrokenError')).toHaveLength(1);
  });
});

describe('what goes to Application Insights', () => {
  it('turns off the automatic HTTP and Azure SDK instrumentations, whose URLs carry a child\'s record id', () => {
    const options = azureMonitorOptions('InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://uksouth-1.in.applicationinsights.azure.com/');
    expect(options.instrumentationOptions?.http?.enabled).toBe(false);
    expect(options.instrumentationOptions?.azureSdk?.enabled).toBe(false);
    expect(options.instrumentationOptions?.console?.enabled).toBe(false);
    expect(options.enableLiveMetrics).toBe(false);
  });
});
