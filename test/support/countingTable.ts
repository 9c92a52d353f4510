import { TableClient } from '@azure/data-tables';

/** Counts the rows a piece of code reads from a table: every entity a listing yields, every point read. */
export interface ReadCounter {
  rows: number;
  queries: number;
}

export function countingTable(client: TableClient, counter: ReadCounter): TableClient {
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === 'listEntities') {
        return (...args: Parameters<TableClient['listEntities']>) => {
          counter.queries++;
          const iterator = target.listEntities(...args);
          return {
            async *[Symbol.asyncIterator]() {
              for await (const row of iterator) {
                counter.rows++;
                yield row;
              }
            },
            byPage: iterator.byPage.bind(iterator),
            next: iterator.next.bind(iterator),
          };
        };
      }
      if (prop === 'getEntity') {
        return async (...args: Parameters<TableClient['getEntity']>) => {
          counter.queries++;
          counter.rows++;
          return target.getEntity(...args);
        };
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
