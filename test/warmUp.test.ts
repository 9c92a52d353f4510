import pino from 'pino';
import { DEMO_SCHOOL_ID, DEMO_STAFF, PLAYGROUND_TENANT_ID } from '../demo/demoSchool';
import { connectionStringFor } from '../scripts/azurite';
import { SchoolProfile } from '../policy/schoolProfile';
import { warmUp, WarmUpSources } from '../services/warmUp';
import { postActivity, teamsMessage } from './support/activities';
import { startTestApp, TestApp } from './support/app';
import { FaultProxy, RequestHead } from './support/faultProxy';
import { SCHOOL_B_ID, SCHOOL_B_STAFF, SCHOOL_B_TENANT_ID, seedTwoSchools } from './support/secondSchool';
import { azuriteConnectionString } from './support/store';

/**
 * A new instance (a restart, a deployment, a scale-out in the morning rush) reads every school's
 * staff roster and register before it listens, so the first people to ask wait for no storage. All
 * schools and children are synthetic.
 */
describe('a new instance reads every school before it takes requests', () => {
  let proxy: FaultProxy;
  let app: TestApp | undefined;
  let prefix = '';

  beforeAll(async () => {
    prefix = await seedTwoSchools();
    proxy = new FaultProxy(Number(new URL(/TableEndpoint=([^;]+)/.exec(azuriteConnectionString())![1]!).port));
    await proxy.start();
  });
  afterAll(async () => {
    await app?.stop();
    await proxy.stop();
  });

  /** The register reads among these requests, as the paths they asked for. */
  const registerReads = (heads: readonly RequestHead[]) => heads.map((h) => (h.method === 'GET' ? decodeURIComponent(h.path) : '')).filter((p) => p.includes(`/${prefix}pupils()`));
  const search = (tenantId: string, aadObjectId: string, queryText: string) =>
    postActivity(app!.url, {
      ...teamsMessage({ serviceUrl: 'http://127.0.0.1:9/', tenantId, aadObjectId, conversationId: `chat-${aadObjectId}` }),
      type: 'invoke',
      name: 'application/search',
      value: { kind: 'search', queryText, queryOptions: { skip: 0, top: 15 }, dataset: 'pupils' },
    });

  it('has read both registers when it starts listening, and the first search in each school reads no register', async () => {
    app = await startTestApp({ TABLE_PREFIX: prefix }, connectionStringFor('127.0.0.1', proxy.port));
    const atStart = registerReads(proxy.heads);
    expect(atStart.filter((p) => p.includes(`PartitionKey eq '${DEMO_SCHOOL_ID}'`))).toHaveLength(1);
    expect(atStart.filter((p) => p.includes(`PartitionKey eq '${SCHOOL_B_ID}'`))).toHaveLength(1);

    const before = proxy.heads.length;
    const inA = await search(PLAYGROUND_TENANT_ID, DEMO_STAFF.teacher.aadObjectId, 'Thistle');
    const inB = await search(SCHOOL_B_TENANT_ID, SCHOOL_B_STAFF.teacher.aadObjectId, 'Zephyr');
    expect([inA.status, inB.status]).toEqual([200, 200]);
    expect(inA.body).toContain('Sam Thistlewood');
    expect(inB.body).toContain('Zephyrine Quennell');
    // Each school's children only: the warmed registers are still kept apart.
    expect(inA.body).not.toContain('Zephyrine');
    expect(registerReads(proxy.heads.slice(before))).toEqual([]);
  });
});

describe('warming up, school by school', () => {
  const school = (id: string) => ({ id }) as SchoolProfile;
  const captured = () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = pino({ level: 'info' }, { write: (l: string) => void lines.push(JSON.parse(l) as Record<string, unknown>) });
    return { lines, logger };
  };
  const sources = (ids: string[], o: { failRegister?: string; onRead?: () => void } = {}): WarmUpSources & { read: string[] } => {
    const read: string[] = [];
    return {
      read,
      schools: async () => ids.map(school),
      roster: async (id) => void read.push(`roster ${id}`),
      register: async (id) => {
        o.onRead?.();
        await new Promise((r) => setTimeout(r, 5));
        if (id === o.failRegister) throw new Error('storage said 503');
        read.push(`register ${id}`);
      },
    };
  };

  it('reads each school once, at most `concurrency` at a time, and says how many', async () => {
    const { lines, logger } = captured();
    let inFlight = 0;
    let most = 0;
    const s = sources(['a', 'b', 'c', 'd', 'e'], {
      onRead: () => {
        most = Math.max(most, ++inFlight);
        setTimeout(() => inFlight--, 5);
      },
    });
    const result = await warmUp(s, logger, { concurrency: 2, budgetMs: 60_000 });
    expect(s.read.filter((r) => r.startsWith('register')).sort()).toEqual(['register a', 'register b', 'register c', 'register d', 'register e']);
    expect(s.read.filter((r) => r.startsWith('roster'))).toHaveLength(5);
    expect(most).toBe(2);
    expect(result).toMatchObject({ schools: 5, warmed: 5, failed: 0, complete: true });
    expect(lines.find((l) => l.event === 'warmedUp')).toMatchObject({ schools: 5, warmed: 5, failed: 0, complete: true });
  });

  it('a school that cannot be read is logged and left to its first use; the others are warmed and the start goes on', async () => {
    const { lines, logger } = captured();
    const result = await warmUp(sources(['a', 'b', 'c'], { failRegister: 'b' }), logger, { concurrency: 1, budgetMs: 60_000 });
    expect(result).toMatchObject({ schools: 3, warmed: 2, failed: 1, complete: true });
    expect(lines.find((l) => l.event === 'warmUpFailed')).toMatchObject({ school: 'b', level: 40 });
  });

  it('when the schools themselves cannot be read, it says so and returns: the bot starts cold rather than not at all', async () => {
    const { lines, logger } = captured();
    const result = await warmUp({ schools: () => Promise.reject(new Error('no storage')), roster: async () => undefined, register: async () => undefined }, logger);
    expect(result).toMatchObject({ schools: 0, warmed: 0, complete: false });
    expect(lines.map((l) => l.event)).toEqual(['warmUpFailed']);
  });

  it('starts no school once its budget is spent: the rest are read on first use', async () => {
    const { logger } = captured();
    let t = 0;
    // Each school takes 400 "ms" of the clock; the budget is 1 s.
    const s = sources(['a', 'b', 'c', 'd', 'e'], { onRead: () => void (t += 400) });
    const result = await warmUp(s, logger, { concurrency: 1, budgetMs: 1000 }, () => t);
    expect(s.read.filter((r) => r.startsWith('register'))).toEqual(['register a', 'register b', 'register c']);
    expect(result).toMatchObject({ schools: 5, warmed: 3, complete: false });
  });
});
