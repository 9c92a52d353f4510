import { spawn } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { readdirSync, readFileSync } from 'node:fs';
import { installNetworkDelay, networkDelaysFrom } from '../bench/networkDelay';
import { pinToCpu } from '../bench/processes';

/**
 * `npm run bench -- --rtt <ms> --bot-own-core` places the bots as a deployment would: their storage
 * and Teams a network away, a core of their own. Both only change where the figures come from, so
 * what is checked is that they do what they say and undo cleanly.
 */
describe('the bench\'s network delay', () => {
  let server: http.Server;
  let url: string;
  /** The bodies of the requests the server has had, in the order they came. */
  const arrivals: string[] = [];
  // Taken before any delay is installed: a request that is never held back, to time the others by.
  const undelayedRequest = http.request;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        arrivals.push(body);
        res.end('ok');
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  afterEach(() => jest.useRealTimers());

  const post = (body: string, request = http.request) =>
    new Promise<string>((resolve, reject) => {
      const req = request(`${url}/x`, { method: 'POST' }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve(text));
      });
      req.on('error', reject);
      req.end(body);
    });

  it('holds each request back until the round trip has passed, then it arrives whole and is answered', async () => {
    // Fake timers for setTimeout alone: the sockets' own I/O still runs, so the server would see
    // the request at once if it had not been held back.
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    const restore = installNetworkDelay({ ms: 40 });
    try {
      arrivals.length = 0;
      const answered = post('held back');
      // A request sent after it, not held back, is answered while the first has still not arrived.
      await post('control', undelayedRequest);
      jest.advanceTimersByTime(39);
      await post('control', undelayedRequest);
      expect(arrivals).toEqual(['control', 'control']);
      jest.advanceTimersByTime(1);
      expect(await answered).toBe('ok');
      expect(arrivals).toEqual(['control', 'control', 'held back']);
    } finally {
      restore();
    }
  });

  it('puts http back as it was, so nothing after it waits', async () => {
    const original = http.request;
    const originalGet = http.get;
    installNetworkDelay({ ms: 40 })();
    expect(http.request).toBe(original);
    expect(http.get).toBe(originalGet);
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    // No timer is advanced: an undelayed request is answered all the same.
    expect(await post('x')).toBe('ok');
  });

  it('changes nothing with a round trip of 0, as without the flag', () => {
    const original = http.request;
    installNetworkDelay(networkDelaysFrom({}));
    expect(http.request).toBe(original);
  });

  it('gives Teams its own round trip, by the host a request names, and the rest the other', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    const host = new URL(url).host;
    // Teams a long way off, storage next door: this server stands for Teams.
    const restore = installNetworkDelay(networkDelaysFrom({ BENCH_NETWORK_RTT_MS: '0', BENCH_TEAMS_RTT_MS: '30', BENCH_TEAMS_HOST: host }));
    try {
      arrivals.length = 0;
      const answered = post('to Teams');
      await post('control', undelayedRequest);
      expect(arrivals).toEqual(['control']);
      jest.advanceTimersByTime(30);
      expect(await answered).toBe('ok');
    } finally {
      restore();
    }
    // Now it stands for storage, 0 ms away, while Teams (elsewhere) is 30: no timer needs to run.
    const restoreOther = installNetworkDelay(networkDelaysFrom({ BENCH_NETWORK_RTT_MS: '0', BENCH_TEAMS_RTT_MS: '30', BENCH_TEAMS_HOST: '127.0.0.1:1' }));
    try {
      expect(await post('to storage')).toBe('ok');
    } finally {
      restoreOther();
    }
  });
});

describe('the bench\'s placement of a process on one CPU', () => {
  it('moves the process and all its threads there', async () => {
    // A Node child has several threads from the start (V8's platform workers): each must move.
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    try {
      const threadsOf = () => readdirSync(`/proc/${child.pid}/task`);
      for (let i = 0; i < 100 && threadsOf().length < 2; i++) await new Promise((r) => setTimeout(r, 50));
      pinToCpu(child.pid!, 0);
      const threads = threadsOf();
      expect(threads.length).toBeGreaterThan(1);
      for (const tid of threads) expect(readFileSync(`/proc/${child.pid}/task/${tid}/status`, 'utf8')).toMatch(/^Cpus_allowed_list:\s+0$/m);
    } finally {
      child.kill();
      await once(child, 'exit');
    }
  });
});
