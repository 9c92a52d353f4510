import { importJWK, JWK, JWTHeaderParameters, jwtVerify, KeyLike } from 'jose';
import { z } from 'zod';
import { screenChannelToken } from './adapter';

/** Teams is the only channel served: the key that signed a token must be endorsed for it. */
export const TEAMS_CHANNEL = 'msteams';

const metadataSchema = z.object({ jwks_uri: z.url() });
const keySchema = z.object({ kid: z.string(), kty: z.string(), endorsements: z.array(z.string()).optional() }).loose();
const keySetSchema = z.object({ keys: z.array(keySchema) });
type PublishedKey = z.infer<typeof keySchema>;

/** How long the published keys are kept, and how soon an unknown kid may make us look again. */
const KEYS_MAX_AGE_MS = 24 * 60 * 60 * 1000;
const REFETCH_COOLDOWN_MS = 5 * 60 * 1000;

export interface ChannelTokenSettings {
  /** The Bot Framework's OpenID metadata, whose jwks_uri publishes the signing keys and their endorsements. */
  metadataUrl: string;
  issuer: string;
  appId: string;
  fetch?: typeof fetch;
  now?: () => number;
}

/**
 * Checks the Bot Framework token of a request before its body is read, so that a request without a
 * valid one costs nothing but its headers. botbuilder checks it again after; this check adds what
 * botbuilder lets through: a key with no endorsements, or endorsed only for another channel (the
 * activity's channel is checked separately and must be Teams), and a `crit` header naming an
 * extension we do not understand (RFC 7515 §4.1.11, which jose enforces).
 */
export class ChannelTokenVerifier {
  private keys: { at: number; byKid: Map<string, PublishedKey> } | undefined;
  private loading: Promise<void> | undefined;
  private lastFetch = 0;
  private readonly fetch: typeof fetch;
  private readonly now: () => number;

  constructor(private readonly s: ChannelTokenSettings) {
    this.fetch = s.fetch ?? fetch;
    this.now = s.now ?? Date.now;
  }

  /** Why the request is refused, or undefined when its token is good for a Teams activity to this bot. */
  async refusal(authHeader: string): Promise<string | undefined> {
    const screened = screenChannelToken(authHeader, this.s.issuer);
    if (screened) return screened;
    const token = authHeader.slice('Bearer '.length);
    try {
      await jwtVerify(token, (header) => this.keyFor(header), {
        issuer: this.s.issuer,
        audience: this.s.appId,
        algorithms: ['RS256', 'RS384', 'RS512'],
        clockTolerance: 300,
        requiredClaims: ['exp'],
      });
      return undefined;
    } catch (err) {
      return err instanceof Error ? `token rejected: ${err.message.slice(0, 120)}` : 'token rejected';
    }
  }

  private async keyFor(header: JWTHeaderParameters): Promise<KeyLike | Uint8Array> {
    if (!header.kid) throw new Error('no key id');
    let key = await this.published(header.kid);
    if (!key && this.now() - this.lastFetch > REFETCH_COOLDOWN_MS) {
      await this.load();
      key = await this.published(header.kid);
    }
    if (!key) throw new Error('unknown signing key');
    // A key endorses the channels it may sign for; one that endorses none signs for none.
    if (!key.endorsements?.includes(TEAMS_CHANNEL)) throw new Error('signing key not endorsed for Microsoft Teams');
    return importJWK(key as JWK, header.alg);
  }

  private async published(kid: string): Promise<PublishedKey | undefined> {
    if (!this.keys || this.now() - this.keys.at > KEYS_MAX_AGE_MS) await this.load();
    return this.keys?.byKid.get(kid);
  }

  /** One fetch at a time, however many requests arrive while it runs. */
  private load(): Promise<void> {
    this.loading ??= this.fetchKeys().finally(() => (this.loading = undefined));
    return this.loading;
  }

  private async fetchKeys(): Promise<void> {
    this.lastFetch = this.now();
    const metadata = metadataSchema.parse(await (await this.fetch(this.s.metadataUrl)).json());
    const set = keySetSchema.parse(await (await this.fetch(metadata.jwks_uri)).json());
    this.keys = { at: this.now(), byKid: new Map(set.keys.map((k) => [k.kid, k])) };
  }
}
