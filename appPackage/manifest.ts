import type { TeamsManifestV1D30 } from '@microsoft/app-manifest';
import { APP_DESCRIPTION, APP_NAME, BOT_COMMANDS } from './appText';
import { ACCENT_COLOUR } from './icons';
import type { PackageSettings } from './settings';

export type TeamsManifest = TeamsManifestV1D30.TeamsManifestV1D30;

export const MANIFEST_VERSION = '1.30';
export const MANIFEST_SCHEMA_URL = `https://developer.microsoft.com/en-us/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.schema.json`;

/** The file names inside the zip; the manifest refers to the icons by these relative paths. */
export const PACKAGE_FILES = { manifest: 'manifest.json', colorIcon: 'color.png', outlineIcon: 'outline.png' } as const;

/** The path under PUBLIC_BASE_URL where the bot's server serves the dashboard tab. */
export const TAB_PATH = '/tab/';

/** The Teams app manifest (schema v1.30) for these settings. Pure: the same settings give the same manifest. */
export function buildManifest(settings: PackageSettings): TeamsManifest {
  const tabUrl = `${settings.publicBaseUrl}${TAB_PATH}`;
  return {
    $schema: MANIFEST_SCHEMA_URL,
    manifestVersion: MANIFEST_VERSION,
    version: settings.version,
    id: settings.teamsAppId,
    developer: { ...settings.developer },
    name: { short: `${APP_NAME.short}${settings.nameSuffix}`, full: `${APP_NAME.full}${settings.nameSuffix}` },
    description: { short: APP_DESCRIPTION.short, full: APP_DESCRIPTION.full },
    icons: { color: PACKAGE_FILES.colorIcon, outline: PACKAGE_FILES.outlineIcon },
    accentColor: ACCENT_COLOUR,
    bots: [
      {
        botId: settings.botAppId,
        // Personal for raising concerns; team for the SLT channel's weekly digest; group chat for staff groups.
        scopes: ['personal', 'team', 'groupChat'],
        supportsFiles: false,
        isNotificationOnly: false,
        commandLists: [{ scopes: ['personal'], commands: BOT_COMMANDS.map((c) => ({ title: c.title, description: c.description })) }],
      },
    ],
    staticTabs: [
      { entityId: 'dashboard', name: 'Dashboard', contentUrl: tabUrl, websiteUrl: tabUrl, scopes: ['personal'] },
      // Declaring any personal tab hides the bot's chat unless the built-in "conversations" tab is listed too.
      { entityId: 'conversations', scopes: ['personal'] },
    ],
    permissions: ['identity', 'messageTeamMembers'],
    // A host, never a URL: Teams rejects a scheme or path here, and the schema does not check it.
    validDomains: [settings.host],
    // Single sign-on for the tab: Teams asks Entra for a token for this Application ID URI.
    webApplicationInfo: { id: settings.tabAppId, resource: `api://${settings.host}/${settings.tabAppId}` },
    defaultInstallScope: 'personal',
  };
}
