import { TableClient } from '@azure/data-tables';
import { packJson, unpackJson } from './jsonEntity';
import { statusOf } from './tableStore';

/**
 * The shape of botbuilder's `Storage` interface, declared here so that `storage/` does not depend
 * on the Bot Framework SDK (it stays at the edge, in `bot/`).
 */
export interface StateItem {
  eTag?: string;
  [key: string]: unknown;
}
export type StateItems = Record<string, StateItem>;

export class StateConflictError extends Error {
  constructor(readonly key: string) {
    super(`Storage: error writing "${key}" due to eTag conflict.`);
    this.name = 'StateConflictError';
  }
}

const ROW = 'state';

/** Storage keys may contain "/", "\\", "#" and "?", which Azure Tables forbids in keys. */
function partitionFor(key: string): string {
  if (key.length === 0 || key.length > 700) throw new RangeError(`state key must be 1 to 700 characters, got ${key.length}`);
  return Buffer.from(key, 'utf8').toString('base64url');
}

/**
 * Conversation and user state on Azure Tables with optimistic concurrency.
 *
 * eTag semantics on write:
 * - `"*"`: unconditional (what stock botbuilder `BotState` sends);
 * - a real eTag: replaced only if unchanged since it was read, else `StateConflictError`;
 * - none: created only if absent, else `StateConflictError` (two first writers cannot both win).
 * After a successful write the item's `eTag` is updated so a second save in the same turn works.
 */
export class TableStateStorage {
  constructor(private readonly table: TableClient) {}

  async read(keys: string[]): Promise<StateItems> {
    const items: StateItems = {};
    await Promise.all(
      keys.map(async (key) => {
        try {
          const entity = await this.table.getEntity<Record<string, unknown>>(partitionFor(key), ROW);
          const doc = unpackJson(entity);
          if (doc && typeof doc === 'object' && !Array.isArray(doc)) {
            items[key] = { ...(doc as Record<string, unknown>), eTag: entity.etag };
          }
        } catch (err) {
          if (statusOf(err) !== 404) throw err;
        }
      }),
    );
    return items;
  }

  async write(changes: StateItems): Promise<void> {
    await Promise.all(
      Object.entries(changes).map(async ([key, item]) => {
        const { eTag, ...doc } = item;
        const entity = { partitionKey: partitionFor(key), rowKey: ROW, ...packJson(`state "${key}"`, doc) };
        try {
          let etag: string | undefined;
          if (eTag === '*') {
            etag = (await this.table.upsertEntity(entity, 'Replace')).etag;
          } else if (eTag === undefined || eTag === '') {
            etag = (await this.table.createEntity(entity)).etag;
          } else {
            etag = (await this.table.updateEntity(entity, 'Replace', { etag: eTag })).etag;
          }
          if (etag) item.eTag = etag;
        } catch (err) {
          const status = statusOf(err);
          if (status === 409 || status === 412 || (status === 404 && eTag !== '*')) {
            // The SDK retries a write whose answer was lost; if the stored row is exactly what we
            // wrote, that earlier attempt succeeded and this is not a conflict.
            const stored = await this.readOwnWrite(entity.partitionKey, entity);
            if (stored) {
              item.eTag = stored;
              return;
            }
            throw new StateConflictError(key);
          }
          throw err;
        }
      }),
    );
  }

  private async readOwnWrite(partitionKey: string, written: Record<string, unknown>): Promise<string | undefined> {
    try {
      const entity = await this.table.getEntity<Record<string, unknown>>(partitionKey, ROW);
      return JSON.stringify(unpackJson(entity)) === JSON.stringify(unpackJson(written)) ? entity.etag : undefined;
    } catch {
      return undefined;
    }
  }

  async delete(keys: string[]): Promise<void> {
    await Promise.all(
      keys.map(async (key) => {
        try {
          await this.table.deleteEntity(partitionFor(key), ROW);
        } catch (err) {
          if (statusOf(err) !== 404) throw err;
        }
      }),
    );
  }
}
