import { Activity, CloudAdapter, ConfigurationBotFrameworkAuthentication, InvokeResponse, TurnContext } from 'botbuilder';
import { Config } from './config';
import { Logger } from './logger';
import { errorSummary } from './errors';
import { turnLogger } from './turnLogger';

/**
 * The Bot Framework adapter. In local mode the empty app id makes botbuilder skip token
 * validation, which is why local mode only ever listens on loopback (see config.ts).
 */
export class BotAdapter extends CloudAdapter {
  /**
   * Runs one activity through authentication and the bot. The HTTP layer calls this instead of
   * `process()` so that it alone decides what goes back in the response (no error text or stack).
   */
  handle(authHeader: string, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(authHeader, activity, logic);
  }
}

export function createAdapter(config: Config, logger: Logger): BotAdapter {
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: config.auth.appId,
    MicrosoftAppPassword: config.auth.appPassword,
    MicrosoftAppType: config.auth.appType,
    MicrosoftAppTenantId: config.auth.tenantId,
  });
  const adapter = new BotAdapter(auth);
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
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
