// The Azure Bot: Teams sends staff messages to the web app through it. It authenticates as the
// user-assigned managed identity, so there is no app password to store, rotate or leak.
import { API_VERSIONS } from './apiVersions';
import type { BotChannelResource, BotResource } from './armTemplate';
import { expression, format } from './expressions';
import { IDENTITY_CLIENT_ID, nameOf, referenceTo, resourceIdExpression, variable } from './names';
import { parameter } from './parameters';

export const MESSAGES_PATH = '/api/messages';

export function azureBot(): BotResource {
  return {
    type: 'Microsoft.BotService/botServices',
    apiVersion: API_VERSIONS.botService,
    name: nameOf('bot'),
    location: 'global',
    kind: 'azurebot',
    // Teams is a standard channel, free on F0.
    sku: { name: 'F0' },
    dependsOn: [resourceIdExpression('site'), resourceIdExpression('identity')],
    properties: {
      displayName: expression(format('Social worker cohort bot ({0})', parameter('trustName'))),
      endpoint: expression(format(`https://{0}${MESSAGES_PATH}`, `${referenceTo('site')}.defaultHostName`)),
      msaAppType: 'UserAssignedMSI',
      msaAppId: IDENTITY_CLIENT_ID,
      msaAppTenantId: expression(parameter('tenantId')),
      msaAppMSIResourceId: resourceIdExpression('identity'),
      // Only Entra ID tokens, never channel secrets: the bot uses no Direct Line or Web Chat.
      disableLocalAuth: true,
    },
  };
}

export function teamsChannel(): BotChannelResource {
  return {
    type: 'Microsoft.BotService/botServices/channels',
    apiVersion: API_VERSIONS.botService,
    name: expression(format('{0}/MsTeamsChannel', variable('botName'))),
    location: 'global',
    dependsOn: [resourceIdExpression('bot')],
    properties: {
      channelName: 'MsTeamsChannel',
      properties: { isEnabled: true, enableCalling: false },
    },
  };
}
