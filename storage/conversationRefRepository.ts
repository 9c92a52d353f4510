import { odata, TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { statusOf } from './tableStore';

/**
 * What the bot needs to message someone later (a botbuilder ConversationReference, minus the
 * activity id). Captured when the app is installed or first used; removed on uninstall.
 */
export const conversationRefSchema = z.object({
  tenantId: z.string().min(1).max(64),
  scope: z.enum(['personal', 'team', 'groupChat']),
  conversationId: z.string().min(1).max(512),
  serviceUrl: z.url().max(512),
  channelId: z.string().min(1).max(64),
  botId: z.string().min(1).max(256),
  /** The person, for personal scope. */
  aadObjectId: z.string().max(64).optional(),
  userId: z.string().max(256).optional(),
  teamId: z.string().max(512).optional(),
  /** When it was last saved: it is saved when first seen and whenever it changes, not every turn. */
  updatedAt: z.string(),
});
export type ConversationRef = z.infer<typeof conversationRefSchema>;

const COMPARED = ['scope', 'conversationId', 'serviceUrl', 'channelId', 'botId', 'aadObjectId', 'userId', 'teamId'] as const;

function sameReference(a: ConversationRef, b: ConversationRef): boolean {
  return COMPARED.every((k) => a[k] === b[k]);
}

/** Row keys may not contain / \ # ? or control characters; conversation ids can. */
function rowKeyFor(ref: Pick<ConversationRef, 'scope' | 'conversationId' | 'aadObjectId'>): string {
  const id = ref.scope === 'personal' && ref.aadObjectId ? ref.aadObjectId : ref.conversationId;
  return `${ref.scope}:${Buffer.from(id, 'utf8').toString('base64url')}`;
}

/**
 * How long a reference this instance has just read or written is taken as stored, for the turns
 * that follow (a teacher starting one concern after another would otherwise read it each time).
 * An install always reads it again, and an uninstall through this instance forgets it; what is
 * left is an uninstall through another instance without a reinstall, when this one may skip a
 * write it would have made until this runs out: the person has removed the app, so nothing is
 * sent to them meanwhile anyway.
 */
export const CONFIRMED_FOR_MS = 10 * 60_000;
/** The most references remembered at once (a trust's staff); past it, the oldest are forgotten. */
const CONFIRMED_AT_MOST = 5_000;

function confirmedKey(ref: ConversationRef): string {
  return `${ref.tenantId}|${rowKeyFor(ref)}`;
}

export class ConversationRefRepository {
  /** References known to be stored as they are, until when (see CONFIRMED_FOR_MS). */
  private readonly confirmed = new Map<string, { ref: ConversationRef; until: number }>();

  constructor(
    private readonly table: TableClient,
    private readonly now: () => number = Date.now,
  ) {}

  /** Saves a reference unconditionally (an install event, a seed). */
  async save(ref: ConversationRef): Promise<void> {
    const valid = conversationRefSchema.parse(ref);
    await this.table.upsertEntity({ partitionKey: valid.tenantId, rowKey: rowKeyFor(valid), ...valid }, 'Replace');
    this.confirm(valid);
  }

  /**
   * Saves a reference seen on a turn, only if it is new or differs from the one kept (apart from
   * when it was seen): most turns come from a conversation already known, and a read costs no more
   * than the write it saves. Says which, so that work owed to a newcomer runs once, not every turn.
   * `reread`: read what is stored even if this instance confirmed it lately (an install: the
   * reference may have been removed through another instance since).
   */
  async saveIfChanged(ref: ConversationRef, o: { reread?: boolean } = {}): Promise<'created' | 'changed' | 'unchanged'> {
    const valid = conversationRefSchema.parse(ref);
    const known = this.confirmed.get(confirmedKey(valid));
    if (!o.reread && known && known.until > this.now() && sameReference(known.ref, valid)) return 'unchanged';
    const kept = await this.find(valid.tenantId, rowKeyFor(valid));
    if (kept && sameReference(kept, valid)) {
      this.confirm(valid);
      return 'unchanged';
    }
    await this.table.upsertEntity({ partitionKey: valid.tenantId, rowKey: rowKeyFor(valid), ...valid }, 'Replace');
    this.confirm(valid);
    return kept ? 'changed' : 'created';
  }

  private confirm(ref: ConversationRef): void {
    const key = confirmedKey(ref);
    this.confirmed.delete(key);
    if (this.confirmed.size >= CONFIRMED_AT_MOST) {
      const now = this.now();
      for (const [k, v] of this.confirmed) if (v.until <= now) this.confirmed.delete(k);
      // Still full of live ones: the oldest go (a Map keeps insertion order).
      for (const k of [...this.confirmed.keys()].slice(0, this.confirmed.size - CONFIRMED_AT_MOST + 1)) this.confirmed.delete(k);
    }
    this.confirmed.set(key, { ref, until: this.now() + CONFIRMED_FOR_MS });
  }

  async findPersonal(tenantId: string, aadObjectId: string): Promise<ConversationRef | undefined> {
    return this.find(tenantId, rowKeyFor({ scope: 'personal', aadObjectId, conversationId: '' }));
  }

  /**
   * Several people's personal-chat references in as few round trips as the service allows (one
   * query per 14 people: Azure Tables takes at most 15 comparisons in a filter). Everyone asked for
   * is in the answer: undefined for someone who has not installed the app.
   */
  async findPersonalMany(tenantId: string, aadObjectIds: readonly string[]): Promise<Map<string, ConversationRef | undefined>> {
    const wanted = [...new Set(aadObjectIds)];
    const found = new Map<string, ConversationRef | undefined>(wanted.map((id) => [id, undefined]));
    for (let i = 0; i < wanted.length; i += 14) {
      const keys = wanted.slice(i, i + 14).map((aadObjectId) => rowKeyFor({ scope: 'personal', aadObjectId, conversationId: '' }));
      // Fourteen slots written out so the whole filter is one escaped odata template; a short list repeats its first key.
      const k = Array.from({ length: 14 }, (_, j) => keys[j] ?? keys[0]!);
      const rows = this.table.listEntities<Record<string, unknown>>({
        queryOptions: {
          filter: odata`PartitionKey eq ${tenantId} and (RowKey eq ${k[0]} or RowKey eq ${k[1]} or RowKey eq ${k[2]} or RowKey eq ${k[3]} or RowKey eq ${k[4]} or RowKey eq ${k[5]} or RowKey eq ${k[6]} or RowKey eq ${k[7]} or RowKey eq ${k[8]} or RowKey eq ${k[9]} or RowKey eq ${k[10]} or RowKey eq ${k[11]} or RowKey eq ${k[12]} or RowKey eq ${k[13]})`,
        },
      });
      for await (const row of rows) {
        const parsed = conversationRefSchema.safeParse(row);
        // Only what was asked for, from this tenant: a filter is never trusted to have done it alone.
        if (parsed.success && row.partitionKey === tenantId && parsed.data.scope === 'personal' && parsed.data.aadObjectId && found.has(parsed.data.aadObjectId) && keys.includes(String(row.rowKey))) {
          found.set(parsed.data.aadObjectId, parsed.data);
        }
      }
    }
    return found;
  }

  private async find(tenantId: string, rowKey: string): Promise<ConversationRef | undefined> {
    try {
      const entity = await this.table.getEntity(tenantId, rowKey);
      const parsed = conversationRefSchema.safeParse(entity);
      return parsed.success ? parsed.data : undefined;
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw err;
    }
  }

  /** A team channel or group chat the bot was added to, by its conversation id. */
  async findConversation(tenantId: string, conversationId: string): Promise<ConversationRef | undefined> {
    for (const scope of ['team', 'groupChat'] as const) {
      try {
        const entity = await this.table.getEntity(tenantId, rowKeyFor({ scope, conversationId }));
        const parsed = conversationRefSchema.safeParse(entity);
        if (parsed.success) return parsed.data;
      } catch (err) {
        if (statusOf(err) !== 404) throw err;
      }
    }
    return undefined;
  }

  /** Removes every reference to a conversation (uninstall from a team, chat or personal scope). */
  async removeConversation(tenantId: string, conversationId: string): Promise<number> {
    const rows = this.table.listEntities<Record<string, unknown>>({
      queryOptions: { filter: odata`PartitionKey eq ${tenantId} and conversationId eq ${conversationId}`, select: ['PartitionKey', 'RowKey', 'conversationId'] },
    });
    for (const [k, v] of this.confirmed) if (v.ref.tenantId === tenantId && v.ref.conversationId === conversationId) this.confirmed.delete(k);
    let removed = 0;
    for await (const row of rows) {
      // Checked again in code before deleting anything (see CaseRepository.range on the emulator).
      if (typeof row.rowKey === 'string' && row.partitionKey === tenantId && row.conversationId === conversationId) {
        await this.table.deleteEntity(tenantId, row.rowKey);
        removed++;
      }
    }
    return removed;
  }

  /** A conversation the bot has in a team (any of its channels): the way to read that team's roster. */
  async findTeam(tenantId: string, teamId: string): Promise<ConversationRef | undefined> {
    const rows = this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`PartitionKey eq ${tenantId} and teamId eq ${teamId}` } });
    for await (const row of rows) {
      const parsed = conversationRefSchema.safeParse(row);
      if (parsed.success && row.partitionKey === tenantId && parsed.data.teamId === teamId && parsed.data.scope === 'team') return parsed.data;
    }
    return undefined;
  }
}
