import { Next, Request, Response } from 'restify';
import { Logger } from '../telemetry/logger';

/** Hosts that can only be this computer: a rebound DNS name never is. */
const LOOPBACK_HOST = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d{1,5})?$/i;

/** Paths whose bodies are JSON and nothing else. */
const JSON_APIS = ['/api/messages', '/api/tab/', '/api/digest'];

/**
 * Checks made before any route runs:
 * - local mode answers only requests addressed to a loopback host. It has no authentication and
 *   trusts loopback, and a web page on another site could otherwise reach it through DNS
 *   rebinding (a name that resolves to 127.0.0.1). 421 Misdirected Request.
 * - the JSON APIs take application/json only (415 otherwise): a browser sends a cross-site form
 *   post (urlencoded, multipart, text/plain) without asking first, but never JSON.
 * - every answer says nosniff, so nothing is ever run as something it was not sent as.
 */
export function httpGuards(o: { loopbackOnly: boolean; logger: Logger }) {
  return (req: Request, res: Response, next: Next): void => {
    res.header('X-Content-Type-Options', 'nosniff');
    const host = typeof req.headers.host === 'string' ? req.headers.host : '';
    if (o.loopbackOnly && !LOOPBACK_HOST.test(host)) {
      o.logger.warn({ event: 'hostRefused' }, 'local mode refused a request not addressed to a loopback host');
      refuse(res, 421, 'This server answers only on this computer: open it at localhost or 127.0.0.1.');
      return next(false);
    }
    const path = req.getPath?.() ?? req.url ?? '';
    if (req.method === 'POST' && JSON_APIS.some((p) => path === p || path.startsWith(p))) {
      const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (type !== 'application/json') {
        refuse(res, 415, 'Send the body as application/json.');
        return next(false);
      }
    }
    next();
  };
}

function refuse(res: Response, status: number, error: string): void {
  res.header('Connection', 'close');
  res.status(status);
  res.json({ error });
}
