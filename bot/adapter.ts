import { Activity, ActivityEventNames, ActivityTypes, CallerIdConstants, CloudAdapter, ConfigurationBotFrameworkAuthentication, InvokeResponse, TurnContext } from 'botbuilder';
import { ToBotFromBotOrEmulatorTokenValidationParameters } from 'botframework-connector';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { z } from 'zod';
import { Logger } from '../telemetry/logger';
import { errorSummary } from '../telemetry/errors';
import { ReusedClientsAuthentication } from './reusedClients';
import { turnLogger } from './turnLogger';

/**
 * The Bot Framework adapter. In local mode the empty app id makes botbuilder skip token
 * validation, which is why local mode only ever listens on loopback (see config.ts).
 */
export class BotAdapter extends CloudAdapter {
  /** @param channelTokenIssuer the issuer every inbound token must name; undefined when authentication is off (local mode). */
  constructor(
    auth: ConfigurationBotFrameworkAuthentication,
    private readonly channelTokenIssuer: string | undefined,
  ) {
    super(auth);
  }

  /**
   * Runs one activity through authentication and the bot. The HTTP layer calls this instead of
   * `process()` so that it alone decides what goes back in the response (no error text or stack).
   */
  async handle(authHeader: string, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    if (this.channelTokenIssuer !== undefined) {
      const refusal = screenChannelToken(authHeader, this.channelTokenIssuer);
      if (refusal) throw new InboundTokenRefused(refusal);
    }
    try {
      return await this.processActivity(authHeader, activity, logic);
    } catch (err) {
      // botbuilder passes jsonwebtoken's own errors (bad signature, HS256, not yet valid) up unwrapped,
      // which would otherwise be answered as our fault (500) rather than the caller's.
      if (err instanceof Error && JWT_ERRORS.has(err.name)) throw new InboundTokenRefused(`token rejected: ${err.message}`);
      throw err;
    } finally {
      forgetAddedEmulatorIssuers();
    }
  }
}

/**
 * botframework-connector adds four issuers to this module-wide list for every `tid` claim it has not
 * seen, in any token it is shown, before any signature is checked, and never removes them: each
 * unauthenticated request could grow the list, and the scan over it, for good. This bot never takes
 * the Emulator's or skills' tokens (screenChannelToken refuses their issuers), so nothing is lost by
 * putting the list back as it was after every request.
 */
const emulatorIssuers = ToBotFromBotOrEmulatorTokenValidationParameters.issuer;
const EMULATOR_ISSUERS_AT_START = Array.isArray(emulatorIssuers) ? emulatorIssuers.length : 0;
function forgetAddedEmulatorIssuers(): void {
  if (Array.isArray(emulatorIssuers) && emulatorIssuers.length > EMULATOR_ISSUERS_AT_START) emulatorIssuers.splice(EMULATOR_ISSUERS_AT_START);
}

/** Answered with 401 by the HTTP layer, like botframework-connector's AuthenticationError. */
export class InboundTokenRefused extends Error {
  readonly statusCode = 401;
  constructor(reason: string) {
    super(reason);
    this.name = 'InboundTokenRefused';
  }
}

const JWT_ERRORS = new Set(['JsonWebTokenError', 'NotBeforeError', 'TokenExpiredError']);
const BEARER_JWT = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/;
const jwtHeader = z.object({ alg: z.enum(['RS256', 'RS384', 'RS512']) }).loose();
const routedClaims = z.object({ iss: z.string(), exp: z.number() }).loose();

/**
 * Reads the token before botbuilder does, unverified: it can only refuse, never admit. botbuilder
 * picks its checks from the unverified issuer, and would take an Entra ID token naming this app as
 * the Emulator's (with no serviceurl check) or a skill's; only the channel talks to this bot, so any
 * other issuer is refused here. botbuilder also accepts a token with no expiry at all.
 * Returns why the token is refused, or undefined to let botbuilder check it.
 */
export function screenChannelToken(authHeader: string, channelTokenIssuer: string): string | undefined {
  const token = BEARER_JWT.exec(authHeader)?.[1];
  if (!token) return 'no bearer token';
  if (!jwtHeader.safeParse(unverified(() => decodeProtectedHeader(token))).success) return 'signing algorithm not allowed';
  const claims = routedClaims.safeParse(unverified(() => decodeJwt(token)));
  if (!claims.success) return 'no issuer or expiry';
  if (claims.data.iss !== channelTokenIssuer) return 'issuer is not the channel';
  return undefined;
}

/** jose's decoders throw on anything that is not a JWT's header or claims; that is a refusal too. */
function unverified(decode: () => unknown): unknown {
  try {
    return decode();
  } catch {
    return undefined;
  }
}

/** The Azure Bot registration and the channel's token settings (host/config.ts reads them from the environment). */
export interface BotAuthSettings {
  readonly auth: {
    readonly appId: string;
    /** SingleTenant, MultiTenant or UserAssignedMSI (the managed identity, which needs nothing below); '' in local mode. */
    readonly appType: string;
    readonly tenantId: string;
    /** Exactly one of a secret or a certificate, unless the app is a managed identity. */
    readonly password?: string;
    readonly certificate?: { readonly thumbprint: string; readonly privateKeyPem: string };
  };
  readonly botOpenIdMetadataUrl: string;
  readonly botTokenIssuer: string;
}

export function createAdapter(config: BotAuthSettings, logger: Logger): BotAdapter {
  const auth = new ReusedClientsAuthentication({
    MicrosoftAppId: config.auth.appId,
    MicrosoftAppPassword: config.auth.password ?? '',
    MicrosoftAppType: config.auth.appType,
    MicrosoftAppTenantId: config.auth.tenantId,
    ...(config.auth.certificate ? { CertificateThumbprint: config.auth.certificate.thumbprint, CertificatePrivateKey: config.auth.certificate.privateKeyPem } : {}),
    // Naming any one endpoint makes botbuilder take all of them from here, with no defaults, so the
    // public cloud's outbound values (botframework-connector's AuthenticationConstants) are spelt out.
    ToBotFromChannelOpenIdMetadataUrl: config.botOpenIdMetadataUrl,
    ToBotFromChannelTokenIssuer: config.botTokenIssuer,
    // Only the Teams channel talks to this bot. The Emulator's and skills' tokens are checked against
    // the channel's keys, which never sign them, so those paths stay shut and never fetch Entra ID's keys.
    ToBotFromEmulatorOpenIdMetadataUrl: config.botOpenIdMetadataUrl,
    ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
    ToChannelFromBotOAuthScope: 'https://api.botframework.com',
    OAuthUrl: 'https://api.botframework.com',
    CallerId: CallerIdConstants.PublicAzureChannel,
    ValidateAuthority: true,
  });
  const adapter = new BotAdapter(auth, config.auth.appId ? config.botTokenIssuer : undefined);
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    // A card this bot sends or updates on its own (continueConversation) failed: no one is waiting
    // in that chat for an apology, and swallowing the error would let the caller think it was sent.
    // The outbox retries it; a failed card update is logged by whoever asked for it.
    if (context.activity.type === ActivityTypes.Event && context.activity.name === ActivityEventNames.ContinueConversation) throw error;
    turnLogger(logger, context).error({ event: 'turnError', err: errorSummary(error) }, 'unhandled error in turn');
    try {
      await context.sendActivity(
        'Sorry, something went wrong on our side and I could not finish that. Nothing has been sent. Please try again, ' +
          'and if it keeps happening tell the Designated Safeguarding Lead (DSL) directly.',
      );
    } catch (sendErr) {
      turnLogger(logger, context).error({ event: 'turnErrorReplyFailed', err: errorSummary(sendErr) }, 'could not tell the user about the error');
    }
  };
  return adapter;
}
