import { createHash } from 'node:crypto';
import { lstat, mkdir, open, readdir, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import type { TokenCredential } from '@azure/core-auth';
import type { ContainerClient } from '@azure/storage-blob';
import { RegisterFilePlace, RegisterPickupNotice } from '../cards/registerPickupCard';
import { Actor } from '../policy/caseRecord';
import { REGISTER_LIMITS, RegisterIssue } from '../policy/registerCsv';
import { RegisterSource, SchoolProfile } from '../policy/schoolProfile';
import { RecordAuditEntry, RecordAuditRepository } from '../storage/recordAuditRepository';
import { errorSummary } from '../telemetry/errors';
import { Logger } from '../telemetry/logger';
import { RegisterImporter, RegisterImportReport } from './registerImporter';

/*
 * The register on a schedule: the MIS exports a CSV file into a folder or a blob container, and the
 * bot picks up the newest one and loads it unattended, telling the DSLs only when something needs
 * attention. See RegisterPickup below for the rules, and jobs/registerPickup.ts for the schedule.
 */

// ---------------------------------------------------------------------------------------------
// Where the files are
// ---------------------------------------------------------------------------------------------

/** A file the MIS dropped, as listed (nothing read yet). */
export interface DropFile {
  /** The file's name in the folder, or the blob's full name in the container. */
  readonly name: string;
  readonly size: number;
  readonly lastModified: Date;
  /** Changes whenever the file does: the blob's ETag, or the file's size and modification time. */
  readonly version: string;
}

/** What became of a file, written on it (its name in `processed/`, or the blob's metadata). */
export type DropOutcome = 'loaded' | 'refused' | 'heldBack' | 'unchanged' | 'superseded' | 'abandoned';

export interface DropMark {
  outcome: DropOutcome;
  at: Date;
  /** The SHA-256 of the content when it was read (of its name and version when it was too large to read); none for a superseded file. */
  sha256?: string;
}

/**
 * A folder or container the MIS exports the register into. Only CSV files not yet marked done are
 * listed; marking a file done takes it out of the listing for good, so it is never loaded twice.
 */
export interface RegisterDropSource {
  /** Where this is, for logs: the folder's path or the container's URL (never a query string). */
  readonly where: string;
  /** The CSV files waiting (not marked done), any age, in no particular order. */
  list(): Promise<DropFile[]>;
  /** The file's content as listed; DropFileChangedError if it changed or went since. */
  read(file: DropFile): Promise<Buffer>;
  /**
   * Marks the file done. False, with nothing marked, if it changed since it was listed (a new
   * export over the old one: it is left for the next pass).
   */
  markDone(file: DropFile, mark: DropMark): Promise<boolean>;
}

/** The file changed, was replaced or went between being listed and being read. */
export class DropFileChangedError extends Error {
  constructor(readonly fileName: string) {
    super(`the register file ${fileName} changed while it was being read`);
    this.name = 'DropFileChangedError';
  }
}

/** A register source the profile names that this app will not use (the message says why). */
export class RegisterSourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegisterSourceError';
  }
}

const isCsvName = (name: string) => /\.csv$/i.test(name) && !name.startsWith('.') && !name.startsWith('~$');

function statusCodeOf(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const code = (err as { statusCode?: unknown }).statusCode;
  return typeof code === 'number' ? code : undefined;
}

function errnoOf(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

const stamp = (at: Date) => at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');

/**
 * A folder on a disk the server can read and write (a share the MIS exports to). Files directly
 * in it are candidates; a file done is moved into its `processed/` subfolder, named with the time
 * and what became of it (`20261123T060500Z-loaded-register.csv`). Symbolic links and subfolders
 * are ignored.
 */
export class FolderDropSource implements RegisterDropSource {
  static readonly PROCESSED = 'processed';

  constructor(private readonly folder: string) {}

  get where(): string {
    return this.folder;
  }

  async list(): Promise<DropFile[]> {
    let entries;
    try {
      entries = await readdir(this.folder, { withFileTypes: true });
    } catch (err) {
      if (errnoOf(err) === 'ENOENT') throw new RegisterSourceError(`the register folder ${this.folder} does not exist`);
      throw err;
    }
    const files: DropFile[] = [];
    for (const entry of entries) {
      if (!entry.isFile() || !isCsvName(entry.name)) continue;
      try {
        files.push(toDropFile(entry.name, await lstat(path.join(this.folder, entry.name))));
      } catch (err) {
        if (errnoOf(err) !== 'ENOENT') throw err; // gone since the listing: not a candidate
      }
    }
    return files;
  }

  async read(file: DropFile): Promise<Buffer> {
    const full = path.join(this.folder, file.name);
    let handle;
    try {
      handle = await open(full, 'r');
    } catch (err) {
      if (errnoOf(err) === 'ENOENT') throw new DropFileChangedError(file.name);
      throw err;
    }
    try {
      const before = await handle.stat();
      if (toDropFile(file.name, before).version !== file.version) throw new DropFileChangedError(file.name);
      // Never more than was listed (plus one byte, to notice a file still growing).
      const buffer = Buffer.alloc(file.size + 1);
      let read = 0;
      while (read < buffer.length) {
        const { bytesRead } = await handle.read(buffer, read, buffer.length - read, read);
        if (bytesRead === 0) break;
        read += bytesRead;
      }
      if (read !== file.size) throw new DropFileChangedError(file.name);
      // Replaced by another file of the same name while it was read (an export written then renamed)?
      const after = await stat(full).catch(() => undefined);
      if (!after || toDropFile(file.name, after).version !== file.version) throw new DropFileChangedError(file.name);
      return buffer.subarray(0, read);
    } finally {
      await handle.close();
    }
  }

  async markDone(file: DropFile, mark: DropMark): Promise<boolean> {
    const full = path.join(this.folder, file.name);
    const now = await lstat(full).catch(() => undefined);
    if (!now || toDropFile(file.name, now).version !== file.version) return false;
    const processed = path.join(this.folder, FolderDropSource.PROCESSED);
    await mkdir(processed, { recursive: true });
    const base = `${stamp(mark.at)}-${mark.outcome}-${file.name}`;
    let target = path.join(processed, base);
    for (let n = 2; await exists(target); n++) target = path.join(processed, `${stamp(mark.at)}-${mark.outcome}-${n}-${file.name}`);
    await rename(full, target);
    return true;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await lstat(file);
    return true;
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') return false;
    throw err;
  }
}

function toDropFile(name: string, s: { size: number; mtime: Date; mtimeMs: number }): DropFile {
  return { name, size: s.size, lastModified: s.mtime, version: `${s.size}:${s.mtimeMs}` };
}

/** Blob metadata written on a file done (metadata names are C# identifiers: lower case, no dashes). */
export const BLOB_MARK = { outcome: 'registerpickup', at: 'registerpickupat', sha256: 'registerpickupsha256' } as const;

/**
 * A blob container (optionally only names under a prefix). A blob done gets metadata
 * (`registerpickup` = what became of it, with the time and the content's SHA-256), written on
 * the condition that it is still the blob that was read (its ETag); a new export written over it
 * replaces the metadata, so it is picked up again. Needs "Storage Blob Data Contributor" on the
 * container (list, read, write metadata); never deletes.
 */
export class BlobDropSource implements RegisterDropSource {
  constructor(
    private readonly container: ContainerClient,
    private readonly prefix = '',
  ) {}

  get where(): string {
    const url = new URL(this.container.url);
    url.search = '';
    return `${url.toString()}${this.prefix ? ` (names starting ${this.prefix})` : ''}`;
  }

  async list(): Promise<DropFile[]> {
    const files: DropFile[] = [];
    for await (const item of this.container.listBlobsFlat({ ...(this.prefix ? { prefix: this.prefix } : {}), includeMetadata: true })) {
      if (item.deleted || !isCsvName(item.name.slice(item.name.lastIndexOf('/') + 1))) continue;
      if (item.metadata?.[BLOB_MARK.outcome]) continue;
      const { contentLength, lastModified, etag } = item.properties;
      files.push({ name: item.name, size: contentLength ?? 0, lastModified, version: quoted(etag) });
    }
    return files;
  }

  async read(file: DropFile): Promise<Buffer> {
    try {
      const buffer = await this.container.getBlobClient(file.name).downloadToBuffer(0, undefined, { conditions: { ifMatch: file.version } });
      if (buffer.length !== file.size) throw new DropFileChangedError(file.name);
      return buffer;
    } catch (err) {
      const status = statusCodeOf(err);
      if (status === 412 || status === 404) throw new DropFileChangedError(file.name);
      throw err;
    }
  }

  async markDone(file: DropFile, mark: DropMark): Promise<boolean> {
    const blob = this.container.getBlobClient(file.name);
    try {
      const { metadata } = await blob.getProperties({ conditions: { ifMatch: file.version } });
      await blob.setMetadata(
        { ...metadata, [BLOB_MARK.outcome]: mark.outcome, [BLOB_MARK.at]: mark.at.toISOString(), ...(mark.sha256 ? { [BLOB_MARK.sha256]: mark.sha256 } : {}) },
        { conditions: { ifMatch: file.version } },
      );
      return true;
    } catch (err) {
      const status = statusCodeOf(err);
      if (status === 412 || status === 404) return false;
      throw err;
    }
  }
}

/** A listing's ETag may come without its quotes; conditions want them. */
const quoted = (etag: string) => (etag.startsWith('"') || etag.startsWith('W/') ? etag : `"${etag}"`);

/** Azure Storage's blob endpoints (public cloud, China, US Government). */
const AZURE_BLOB_HOST = /^[a-z0-9]{3,24}\.blob\.core\.(windows\.net|chinacloudapi\.cn|usgovcloudapi\.net)$/;
const CONTAINER_PATH = /^\/([a-z0-9](?:[a-z0-9]|-(?!-)){1,61}[a-z0-9])\/?$/;

/**
 * The container a profile names, reached with the app's own identity. The URL is checked first:
 * the credential's token is good for every storage account the identity may use (the app's own
 * tables among them), so it is only ever sent over https to an Azure Storage blob endpoint, and a
 * URL carrying a SAS (a secret in the profile) is refused.
 */
export function containerClientFor(containerUrl: string, credential: TokenCredential): ContainerClient {
  let url: URL;
  try {
    url = new URL(containerUrl);
  } catch {
    throw new RegisterSourceError('registerSource.containerUrl is not a URL');
  }
  if (url.protocol !== 'https:') throw new RegisterSourceError('registerSource.containerUrl must be https');
  if (!AZURE_BLOB_HOST.test(url.hostname) || url.port !== '') {
    throw new RegisterSourceError(`registerSource.containerUrl must be an Azure Storage blob endpoint (https://<account>.blob.core.windows.net/<container>), not ${url.hostname}`);
  }
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new RegisterSourceError('registerSource.containerUrl must not carry a query (a SAS is a secret, and the app signs in with its own identity)');
  }
  if (!CONTAINER_PATH.test(url.pathname)) throw new RegisterSourceError('registerSource.containerUrl must name one container: https://<account>.blob.core.windows.net/<container>');
  // Loaded when a school names a container, not with every instance (most schools upload in the tab).
  const { ContainerClient } = require('@azure/storage-blob') as typeof import('@azure/storage-blob');
  return new ContainerClient(`${url.origin}${url.pathname.replace(/\/$/, '')}`, credential);
}

export interface DropSourceSettings {
  /** The app's identity for blob containers (its managed identity); without it a blob source is refused. */
  blobCredential?: TokenCredential;
  /** When set, a folder source must be inside this folder (so a profile cannot point the app at any folder on the server). */
  folderRoot?: string;
}

/** The drop source a school's profile names, checked (RegisterSourceError says what is wrong). */
export function registerDropSourceFor(source: RegisterSource, settings: DropSourceSettings): RegisterDropSource {
  if (source.kind === 'blob') {
    if (!settings.blobCredential) throw new RegisterSourceError('a blob register source needs the app to run with a managed identity (none is configured here); use a folder');
    return new BlobDropSource(containerClientFor(source.containerUrl, settings.blobCredential), source.prefix ?? '');
  }
  const folder = path.resolve(source.path);
  if (settings.folderRoot !== undefined) {
    const root = path.resolve(settings.folderRoot);
    const relative = path.relative(root, folder);
    if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) throw new RegisterSourceError(`registerSource.path must be a folder inside ${root}`);
  }
  return new FolderDropSource(folder);
}

// ---------------------------------------------------------------------------------------------
// Picking a file up
// ---------------------------------------------------------------------------------------------

/** Who the register's history says loaded a file the schedule picked up. */
export const SCHEDULED_ACTOR: Actor = { aadObjectId: 'scheduled', name: 'scheduled register load' };

/** The register history's entry for each file the schedule finished with (ids, a hash and counts only). */
export const PICKUP_ACTION = 'scheduledRegisterPickup';

export const PICKUP_DEFAULTS = {
  /** A file must be left alone this long before it is read: the MIS may still be writing it. */
  settleMs: 2 * 60_000,
  /** More than this share of the pupils in the last load missing from a file: a probable partial export. */
  partialPercent: 10,
  /** Loads that throw (storage down, a fault) are tried this many times, then given up until the content changes. */
  maxAttempts: 3,
  /** How many errors or warnings a card lists before "and N more". */
  shown: 5,
} as const;

export type PickupOutcome =
  /** No file waiting. */
  | 'nothing'
  /** The newest file was written too recently: it may not be finished. */
  | 'settling'
  /** The file changed while it was read: the next pass reads the new one. */
  | 'changed'
  /** The lease ran short before the load began: the next pass loads it. */
  | 'outOfTime'
  | DropOutcome
  /** Loading threw; tried again next time (up to maxAttempts). */
  | 'failed';

export interface PickupResult {
  outcome: PickupOutcome;
  file?: { name: string; bytes: number; sha256: string };
  /** Older files marked superseded by this one. */
  superseded: number;
  /** What the DSLs were told, if they needed telling. */
  notice?: RegisterPickupNotice;
  /** How many DSLs got it. */
  told: number;
  /** The import's counts, when it ran for real. */
  report?: Pick<RegisterImportReport, 'total' | 'created' | 'updated' | 'unchanged' | 'notInFile'>;
  /** Why loading threw (outcome `failed` or `abandoned`): the job fails its pass with it, so the operator hears. */
  error?: unknown;
}

export interface PickupOptions {
  /** Tells the school's DSLs; returns how many got it. Called before the file is marked done (told at least once). */
  notify: (notice: RegisterPickupNotice, file: DropFile) => Promise<number>;
  /** The load does not begin after this (the end of the caller's lease). */
  mustFinishBy?: Date;
}

export interface RegisterPickupDeps {
  importer: Pick<RegisterImporter, 'import'>;
  /** The register's history: the baseline for a partial export, and which file was picked up last. */
  audit: Pick<RecordAuditRepository, 'registerLog' | 'recordRegisterChange'>;
  logger: Logger;
  clock: () => Date;
  settleMs?: number;
  partialPercent?: number;
  maxAttempts?: number;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

type Decoded = { ok: true; text: string } | { ok: false; reason: Extract<RegisterPickupNotice, { kind: 'unreadable' }>['reason'] };

/** The file's bytes as UTF-8 text, or why they are not (a file saved as "CSV" or "Unicode text", a spreadsheet, nothing). */
export function decodeRegisterFile(bytes: Buffer): Decoded {
  if (bytes.length > REGISTER_LIMITS.maxBytes) return { ok: false, reason: 'tooLarge' };
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) return { ok: false, reason: 'utf16' };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, reason: 'notUtf8' };
  }
  if (text.includes('\u0000')) return { ok: false, reason: 'notText' };
  if (text.replace(/^\uFEFF/, '').trim() === '') return { ok: false, reason: 'empty' };
  return { ok: true, text };
}

/** Quotation marks in the importer's own words (policy/registerCsv.ts, policy/csv.ts), not around anything from the file. */
const OUR_QUOTES = ['(")', '"CSV UTF-8 (comma delimited)"', '"CSV UTF-8"', '"Loading the register"'];

/**
 * The place of an error, for a card: line and column, and the importer's words only for a problem
 * with a whole line or the file, and only when they quote nothing from the file (a cell's value is
 * always quoted, so a quote means it could be a child's data).
 */
export function placeOfError(issue: RegisterIssue): RegisterFilePlace {
  const quotesNothing = !OUR_QUOTES.reduce((m, q) => m.split(q).join(''), issue.message).includes('"');
  return { line: issue.line, ...(issue.column ? { column: issue.column } : {}), ...(!issue.column && quotesNothing ? { note: issue.message } : {}) };
}

/** The warnings a DSL should hear of after a load: a status the register held removed, a placing authority with no Virtual School. */
export function warningKind(issue: RegisterIssue): 'statusRemoved' | 'unknownAuthority' | undefined {
  if (/so that status (was|would be) removed/.test(issue.message)) return 'statusRemoved';
  if (/has no Virtual School for /.test(issue.message)) return 'unknownAuthority';
  return undefined;
}

const numberIn = (entry: RecordAuditEntry | undefined, key: string) => {
  const value = entry?.detail[key];
  return typeof value === 'number' ? value : 0;
};

/**
 * Picks up the newest register file a school's MIS dropped and loads it, unattended:
 *
 * - Only the newest CSV file counts; older ones waiting are marked superseded (a newer export says
 *   everything they do). A file written in the last two minutes is left to settle.
 * - Every file read ends marked done at the source, so it is never listed (or loaded) again; a file
 *   with the same content as the last one the schedule finished with is marked `unchanged` and not
 *   loaded again (unless someone has loaded the register by hand since). So a refused or held-back
 *   file is tried again only when its content changes.
 * - Refused: too large, not UTF-8, not text, empty, no pupils, or any error the importer finds
 *   (nothing is loaded). The DSLs are told the first few errors by line and column, and how many.
 * - Held back: more than 10% of the pupils in the last load missing from the file looks like a
 *   partial export (an export stopped part way, a filter left on): not loaded, and the DSLs told.
 *   Pupils already missing from the last load (leavers, who stay on the register) do not count.
 * - Loaded: the DSLs are told only if the load removed a status or met a placing authority the
 *   profile has no Virtual School for; otherwise it is logged and recorded, and nobody is disturbed.
 * - A load that throws (storage down) is left for the next pass, up to three tries, then given up
 *   until the content changes, and the DSLs told.
 *
 * It does not take a lease: the caller holds the school's (jobs/registerPickup.ts).
 */
export class RegisterPickup {
  private readonly settleMs: number;
  private readonly partialPercent: number;
  private readonly maxAttempts: number;

  constructor(private readonly deps: RegisterPickupDeps) {
    this.settleMs = deps.settleMs ?? PICKUP_DEFAULTS.settleMs;
    this.partialPercent = deps.partialPercent ?? PICKUP_DEFAULTS.partialPercent;
    this.maxAttempts = deps.maxAttempts ?? PICKUP_DEFAULTS.maxAttempts;
  }

  /** Whether a file is ready to be picked up: a listing only, cheap enough for every pass. */
  async waiting(source: RegisterDropSource): Promise<boolean> {
    const newest = newestOf(await source.list());
    return newest !== undefined && this.settled(newest);
  }

  async pickUp(school: SchoolProfile, source: RegisterDropSource, options: PickupOptions): Promise<PickupResult> {
    const listed = await source.list();
    const newest = newestOf(listed);
    if (!newest) return { outcome: 'nothing', superseded: 0, told: 0 };
    if (!this.settled(newest)) return { outcome: 'settling', superseded: 0, told: 0 };

    const result = await this.process(school, source, newest, options);
    if (['changed', 'outOfTime', 'failed'].includes(result.outcome)) return result;
    let superseded = 0;
    for (const older of listed.filter((f) => f !== newest)) {
      if (await this.mark(school, source, older, { outcome: 'superseded', at: this.deps.clock() })) superseded++;
    }
    return { ...result, superseded };
  }

  private settled(file: DropFile): boolean {
    return this.deps.clock().getTime() - file.lastModified.getTime() >= this.settleMs;
  }

  private async process(school: SchoolProfile, source: RegisterDropSource, file: DropFile, options: PickupOptions): Promise<PickupResult> {
    const base = { superseded: 0, told: 0 };
    if (file.size > REGISTER_LIMITS.maxBytes) {
      // Not read at all. Known by its name and version, since its content is not.
      const id = sha256(Buffer.from(`${file.name}\n${file.version}`));
      if (pickupHistory(await this.deps.audit.registerLog(school.id), id).alreadyFinished) {
        await this.mark(school, source, file, { outcome: 'unchanged', at: this.deps.clock() });
        return { ...base, outcome: 'unchanged' };
      }
      return this.finish(school, source, file, { name: file.name, bytes: file.size, sha256: id }, { outcome: 'refused', notice: unreadable('tooLarge'), detail: { reason: 'tooLarge' } }, options, base);
    }
    let bytes: Buffer;
    try {
      bytes = await source.read(file);
    } catch (err) {
      if (err instanceof DropFileChangedError) return { ...base, outcome: 'changed' };
      throw err;
    }
    const read = { name: file.name, bytes: bytes.length, sha256: sha256(bytes) };
    const log = await this.deps.audit.registerLog(school.id);
    const history = pickupHistory(log, read.sha256);
    if (history.alreadyFinished) {
      // Told already, or loaded already: the same content again changes nothing.
      this.deps.logger.info({ event: 'registerPickup', school: school.id, source: source.where, outcome: 'unchanged', file: read.name, sha256: read.sha256.slice(0, 16) }, 'the register file is the same as the last one; not loaded again');
      await this.mark(school, source, file, { outcome: 'unchanged', at: this.deps.clock(), sha256: read.sha256 });
      return { ...base, outcome: 'unchanged', file: read };
    }

    const decoded = decodeRegisterFile(bytes);
    if (!decoded.ok) {
      return this.finish(school, source, file, read, { outcome: 'refused', notice: unreadable(decoded.reason), detail: { reason: decoded.reason } }, options, base);
    }

    let decision: Decision | { outcome: 'outOfTime' };
    try {
      decision = await this.load(school, decoded.text, log, options);
    } catch (err) {
      // The import threw (storage, a fault): counted against this content, and given up after a few tries.
      const attempt = history.failures + 1;
      const gaveUp = attempt >= this.maxAttempts;
      this.deps.logger.error(
        { event: 'registerPickupFailed', school: school.id, source: source.where, file: read.name, sha256: read.sha256.slice(0, 16), attempt, gaveUp, err: errorSummary(err) },
        gaveUp ? 'loading the register file failed again; giving up until its content changes' : 'loading the register file failed; the next pass tries again',
      );
      if (!gaveUp) {
        await this.record(school, read, 'failed', { attempt });
        return { ...base, outcome: 'failed', file: read, error: err };
      }
      const finished = await this.finish(school, source, file, read, { outcome: 'abandoned', notice: { kind: 'failed', attempts: attempt }, detail: { attempt } }, options, base);
      return { ...finished, error: err };
    }
    if (decision.outcome === 'outOfTime') return { ...base, outcome: 'outOfTime', file: read };
    return this.finish(school, source, file, read, decision, options, base);
  }

  /** Checks the file (a dry run), then loads it unless it is refused or looks partial. */
  private async load(school: SchoolProfile, text: string, log: readonly RecordAuditEntry[], options: PickupOptions): Promise<Decision | { outcome: 'outOfTime' }> {
    const dry = await this.deps.importer.import(school.id, text, SCHEDULED_ACTOR, { dryRun: true });
    if (dry.outcome === 'refused') {
      // Again for real, so the register's history records the refusal as it does any other.
      const refused = await this.deps.importer.import(school.id, text, SCHEDULED_ACTOR);
      return {
        outcome: 'refused',
        notice: { kind: 'refused', total: refused.total, errorCount: refused.errors.length, errors: refused.errors.slice(0, PICKUP_DEFAULTS.shown).map(placeOfError) },
        detail: { total: refused.total, errors: refused.errors.length },
      };
    }
    if (dry.total === 0) return { outcome: 'refused', notice: unreadable('noPupils'), detail: { reason: 'noPupils' } };

    // Compared with the last load (by anyone): pupils it already left out (leavers stay on the register) do not count again.
    const lastLoad = lastOf(log, (e) => e.action === 'importedRegister');
    const alreadyMissing = numberIn(lastLoad, 'notInFile');
    const onRegister = dry.updated + dry.unchanged + dry.notInFile;
    const compared = Math.max(0, onRegister - alreadyMissing);
    const missing = Math.max(0, dry.notInFile - alreadyMissing);
    if (compared > 0 && missing * 100 > this.partialPercent * compared) {
      return {
        outcome: 'heldBack',
        notice: { kind: 'heldBack', total: dry.total, compared, missing, percent: Math.round((missing * 1000) / compared) / 10, thresholdPercent: this.partialPercent },
        detail: { total: dry.total, notInFile: dry.notInFile, newlyMissing: missing, compared },
      };
    }

    if (options.mustFinishBy && this.deps.clock() >= options.mustFinishBy) return { outcome: 'outOfTime' };
    const report = await this.deps.importer.import(school.id, text, SCHEDULED_ACTOR);
    const counts = { total: report.total, created: report.created, updated: report.updated, unchanged: report.unchanged, notInFile: report.notInFile };
    if (report.outcome !== 'imported') {
      // The dry run passed a moment ago; the register changed under it. Told like any refusal.
      return {
        outcome: 'refused',
        notice: { kind: 'refused', total: report.total, errorCount: report.errors.length, errors: report.errors.slice(0, PICKUP_DEFAULTS.shown).map(placeOfError) },
        detail: { total: report.total, errors: report.errors.length },
      };
    }
    const matter = report.warnings
      .flatMap((w) => {
        const kind = warningKind(w);
        return kind ? [{ line: w.line, ...(w.column ? { column: w.column } : {}), kind }] : [];
      })
      .sort((a, b) => a.line - b.line);
    return {
      outcome: 'loaded',
      report: counts,
      ...(matter.length > 0
        ? {
            notice: {
              kind: 'loadedWithWarnings',
              total: counts.total,
              created: counts.created,
              updated: counts.updated,
              unchanged: counts.unchanged,
              warningCount: matter.length,
              warnings: matter.slice(0, PICKUP_DEFAULTS.shown),
            } satisfies RegisterPickupNotice,
          }
        : {}),
      detail: { ...counts, warnings: report.warnings.length, warningsToCheck: matter.length },
    };
  }

  /** Tells the DSLs if they need telling, records the outcome in the register's history, and marks the file done. */
  private async finish(
    school: SchoolProfile,
    source: RegisterDropSource,
    file: DropFile,
    read: NonNullable<PickupResult['file']>,
    decision: Decision,
    options: PickupOptions,
    base: { superseded: number; told: number },
  ): Promise<PickupResult> {
    // Told before the file is marked: a crash in between tells them again rather than never.
    const told = decision.notice ? await options.notify(decision.notice, file) : 0;
    await this.record(school, read, decision.outcome, decision.detail);
    this.deps.logger.info(
      { event: 'registerPickup', school: school.id, source: source.where, outcome: decision.outcome, file: read.name, bytes: read.bytes, sha256: read.sha256.slice(0, 16), notice: decision.notice?.kind, told, ...decision.detail },
      decision.notice ? 'picked up the register file; the DSLs were told' : 'picked up the register file',
    );
    if (decision.notice && told === 0) {
      this.deps.logger.warn({ event: 'registerPickupUntold', school: school.id, notice: decision.notice.kind }, 'the register file needs attention but no DSL could be told (none has the app installed?)');
    }
    await this.mark(school, source, file, { outcome: decision.outcome, at: this.deps.clock(), sha256: read.sha256 });
    return { ...base, outcome: decision.outcome, file: read, told, ...(decision.notice ? { notice: decision.notice } : {}), ...(decision.report ? { report: decision.report } : {}) };
  }

  private async record(school: SchoolProfile, read: NonNullable<PickupResult['file']>, outcome: DropOutcome | 'failed', detail: Record<string, number | string>): Promise<void> {
    await this.deps.audit.recordRegisterChange(school.id, {
      at: this.deps.clock().toISOString(),
      actor: SCHEDULED_ACTOR,
      action: PICKUP_ACTION,
      detail: { file: read.sha256.slice(0, 32), name: read.name.slice(0, 120), bytes: read.bytes, outcome, ...detail },
    });
  }

  /** Marks a file done; a source that cannot be marked (read-only) is logged, and the register's history still stops a second load. */
  private async mark(school: SchoolProfile, source: RegisterDropSource, file: DropFile, mark: DropMark): Promise<boolean> {
    try {
      const marked = await source.markDone(file, mark);
      if (!marked) this.deps.logger.info({ event: 'registerPickupFileChanged', school: school.id, file: file.name }, 'the register file changed after it was read; the next pass reads the new one');
      return marked;
    } catch (err) {
      this.deps.logger.warn(
        { event: 'registerPickupMarkFailed', school: school.id, source: source.where, file: file.name, outcome: mark.outcome, err: errorSummary(err) },
        'could not mark a register file done (can the app write to the folder or container?)',
      );
      return false;
    }
  }
}

interface Decision {
  outcome: DropOutcome;
  notice?: RegisterPickupNotice;
  report?: NonNullable<PickupResult['report']>;
  detail: Record<string, number | string>;
}

const unreadable = (reason: Extract<RegisterPickupNotice, { kind: 'unreadable' }>['reason']): RegisterPickupNotice => ({
  kind: 'unreadable',
  reason,
  maxMegabytes: REGISTER_LIMITS.maxBytes / 1024 / 1024,
});

function newestOf(files: readonly DropFile[]): DropFile | undefined {
  let newest: DropFile | undefined;
  for (const f of files) {
    const t = f.lastModified.getTime();
    if (!newest || t > newest.lastModified.getTime() || (t === newest.lastModified.getTime() && f.name > newest.name)) newest = f;
  }
  return newest;
}

function lastOf(log: readonly RecordAuditEntry[], test: (e: RecordAuditEntry) => boolean): RecordAuditEntry | undefined {
  for (let i = log.length - 1; i >= 0; i--) if (test(log[i]!)) return log[i];
  return undefined;
}

/**
 * What the register's history says of this content: whether the schedule already finished with it
 * (the last file it finished with, and nobody has loaded the register by hand since), and how many
 * times loading it has failed since.
 */
function pickupHistory(log: readonly RecordAuditEntry[], sha: string): { alreadyFinished: boolean; failures: number } {
  const file = sha.slice(0, 32);
  let failures = 0;
  for (let i = log.length - 1; i >= 0; i--) {
    const e = log[i]!;
    if (e.action === PICKUP_ACTION) {
      if (e.detail.outcome === 'failed') {
        if (e.detail.file === file) failures++;
        continue;
      }
      return { alreadyFinished: e.detail.file === file, failures };
    }
    if (e.action === 'importedRegister' && e.actor.aadObjectId !== SCHEDULED_ACTOR.aadObjectId) break;
  }
  return { alreadyFinished: false, failures };
}
