import restify, { Next, Request, RequestHandler, Response } from 'restify';
import { runWithLogFields } from './logContext';

/** Runs the rest of the request's handlers with its correlation id (restify's own request id) on every log line. */
export function correlate(req: Request, _res: Response, next: Next): void {
  runWithLogFields({ req: req.id() }, () => next());
}

/**
 * restify's body parser, then the request's log fields again: the body is read in the socket's
 * stream callbacks, which run outside the request's async context, so it is lost on the way.
 */
export function bodyParserKeepingLogContext(options: restify.plugins.BodyParserOptions): RequestHandler[] {
  return [...restify.plugins.bodyParser(options), correlate];
}
