import { AsyncLocalStorage } from 'node:async_hooks';

export type LogFields = Readonly<Record<string, string>>;

/**
 * Fields every log line written while handling one request carries (its correlation id), however
 * deep in the services the line is written, without passing a logger through every call. Each
 * request runs in its own async context, so concurrent requests cannot see each other's fields.
 */
const requestFields = new AsyncLocalStorage<LogFields>();

export function runWithLogFields<T>(fields: LogFields, work: () => T): T {
  return requestFields.run(fields, work);
}

export function logFields(): LogFields {
  return requestFields.getStore() ?? {};
}
