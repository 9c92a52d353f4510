import { context, Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';

/**
 * Spans for what the bot does: a turn, a job run, an outbound send. Their attributes are a closed
 * set of facts that identify no child: the school's id, kinds, names of jobs and outcomes. No
 * child's name, no free text, no case, pupil or notification id (they would let anyone with the
 * telemetry link a trace to a child's record). The type below is the guard: nothing else fits.
 */
export interface SpanFacts {
  'swbot.school'?: string;
  'swbot.job'?: string;
  'swbot.channel'?: 'teams' | 'email';
  /** What was sent (approval, update, alert...) or which invoke (adaptiveCard/action...). */
  'swbot.kind'?: string;
  'swbot.outcome'?: string;
  'teams.activity.type'?: string;
  'teams.invoke.name'?: string;
  'http.response.status_code'?: number;
}

const TRACER = 'sw-cohort-teams-bot';

/** A span as the caller sees it: more facts as they become known, and the outcome. */
export interface SpanHandle {
  set(facts: SpanFacts): void;
}

/**
 * Runs `work` in a span named `name`. A throw marks the span as an error with the error's class
 * name only (its message may quote what a user typed). Without a telemetry provider (local mode,
 * tests that do not look) the API's no-op tracer makes this cost next to nothing.
 */
export async function inSpan<T>(name: string, kind: 'server' | 'internal' | 'client', facts: SpanFacts, work: (span: SpanHandle) => Promise<T>): Promise<T> {
  const tracer = trace.getTracer(TRACER);
  const spanKind = kind === 'server' ? SpanKind.SERVER : kind === 'client' ? SpanKind.CLIENT : SpanKind.INTERNAL;
  return tracer.startActiveSpan(name, { kind: spanKind, attributes: { ...facts } }, async (span: Span) => {
    const handle: SpanHandle = { set: (more) => span.setAttributes({ ...more }) };
    try {
      const result = await work(handle);
      return result;
    } catch (err) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.name : 'Error' });
      throw err;
    } finally {
      span.end();
    }
  });
}

/** For work started inside a span that must not become its child (a background send after a turn). */
export function outsideSpans<T>(work: () => T): T {
  return context.with(trace.deleteSpan(context.active()), work);
}
