/**
 * Azure Tables limits: a string property holds at most 64 KiB (32 Ki UTF-16 code units) and a
 * whole entity at most 1 MiB. Documents are stored as JSON split over `json0..jsonN` properties.
 */
export const MAX_PROPERTY_CHARS = 30_000;
export const MAX_CHUNKS = 15;
/** Leaves room under 1 MiB for keys, system properties and the caller's own columns. */
export const MAX_DOCUMENT_CHARS = MAX_PROPERTY_CHARS * MAX_CHUNKS;

export class EntityTooLargeError extends Error {
  constructor(
    readonly what: string,
    readonly chars: number,
  ) {
    super(`${what} is too large to store (${chars} characters; the limit is ${MAX_DOCUMENT_CHARS})`);
    this.name = 'EntityTooLargeError';
  }
}

export type JsonColumns = Record<`json${number}`, string> & { jsonChunks: number };

export function packJson(what: string, value: unknown): JsonColumns {
  const text = JSON.stringify(value);
  if (text.length > MAX_DOCUMENT_CHARS) throw new EntityTooLargeError(what, text.length);
  const columns: Record<string, string | number> = {};
  let i = 0;
  for (let pos = 0; pos < text.length || i === 0; pos += MAX_PROPERTY_CHARS, i++) {
    columns[`json${i}`] = text.slice(pos, pos + MAX_PROPERTY_CHARS);
  }
  columns.jsonChunks = i;
  return columns as JsonColumns;
}

/** Returns the parsed document, or undefined if the entity carries none (or a damaged one). */
export function unpackJson(entity: Record<string, unknown>): unknown {
  const chunks = entity.jsonChunks;
  if (typeof chunks !== 'number' || !Number.isInteger(chunks) || chunks < 1 || chunks > MAX_CHUNKS) return undefined;
  let text = '';
  for (let i = 0; i < chunks; i++) {
    const part = entity[`json${i}`];
    if (typeof part !== 'string') return undefined;
    text += part;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Every property name that `packJson` may have written, for selects. */
export function jsonColumnNames(): string[] {
  return ['jsonChunks', ...Array.from({ length: MAX_CHUNKS }, (_, i) => `json${i}`)];
}
