import { Activity, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { AuthenticateRequestResult, AuthenticationConstants, ClaimsIdentity, ConnectorClient, ConnectorFactory, UserTokenClient } from 'botframework-connector';

/**
 * How many apps and service URLs the reused clients are kept for. This bot is one app, and Teams
 * gives it a handful of regional service URLs (every one of which passed the allow-list first), so
 * the bound is never reached in use; past it, clients are made per turn as botbuilder makes them.
 */
const MOST_KEPT = 32;

/**
 * The Bot Framework authentication, with the clients a turn sends through made once and reused.
 *
 * botbuilder's CloudAdapter builds a new ConnectorClient and a new UserTokenClient, each with its
 * own HTTP pipeline, for every activity it receives: 3% of the bot's CPU in the bench's dialog turn
 * and 8.5% in its bare echo (profiles, December 2026), before the garbage they leave. Both are stateless
 * between requests (tokens are cached by botframework-connector apart from the clients), so one
 * per app and service URL does the same work; botbuilder's older BotFrameworkAdapter kept them so.
 */
export class ReusedClientsAuthentication extends ConfigurationBotFrameworkAuthentication {
  private readonly connectorClients = new Map<string, Promise<ConnectorClient>>();
  private readonly userTokenClients = new Map<string, Promise<UserTokenClient>>();

  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    const result = await super.authenticateRequest(activity, authHeader);
    return result.connectorFactory ? { ...result, connectorFactory: this.keeping(result.claimsIdentity, result.connectorFactory) } : result;
  }

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.keeping(claimsIdentity, super.createConnectorFactory(claimsIdentity));
  }

  override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return reuse(this.userTokenClients, appIdOf(claimsIdentity), () => super.createUserTokenClient(claimsIdentity));
  }

  /** botbuilder's factory for the app, answering with the client kept for each service URL and audience. */
  private keeping(claimsIdentity: ClaimsIdentity, made: ConnectorFactory): ConnectorFactory {
    const appId = appIdOf(claimsIdentity);
    return new KeptConnectorFactory((serviceUrl, audience) => reuse(this.connectorClients, `${appId}\n${serviceUrl}\n${audience ?? ''}`, () => made.create(serviceUrl, audience)));
  }
}

/** botbuilder takes a ConnectorFactory (an abstract class), so the kept clients are handed over in one. */
class KeptConnectorFactory extends ConnectorFactory {
  constructor(private readonly kept: (serviceUrl: string, audience?: string) => Promise<ConnectorClient>) {
    super();
  }

  create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
    return this.kept(serviceUrl, audience);
  }
}

/** The app a turn's clients act for, read as botframework-connector reads it ('' with authentication off). */
function appIdOf(claimsIdentity: ClaimsIdentity): string {
  return claimsIdentity.getClaimValue(AuthenticationConstants.AudienceClaim) ?? claimsIdentity.getClaimValue(AuthenticationConstants.AppIdClaim) ?? '';
}

/** The promise kept for key, or a new one; one that fails is forgotten, so the next turn tries again. */
function reuse<T>(kept: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
  const found = kept.get(key);
  if (found) return found;
  const made = make();
  if (kept.size < MOST_KEPT) {
    kept.set(key, made);
    made.catch(() => kept.delete(key));
  }
  return made;
}
