import type { TeamsManifest } from './manifest';

/**
 * Rules Teams enforces when an app is uploaded that the v1.30 JSON schema does not express, so a
 * package that passes the schema is not rejected later in the admin centre.
 */

// Teams' documented limits for the bot command menu; the schema allows far longer text.
export const MAX_COMMAND_TITLE = 32;
export const MAX_COMMAND_DESCRIPTION = 128;

// A host name or IPv4 address, optionally with a port, or a leading "*." wildcard. No scheme or path.
const BARE_DOMAIN = /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/i;

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}

function coveredBy(host: string, domains: readonly string[]): boolean {
  const h = host.toLowerCase();
  return domains.some((d) => {
    const domain = d.toLowerCase();
    return domain.startsWith('*.') ? h.endsWith(domain.slice(1)) : h === domain;
  });
}

/** One line per broken rule, each naming the manifest field; empty when the manifest is fine. */
export function teamsRuleProblems(manifest: TeamsManifest): string[] {
  const problems: string[] = [];
  const domains = manifest.validDomains ?? [];

  for (const [i, domain] of domains.entries()) {
    if (!BARE_DOMAIN.test(domain)) problems.push(`validDomains[${i}]: must be a bare host name such as swbot.example.org, with no scheme (https://) or path (got "${domain}")`);
  }

  for (const [i, tab] of (manifest.staticTabs ?? []).entries()) {
    for (const field of ['contentUrl', 'websiteUrl'] as const) {
      const url = tab[field];
      if (url === undefined) continue;
      const host = hostOf(url);
      if (!url.startsWith('https://') || host === undefined) problems.push(`staticTabs[${i}].${field}: must be an https:// address (got "${url}")`);
      else if (field === 'contentUrl' && !coveredBy(host, domains)) problems.push(`staticTabs[${i}].contentUrl: its host ${host} must be listed in validDomains`);
    }
  }

  const sso = manifest.webApplicationInfo;
  if (sso?.resource !== undefined) {
    const host = sso.resource.startsWith('api://') ? hostOf(`https://${sso.resource.slice('api://'.length)}`) : undefined;
    if (host === undefined) problems.push(`webApplicationInfo.resource: must look like api://<host>/<application id> (got "${sso.resource}")`);
    else if (!coveredBy(host, domains)) problems.push(`webApplicationInfo.resource: its host ${host} must be listed in validDomains`);
  }

  for (const [b, bot] of (manifest.bots ?? []).entries()) {
    for (const [l, list] of (bot.commandLists ?? []).entries()) {
      const seen = new Set<string>();
      for (const [c, command] of list.commands.entries()) {
        const where = `bots[${b}].commandLists[${l}].commands[${c}]`;
        if (command.title.length > MAX_COMMAND_TITLE) problems.push(`${where}.title: must be at most ${MAX_COMMAND_TITLE} characters`);
        if ((command.description?.length ?? 0) > MAX_COMMAND_DESCRIPTION) problems.push(`${where}.description: must be at most ${MAX_COMMAND_DESCRIPTION} characters`);
        if (seen.has(command.title.toLowerCase())) problems.push(`${where}.title: "${command.title}" appears twice in the same list`);
        seen.add(command.title.toLowerCase());
      }
    }
  }
  return problems;
}
