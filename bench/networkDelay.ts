import http from 'node:http';
import https from 'node:https';

/** How far away each service is: a round trip in ms, by the `host:port` a request names, and for any other. */
export interface NetworkDelays {
  ms: number;
  byHost?: Readonly<Record<string, number>>;
}

/**
 * The bench's stand-in for a network between the bot and the services it calls (`--rtt`,
 * `--teams-rtt`): every HTTP request this process makes (Azure Tables, the Bot Connector) reaches
 * its server a round trip later. On one machine everything is on loopback, where a round trip
 * costs nothing, so without it the bench cannot say how the bot fares where its storage and Teams
 * are a network away (docs/PERFORMANCE.md, "choices for the team").
 *
 * The request's end is held back, not its response: the server sees the whole request a round trip
 * late and answers at once, which is the same wait for the caller and keeps the patch to one
 * method. Requests the bot answers (its own server) are not delayed.
 *
 * Returns what puts http and https back as they were (a test's other requests must not wait).
 */
export function installNetworkDelay(delays: NetworkDelays): () => void {
  const byHost = new Map(Object.entries(delays.byHost ?? {}));
  if (!(delays.ms > 0) && ![...byHost.values()].some((ms) => ms > 0)) return () => undefined;
  const restore = [http, https].map((mod) => {
    const { request, get } = mod;
    const delayed = function (this: unknown, ...args: Parameters<typeof http.request>): http.ClientRequest {
      const req = (request as (...a: Parameters<typeof http.request>) => http.ClientRequest).apply(this, args);
      const host = req.getHeader('host');
      const ms = (typeof host === 'string' ? byHost.get(host) : undefined) ?? delays.ms;
      if (!(ms > 0)) return req;
      const end = req.end;
      req.end = function (this: http.ClientRequest, ...endArgs: unknown[]) {
        setTimeout(() => (end as (...a: unknown[]) => unknown).apply(req, endArgs), ms);
        return req;
      } as typeof req.end;
      return req;
    } as typeof http.request;
    mod.request = delayed;
    // `get` calls the module's own request, not the property: it has to be given the delayed one.
    mod.get = function (...args: Parameters<typeof http.get>) {
      const req = (delayed as (...a: Parameters<typeof http.get>) => http.ClientRequest)(...args);
      req.end();
      return req;
    } as typeof http.get;
    return () => {
      mod.request = request;
      mod.get = get;
    };
  });
  return () => restore.forEach((r) => r());
}

/** The preload's settings, from the environment bench/run.ts gives each bot. */
export function networkDelaysFrom(env: NodeJS.ProcessEnv): NetworkDelays {
  const ms = Number(env.BENCH_NETWORK_RTT_MS ?? 0);
  const teamsHost = env.BENCH_TEAMS_HOST;
  const teamsMs = Number(env.BENCH_TEAMS_RTT_MS ?? ms);
  return { ms, ...(teamsHost ? { byHost: { [teamsHost]: teamsMs } } : {}) };
}
