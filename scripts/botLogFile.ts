import { chmodSync, closeSync, existsSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { z } from 'zod';

/**
 * The bot's JSON log lines, while `npm start` runs it, go to a file under the data folder rather
 * than the console: a person starting the demo wants to see where to go, not a stream of JSON. An
 * error-level line is still told on the console, in one plain line that says where the details are.
 * Each start begins a fresh file; the previous run's is kept beside it, so a problem seen just before
 * a restart can still be looked up.
 */
const CURRENT = 'bot.log';
const PREVIOUS = 'bot.previous.log';

/** pino's levels: 50 error, 60 fatal. */
const ERROR_LEVEL = 50;
/** The same kind of error repeated (storage down, say) is told once a minute, not on every line. */
const REPEAT_QUIET_MS = 60_000;

/** Only the level decides; a field of an unexpected shape is left out of the console's line, never the line itself. */
const logLine = z.object({
  level: z.number(),
  msg: z.string().optional().catch(undefined),
  event: z.string().optional().catch(undefined),
  err: z
    .object({ name: z.string().optional().catch(undefined), message: z.string().optional().catch(undefined) })
    .optional()
    .catch(undefined),
});

/** An error-level line of the bot's log: what kind it was (to tell repeats apart) and the console's line for it. */
export function errorReported(line: string, logName: string): { kind: string; consoleLine: string } | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return undefined;
  }
  const entry = logLine.safeParse(parsed);
  if (!entry.success || entry.data.level < ERROR_LEVEL) return undefined;
  const { msg, event, err } = entry.data;
  const what = plain(msg ?? event ?? 'an error');
  const detail = plain(err?.message ?? err?.name ?? '').replace(/\.$/, '');
  const cause = detail ? ` (${detail})` : '';
  const tag = event ? ` [${plain(event)}]` : '';
  return { kind: event ?? what, consoleLine: `The bot reported an error${tag}: ${what}${cause}. Details in ${logName}` };
}

/** One line, no terminal control characters, not too long: whatever the log held, it cannot redraw the console. */
function plain(text: string): string {
  const clean = text.replace(/\p{Cc}+/gu, ' ').trim();
  return clean.length > 160 ? `${clean.slice(0, 159)}…` : clean;
}

export interface BotLogFile {
  /** Where the log is, as a person would type it. */
  readonly shownPath: string;
  /** Copies the bot's output to the file; errors are told through `tell`. */
  follow(output: Readable): void;
  /** Resolves once the followed output has ended and every line is in the file (or after `timeoutMs`). */
  finish(timeoutMs: number): Promise<void>;
  /** How many error lines the bot wrote in this run. */
  readonly errors: number;
}

/**
 * Opens `<dataDir>/logs/bot.log` afresh (the last run's becomes bot.previous.log), readable by its
 * owner only, as everything in the data folder is.
 */
export function openBotLogFile(dataDir: string, tell: (line: string) => void, now: () => number = Date.now): BotLogFile {
  const folder = path.join(dataDir, 'logs');
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  chmodSync(folder, 0o700);
  const file = path.join(folder, CURRENT);
  if (existsSync(file)) renameSync(file, path.join(folder, PREVIOUS));
  const fd = openSync(file, 'w', 0o600);
  chmodSync(file, 0o600);
  const shownPath = displayPath(file);
  const lastTold = new Map<string, number>();
  let errors = 0;
  let ended: Promise<void> = Promise.resolve();
  let closed = false;

  const write = (line: string) => {
    if (closed) return;
    // Synchronously: the launcher exits straight after the bot stops, and its last lines belong in the file.
    writeSync(fd, `${line}\n`);
    const error = errorReported(line, shownPath);
    if (!error) return;
    errors++;
    const last = lastTold.get(error.kind);
    if (last !== undefined && now() - last < REPEAT_QUIET_MS) return;
    lastTold.set(error.kind, now());
    tell(error.consoleLine);
  };

  return {
    shownPath,
    get errors() {
      return errors;
    },
    follow(output) {
      const lines = createInterface({ input: output, crlfDelay: Infinity });
      lines.on('line', write);
      ended = new Promise((resolve) => lines.once('close', () => resolve()));
    },
    async finish(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([ended, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
      if (timer) clearTimeout(timer);
      if (!closed) closeSync(fd);
      closed = true;
    },
  };
}

/** A file's path as a person would type it: relative to the folder `npm start` ran in, when inside it. */
export function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}
