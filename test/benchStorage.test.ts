import { randomBytes } from 'node:crypto';
import { odata, TableClient, TableServiceClient } from '@azure/data-tables';
import { accountOf, accountRun, ACCOUNT_VARIABLE, benchStorage, BenchStorageError } from '../bench/benchStorage';
import { DEV_ACCOUNT, DEV_KEY, RunningAzurite, startInProcessAzurite } from '../scripts/azurite';
import { TABLES, TableStore } from '../storage/tableStore';

/**
 * `npm run bench` against a storage account of the school's or trust's own
 * (BENCH_TABLES_CONNECTION_STRING): an Azurite of this file's own stands in for it. What its owner
 * relies on: the run's synthetic tables go at the end, nothing of theirs is touched, and the key is
 * never printed. Not the suite's shared Azurite: an owner's account holds its own tables, not
 * thousands of other tests', and on the shared one these listings timed out under the full suite's
 * load (CI at a004351: 120 s a test).
 */
describe('the bench against a storage account of your own', () => {
  let azurite: RunningAzurite;
  beforeAll(async () => {
    azurite = await startInProcessAzurite();
  });
  afterAll(async () => {
    await azurite.stop();
  });
  const cs = () => azurite.connectionString;
  const service = () => TableServiceClient.fromConnectionString(cs(), { allowInsecureConnection: true });
  /** The account's tables starting with `prefix`, the prefix checked again as the bench's own listing does. */
  const tableNames = async (prefix: string) => {
    const names: string[] = [];
    for await (const t of service().listTables({ queryOptions: { filter: odata`TableName ge ${prefix} and TableName lt ${`${prefix}~`}` } })) if (t.name?.startsWith(prefix)) names.push(t.name);
    return names;
  };
  const id = (letter: string) => `${letter}${randomBytes(3).toString('hex')}`;

  it('deletes every table the run made at the end, and no table of the account owner', async () => {
    // The owner's tables: one unrelated, one that also starts with "b" like every run id.
    const theirs = [`${id('c')}cases`, `${id('b')}data`];
    for (const name of theirs) await service().createTable(name);
    const kept = TableClient.fromConnectionString(cs(), theirs[1]!, { allowInsecureConnection: true });
    await kept.createEntity({ partitionKey: 'p', rowKey: 'r', note: 'the owner’s row' });

    const runId = id('b');
    const run = await accountRun(cs(), runId);
    for (const set of ['bench', 'benchecho', 'benchtrust']) {
      const store = new TableStore({ connectionString: run.connectionString, tablePrefix: run.prefix(set) });
      await store.ensureTables();
      await store.client(TABLES.cases).createEntity({ partitionKey: 'synthetic-school', rowKey: 'case|1', ref: 'ATT-0001' });
    }
    const made = await tableNames(runId);
    expect(made).toHaveLength(3 * Object.keys(TABLES).length);

    await run.stop();

    expect(await tableNames(runId)).toEqual([]);
    for (const name of theirs) expect(await tableNames(name)).toEqual([name]);
    expect((await kept.getEntity<{ note: string }>('p', 'r')).note).toBe('the owner’s row');
  });

  it('refuses a run id that a table in the account already starts with, and deletes nothing', async () => {
    const runId = id('b');
    await service().createTable(`${runId}cases`);
    await expect(accountRun(cs(), runId)).rejects.toThrow(new BenchStorageError(`tables starting with ${runId} already exist in ${DEV_ACCOUNT} (${runId}cases): run again for another run id`));
    expect(await tableNames(runId)).toEqual([`${runId}cases`]);
    // Azure compares table names without case, so one in capitals clashes too.
    const other = id('b');
    await service().createTable(`${other.toUpperCase()}Cases`);
    await expect(accountRun(cs(), other)).rejects.toThrow(`tables starting with ${other} already exist in ${DEV_ACCOUNT} (${other.toUpperCase()}Cases)`);
  });

  it('names the account in the report, never its key', async () => {
    const run = await benchStorage({ [ACCOUNT_VARIABLE]: cs() }, '/nonexistent', [], false);
    expect(run.description).toMatch(new RegExp(`^Azure Table Storage account ${DEV_ACCOUNT} \\(tables b[0-9a-f]{6}…, deleted at the end\\)$`));
    expect(run.description).not.toContain(DEV_KEY);
    await run.stop();
  });

  it('reads the account from a key or a shared access signature, and says what is missing without echoing the secret', () => {
    expect(accountOf('DefaultEndpointsProtocol=https;AccountName=trustbench;AccountKey=c2VjcmV0;EndpointSuffix=core.windows.net')).toBe('trustbench');
    expect(accountOf('TableEndpoint=https://trustbench.table.core.windows.net/;SharedAccessSignature=sv=2022-11-02&sig=c2VjcmV0')).toBe('trustbench.table.core.windows.net');
    const refusal = (() => {
      try {
        accountOf('AccountKey=c2VjcmV0dmFsdWU=;EndpointSuffix=core.windows.net');
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(refusal).toBeInstanceOf(BenchStorageError);
    expect(String(refusal)).toMatch(/BENCH_TABLES_CONNECTION_STRING names no account: it needs AccountName=/);
    expect(String(refusal)).not.toContain('c2VjcmV0dmFsdWU');
  });
});
