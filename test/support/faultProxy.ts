import net from 'node:net';

/**
 * A TCP proxy between the bot and Azurite that can break the connection in the ways a real network
 * and a real storage service do. The bot reaches Azurite through it with a connection string whose
 * TableEndpoint is the proxy's port (`connectionStringFor('127.0.0.1', proxy.port)`).
 *
 * It reads just enough HTTP to know where each request starts (the Azure SDK keeps connections
 * alive and sends one request at a time on each), so a fault can hit one chosen request, such as
 * the `$batch` that saves a case, rather than whatever happens to share its socket.
 */
export type FaultKind = 'dropOnConnect' | 'dropBeforeRequest' | 'dropAfterRequest' | 'delayRequest' | 'delayResponse' | 'http503';

export type Fault =
  | { kind: 'pass' }
  /** New connections are destroyed as soon as they are accepted (only new ones: kept-alive sockets live on). */
  | { kind: 'dropOnConnect' }
  /** The request is cut off before any of it reaches Azurite: nothing can have been applied. */
  | { kind: 'dropBeforeRequest' }
  /** The request reaches Azurite and is applied; the connection dies as its answer starts back. */
  | { kind: 'dropAfterRequest' }
  /** The request is held for `ms`; forwarded only if the client is still waiting then (so a client that gave up never applies it late). */
  | { kind: 'delayRequest'; ms: number }
  /** The request is applied at once; its answer is held for `ms` and thrown away if the client gave up. */
  | { kind: 'delayResponse'; ms: number }
  /** Answered `HTTP/1.1 503 Service Unavailable` by the proxy; Azurite never sees it. */
  | { kind: 'http503' };

export interface RequestHead {
  method: string;
  path: string;
  headers: Record<string, string>;
}

export interface FaultOptions {
  /** Which requests the fault hits (default: every request). Ignored by dropOnConnect. */
  match?: (req: RequestHead) => boolean;
  /** How many requests (or connections) it hits before the proxy passes again (default: no limit). */
  times?: number;
}

/** Requests that save several rows at once: how every case is saved. */
export const isBatch = (req: RequestHead) => req.method === 'POST' && /\/\$batch(\?|$)/.test(req.path);

export class FaultProxy {
  /** How many requests (or connections) each kind of fault actually hit. */
  readonly injected: Record<FaultKind, number> = { dropOnConnect: 0, dropBeforeRequest: 0, dropAfterRequest: 0, delayRequest: 0, delayResponse: 0, http503: 0 };
  /** Everything that went through, faulted or not. */
  readonly seen = { connections: 0, requests: 0 };
  /** Each request that went through, in order: which tables a piece of work read and wrote. */
  readonly heads: RequestHead[] = [];
  private fault: Fault = { kind: 'pass' };
  private options: FaultOptions = {};
  private remaining = Infinity;
  private readonly server = net.createServer((client) => this.accept(client));
  private readonly sockets = new Set<net.Socket>();

  constructor(
    private upstreamPort: number,
    private readonly upstreamHost = '127.0.0.1',
  ) {}

  async start(port = 0): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve());
    });
    return this.port;
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  /** Where Azurite is now (it may come back on the same port after a restart, or another). */
  retarget(port: number): void {
    this.upstreamPort = port;
  }

  set(fault: Fault, options: FaultOptions = {}): void {
    this.fault = fault;
    this.options = options;
    this.remaining = options.times ?? Infinity;
  }

  pass(): void {
    this.set({ kind: 'pass' });
  }

  /** Cuts every open connection, as a network blip or a restarted service does. */
  cutAll(): void {
    for (const s of this.sockets) s.destroy();
  }

  async stop(): Promise<void> {
    this.cutAll();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The fault for this request (or connection), counting it; pass when none applies. */
  private take(req: RequestHead | undefined): Fault {
    if (req) {
      this.seen.requests++;
      this.heads.push(req);
    } else this.seen.connections++;
    const f = this.fault;
    if (f.kind === 'pass' || this.remaining <= 0) return { kind: 'pass' };
    if ((f.kind === 'dropOnConnect') !== (req === undefined)) return { kind: 'pass' };
    if (req && this.options.match && !this.options.match(req)) return { kind: 'pass' };
    this.remaining--;
    this.injected[f.kind]++;
    return f;
  }

  private track(socket: net.Socket): void {
    // Without this, a request's head and body forwarded as two writes wait on Nagle and delayed ACKs (40 ms each).
    socket.setNoDelay(true);
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    // A destroyed peer shows up here as ECONNRESET or EPIPE: expected, and the other side is closed too.
    socket.on('error', () => socket.destroy());
  }

  private accept(client: net.Socket): void {
    this.track(client);
    if (this.take(undefined).kind === 'dropOnConnect') {
      client.destroy();
      return;
    }
    const upstream = net.connect(this.upstreamPort, this.upstreamHost);
    this.track(upstream);
    let answering503 = false;
    const closeBoth = () => {
      client.destroy();
      upstream.destroy();
    };
    client.once('close', closeBoth);
    // While the proxy itself is answering 503, Azurite closing its idle socket must not cut that answer.
    upstream.once('close', () => {
      if (!answering503) closeBoth();
    });

    // Upstream to client: passed through, unless the current request's answer is to be lost or held.
    let answer: 'pass' | 'cut' | { holdMs: number } = 'pass';
    upstream.on('data', (chunk: Buffer) => {
      if (answer === 'pass') client.write(chunk);
      else if (answer === 'cut') closeBoth();
      else {
        const ms = answer.holdMs;
        upstream.pause();
        setTimeout(() => {
          if (client.destroyed) return closeBoth();
          answer = 'pass';
          client.write(chunk);
          upstream.resume();
        }, ms);
      }
    });

    // Client to upstream: split into requests, each passed, held, refused or cut.
    let buffered = Buffer.alloc(0);
    let bodyLeft = 0;
    let chunked = false;
    let current: Fault = { kind: 'pass' };
    let holding: Buffer[] | undefined;

    const forward = (bytes: Buffer) => {
      if (bytes.length === 0) return;
      if (holding) holding.push(bytes);
      else if (!answering503) upstream.write(bytes);
    };

    const requestDone = () => {
      if (current.kind === 'http503') {
        // Closed once the answer is flushed: destroying at once could lose it, which would be a drop, not a 503.
        client.end('HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 19\r\nConnection: close\r\n\r\nService Unavailable', closeBoth);
      }
    };

    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length > 0 && !client.destroyed) {
        if (bodyLeft > 0) {
          const take = buffered.subarray(0, Math.min(bodyLeft, buffered.length));
          buffered = buffered.subarray(take.length);
          bodyLeft -= take.length;
          forward(take);
          if (bodyLeft === 0) requestDone();
          continue;
        }
        if (chunked) {
          // A chunked body ends with a zero-length chunk; the SDK sends Content-Length, so this is a fallback.
          const end = buffered.indexOf('\r\n0\r\n\r\n');
          if (end < 0) {
            forward(buffered);
            buffered = Buffer.alloc(0);
            return;
          }
          forward(buffered.subarray(0, end + 7));
          buffered = buffered.subarray(end + 7);
          chunked = false;
          requestDone();
          continue;
        }
        const headEnd = buffered.indexOf('\r\n\r\n');
        if (headEnd < 0) return;
        const headBytes = buffered.subarray(0, headEnd + 4);
        buffered = buffered.subarray(headEnd + 4);
        const head = parseHead(headBytes.toString('latin1'));
        current = this.take(head);
        answer = 'pass';
        answering503 = false;
        if (current.kind === 'dropBeforeRequest') {
          closeBoth();
          return;
        }
        if (current.kind === 'dropAfterRequest') answer = 'cut';
        if (current.kind === 'delayResponse') answer = { holdMs: current.ms };
        if (current.kind === 'http503') answering503 = true;
        if (current.kind === 'delayRequest') {
          const held: Buffer[] = [];
          holding = held;
          client.pause();
          setTimeout(() => {
            if (client.destroyed) return closeBoth();
            holding = undefined;
            for (const b of held) upstream.write(b);
            client.resume();
          }, current.ms);
        }
        forward(headBytes);
        const length = Number(head.headers['content-length'] ?? 0);
        chunked = /chunked/i.test(head.headers['transfer-encoding'] ?? '');
        bodyLeft = Number.isFinite(length) && length > 0 ? length : 0;
        if (bodyLeft === 0 && !chunked) requestDone();
      }
    };
    client.on('data', onData);
  }
}

function parseHead(text: string): RequestHead {
  const [requestLine = '', ...lines] = text.split('\r\n');
  const [method = '', path = ''] = requestLine.split(' ');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { method, path, headers };
}
