import { Next, Request, Response, Server } from 'restify';
import { z } from 'zod';
import { errorSummary } from '../../telemetry/errors';
import { Logger } from '../../telemetry/logger';
import { bodyParserKeepingLogContext } from '../../telemetry/requestLogContext';
import { SchoolDirectory } from '../../services/schoolDirectory';
import { Membership } from '../../services/schoolDirectory';
import { TrustRepository } from '../../storage/trustRepository';
import { DevelopmentSignIn } from './developmentSignIn';
import { TabApi, TabResponse } from './tabApi';
import { TabAssets } from './tabAssets';
import { schoolFromQuery } from './tabCaller';
import { TabAuthenticator, TabIdentity } from './tabIdentity';
import { TabSettingsApi } from './tabSettings';

/** What the register upload does; the importer lives in bot/ and is passed in. */
export type RegisterUpload = (membership: Membership, csv: string, dryRun: boolean) => Promise<TabResponse>;

export interface TabRouteDeps {
  api: TabApi;
  /** The Settings view's API (roles, Virtual Schools, term dates, the profile, new schools). */
  settings?: TabSettingsApi;
  auth: TabAuthenticator;
  assets: TabAssets;
  logger: Logger;
  /** Local mode only; absent in production, so its routes do not exist there. */
  development?: { signIn: DevelopmentSignIn; directory: SchoolDirectory; trusts?: TrustRepository };
  upload?: RegisterUpload;
  /** Largest register upload accepted (the CSV inside a JSON body). */
  maxUploadBytes: number;
  /** Largest settings request accepted (a term-dates file or a profile inside a JSON body). */
  maxSettingsBytes?: number;
}

/** Teams hosts the tab in an iframe on these origins; nothing else may frame it. */
const FRAME_ANCESTORS = [
  "'self'",
  'https://teams.microsoft.com',
  'https://*.teams.microsoft.com',
  'https://*.cloud.microsoft',
  'https://*.office.com',
  'https://*.microsoft365.com',
  'https://*.skype.com',
].join(' ');

const CSP = `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' https://res.cdn.office.net; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors ${FRAME_ANCESTORS}`;

const pupilIdParam = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
/** A role change, a Virtual School's contact or an action's note is a few hundred bytes (a note at most 1,000 characters). */
const SMALL_SETTINGS_BYTES = 16 * 1024;
const uploadBody = z.object({ csv: z.string().min(1), dryRun: z.boolean().default(true) });
const signInBody = z.object({ aadObjectId: z.string().min(1).max(64) });

export function registerTabRoutes(server: Server, deps: TabRouteDeps): void {
  const { api, logger } = deps;

  server.get('/tab', async (_req: Request, res: Response) => {
    res.header('Location', '/tab/');
    res.send(302);
  });
  server.get('/tab/:file', async (req: Request, res: Response) => {
    const name = String(req.params.file ?? '');
    serveAsset(res, deps.assets, name);
  });
  server.get('/tab/', async (_req: Request, res: Response) => serveAsset(res, deps.assets, 'index.html'));

  /** Identities checked before a body was read (see `signedInFirst`), by request. */
  const checked = new WeakMap<Request, TabIdentity>();
  const authenticate = (req: Request) => deps.auth.authenticate(typeof req.headers.authorization === 'string' ? req.headers.authorization : undefined);

  /** Every API route: authenticate, answer, never cache, never leak a stack. */
  const route = (handler: (identity: TabIdentity, req: Request) => Promise<TabResponse>) => async (req: Request, res: Response) => {
    res.header('Cache-Control', 'no-store');
    const identity = checked.get(req) ?? (await authenticate(req));
    if (!identity) return sendJson(res, 401, { error: 'Please sign in again.' });
    try {
      const out = await handler(identity, req);
      if (out.file) return sendFile(res, out.file);
      return sendJson(res, out.status, out.body);
    } catch (err) {
      logger.error({ event: 'tabRequestFailed', path: req.path(), err: errorSummary(err) }, 'tab request failed');
      return sendJson(res, 503, { error: 'The dashboard could not reach its records just now. Nothing was changed; please try again.' });
    }
  };

  /** A route about one of the caller's schools: `?school=` chooses it (validated), else their first. */
  const forSchool = (handler: (identity: TabIdentity, school: string | undefined, req: Request) => Promise<TabResponse>) =>
    route(async (identity, req) => {
      const asked = schoolFromQuery(req.getQuery());
      if (!asked.ok) return asked.response;
      return handler(identity, asked.school, req);
    });

  server.get('/api/tab/me', forSchool((identity, school) => api.me(identity, school)));
  server.get('/api/tab/cohort', forSchool((identity, school) => api.cohort(identity, school)));
  server.get('/api/tab/actions', forSchool((identity, school) => api.actions(identity, school)));
  server.get('/api/tab/digest', forSchool((identity, school) => api.digest(identity, school)));
  server.get(
    '/api/tab/pupils/:pupilId',
    forSchool(async (identity, school, req) => {
      const id = pupilIdParam.safeParse(req.params.pupilId);
      if (!id.success) return { status: 400, body: { error: 'That is not a child’s record id.' } };
      return api.chronology(identity, id.data, school);
    }),
  );
  server.get(
    '/api/tab/pupils/:pupilId/chronology.pdf',
    forSchool(async (identity, school, req) => {
      const id = pupilIdParam.safeParse(req.params.pupilId);
      if (!id.success) return { status: 400, body: { error: 'That is not a child’s record id.' } };
      return api.exportChronology(identity, id.data, school);
    }),
  );

  const uploadParser = bodyParserKeepingLogContext({ maxBodySize: deps.maxUploadBytes, mapParams: false, mapFiles: false, rejectUnknown: true });
  /** Before a body is read: a request without a valid token is refused at once, and its body never read. */
  // A callback handler (restify takes async handlers with two arguments only), so it can stop the chain.
  const signedInFirst = (req: Request, res: Response, next: Next): void => {
    authenticate(req).then((identity) => {
      if (!identity) {
        res.header('Connection', 'close');
        res.header('Cache-Control', 'no-store');
        sendJson(res, 401, { error: 'Please sign in again.' });
        return next(false);
      }
      checked.set(req, identity);
      next();
    }, next);
  };
  server.post(
    '/api/tab/register',
    signedInFirst,
    uploadParser,
    forSchool(async (identity, school, req) => {
      const m = await api.allowed(identity, 'importRegister', school);
      if ('status' in m) return m;
      if (!deps.upload) return { status: 503, body: { error: 'Loading the register is not available on this server.' } };
      const body = uploadBody.safeParse(req.body);
      if (!body.success) return { status: 400, body: { error: 'Expected {"csv": "<the file’s text>", "dryRun": true|false}.' } };
      return deps.upload(m, body.data.csv, body.data.dryRun);
    }),
  );

  const actionParser = bodyParserKeepingLogContext({ maxBodySize: SMALL_SETTINGS_BYTES, mapParams: false, mapFiles: false, rejectUnknown: true });
  server.post('/api/tab/actions/close', signedInFirst, actionParser, forSchool((identity, school, req) => api.closeAction(identity, req.body, school)));
  server.post('/api/tab/actions/reassign', signedInFirst, actionParser, forSchool((identity, school, req) => api.reassignAction(identity, req.body, school)));

  if (deps.settings) {
    const settings = deps.settings;
    const small = bodyParserKeepingLogContext({ maxBodySize: SMALL_SETTINGS_BYTES, mapParams: false, mapFiles: false, rejectUnknown: true });
    const large = bodyParserKeepingLogContext({ maxBodySize: deps.maxSettingsBytes ?? 512 * 1024, mapParams: false, mapFiles: false, rejectUnknown: true });
    server.get('/api/tab/settings', forSchool((identity, school) => settings.view(identity, school)));
    server.get('/api/tab/settings/template', route((identity, req) => settings.template(identity, req.getQuery())));
    server.post('/api/tab/settings/role', signedInFirst, small, forSchool((identity, school, req) => settings.changeRole(identity, req.body, school)));
    server.post('/api/tab/settings/virtual-school', signedInFirst, small, forSchool((identity, school, req) => settings.saveVirtualSchool(identity, req.body, school)));
    server.post('/api/tab/settings/term-dates', signedInFirst, large, forSchool((identity, school, req) => settings.termDates(identity, req.body, school)));
    server.post('/api/tab/settings/profile', signedInFirst, large, forSchool((identity, school, req) => settings.profile(identity, req.body, school)));
  }

  if (deps.development) registerDevelopmentSignIn(server, deps.development, logger);
}

/**
 * Local mode only: who can be signed in as (the staff of the schools in the store, which locally
 * is the synthetic demo school), and a token for one of them.
 */
function registerDevelopmentSignIn(server: Server, dev: NonNullable<TabRouteDeps['development']>, logger: Logger): void {
  const smallJson = bodyParserKeepingLogContext({ maxBodySize: 4096, mapParams: false, mapFiles: false, rejectUnknown: true });
  /** Everyone who can be signed in as: each person once, with their roles and schools, and the trusts' administrators. */
  const people = async () => {
    const byId = new Map<string, { aadObjectId: string; name: string; roles: string[]; school: string; tenantId: string }>();
    for (const s of await dev.directory.all()) {
      for (const m of s.staff) {
        const seen = byId.get(m.aadObjectId);
        if (seen && seen.tenantId === s.tenantId) {
          seen.roles = [...new Set([...seen.roles, ...m.roles])];
          seen.school = `${seen.school} and ${s.name}`;
        } else if (!seen) byId.set(m.aadObjectId, { aadObjectId: m.aadObjectId, name: m.name, roles: [...m.roles], school: s.name, tenantId: s.tenantId });
      }
    }
    for (const t of (await dev.trusts?.list()) ?? []) {
      for (const a of t.admins) {
        const seen = byId.get(a.aadObjectId);
        if (seen && seen.tenantId === t.tenantId) seen.roles = [...seen.roles, 'trust administrator'];
        else if (!seen) byId.set(a.aadObjectId, { aadObjectId: a.aadObjectId, name: a.name, roles: ['trust administrator'], school: t.name, tenantId: t.tenantId });
      }
    }
    return [...byId.values()];
  };
  server.get('/api/tab/dev/staff', async (_req: Request, res: Response) => {
    sendJson(res, 200, {
      notice: 'Development sign-in: local mode only. It does not exist in production, where Teams signs staff in.',
      staff: (await people()).map(({ tenantId: _tenant, ...p }) => p),
    });
  });
  server.post('/api/tab/dev/sign-in', smallJson, async (req: Request, res: Response) => {
    const body = signInBody.safeParse(req.body);
    if (!body.success) return sendJson(res, 400, { error: 'Expected {"aadObjectId": "..."}.' });
    const person = (await people()).find((p) => p.aadObjectId === body.data.aadObjectId);
    if (!person) return sendJson(res, 404, { error: 'No one with that id is on a staff list.' });
    logger.info({ event: 'developmentSignIn' }, 'development sign-in (local mode)');
    sendJson(res, 200, { token: await dev.signIn.issue(person.tenantId, person.aadObjectId, person.name) });
  });
}

function serveAsset(res: Response, assets: TabAssets, name: string): void {
  const asset = assets.get(name);
  if (!asset) {
    res.status(404);
    res.header('Content-Type', 'text/plain; charset=utf-8');
    res.end(name === 'app.js' ? 'The tab has not been built: run npm run build.' : 'Not found.');
    return;
  }
  res.status(200);
  res.header('Content-Type', asset.contentType);
  res.header('Content-Security-Policy', CSP);
  res.header('X-Content-Type-Options', 'nosniff');
  res.header('Referrer-Policy', 'no-referrer');
  res.header('Cache-Control', 'no-cache');
  res.end(asset.body);
}

/** A download: never shown in the tab's own frame, never sniffed as anything else. */
function sendFile(res: Response, file: NonNullable<TabResponse['file']>): void {
  res.status(200);
  res.header('Content-Type', file.contentType);
  res.header('Content-Disposition', `attachment; filename="${file.name.replace(/[^A-Za-z0-9._-]/g, '_')}"`);
  res.header('X-Content-Type-Options', 'nosniff');
  res.header('Content-Length', String(file.bytes.length));
  res.end(file.bytes);
}

function sendJson(res: Response, status: number, body: unknown): void {
  res.status(status);
  res.json(body ?? {});
}
