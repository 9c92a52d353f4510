import { Next, Request, Response, Server } from 'restify';
import { z } from 'zod';
import { errorSummary } from '../../telemetry/errors';
import { Logger } from '../../telemetry/logger';
import { bodyParserKeepingLogContext } from '../../telemetry/requestLogContext';
import { SchoolDirectory } from '../../services/schoolDirectory';
import { Membership } from '../../services/schoolDirectory';
import { DevelopmentSignIn } from './developmentSignIn';
import { TabApi, TabResponse } from './tabApi';
import { TabAssets } from './tabAssets';
import { TabAuthenticator, TabIdentity } from './tabIdentity';

/** What the register upload does; the importer lives in bot/ and is passed in. */
export type RegisterUpload = (membership: Membership, csv: string, dryRun: boolean) => Promise<TabResponse>;

export interface TabRouteDeps {
  api: TabApi;
  auth: TabAuthenticator;
  assets: TabAssets;
  logger: Logger;
  /** Local mode only; absent in production, so its routes do not exist there. */
  development?: { signIn: DevelopmentSignIn; directory: SchoolDirectory };
  upload?: RegisterUpload;
  /** Largest register upload accepted (the CSV inside a JSON body). */
  maxUploadBytes: number;
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
      return sendJson(res, out.status, out.body);
    } catch (err) {
      logger.error({ event: 'tabRequestFailed', path: req.path(), err: errorSummary(err) }, 'tab request failed');
      return sendJson(res, 503, { error: 'The dashboard could not reach its records just now. Nothing was changed; please try again.' });
    }
  };

  server.get('/api/tab/me', route((identity) => api.me(identity)));
  server.get('/api/tab/cohort', route((identity) => api.cohort(identity)));
  server.get('/api/tab/actions', route((identity) => api.actions(identity)));
  server.get('/api/tab/digest', route((identity) => api.digest(identity)));
  server.get(
    '/api/tab/pupils/:pupilId',
    route(async (identity, req) => {
      const id = pupilIdParam.safeParse(req.params.pupilId);
      if (!id.success) return { status: 400, body: { error: 'That is not a child’s record id.' } };
      return api.chronology(identity, id.data);
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
    route(async (identity, req) => {
      const m = await api.allowed(identity, 'importRegister');
      if ('status' in m) return m;
      if (!deps.upload) return { status: 503, body: { error: 'Loading the register is not available on this server.' } };
      const body = uploadBody.safeParse(req.body);
      if (!body.success) return { status: 400, body: { error: 'Expected {"csv": "<the file’s text>", "dryRun": true|false}.' } };
      return deps.upload(m, body.data.csv, body.data.dryRun);
    }),
  );

  if (deps.development) registerDevelopmentSignIn(server, deps.development, logger);
}

/**
 * Local mode only: who can be signed in as (the staff of the schools in the store, which locally
 * is the synthetic demo school), and a token for one of them.
 */
function registerDevelopmentSignIn(server: Server, dev: NonNullable<TabRouteDeps['development']>, logger: Logger): void {
  const smallJson = bodyParserKeepingLogContext({ maxBodySize: 4096, mapParams: false, mapFiles: false, rejectUnknown: true });
  server.get('/api/tab/dev/staff', async (_req: Request, res: Response) => {
    const schools = await dev.directory.all();
    sendJson(res, 200, {
      notice: 'Development sign-in: local mode only. It does not exist in production, where Teams signs staff in.',
      staff: schools.flatMap((s) => s.staff.map((m) => ({ aadObjectId: m.aadObjectId, name: m.name, roles: m.roles, school: s.name }))),
    });
  });
  server.post('/api/tab/dev/sign-in', smallJson, async (req: Request, res: Response) => {
    const body = signInBody.safeParse(req.body);
    if (!body.success) return sendJson(res, 400, { error: 'Expected {"aadObjectId": "..."}.' });
    const school = (await dev.directory.all()).find((s) => s.staff.some((m) => m.aadObjectId === body.data.aadObjectId));
    const member = school?.staff.find((m) => m.aadObjectId === body.data.aadObjectId);
    if (!school || !member) return sendJson(res, 404, { error: 'No one with that id is on a staff list.' });
    logger.info({ event: 'developmentSignIn', school: school.id }, 'development sign-in (local mode)');
    sendJson(res, 200, { token: await dev.signIn.issue(school.tenantId, member.aadObjectId, member.name) });
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

function sendJson(res: Response, status: number, body: unknown): void {
  res.status(status);
  res.json(body ?? {});
}
