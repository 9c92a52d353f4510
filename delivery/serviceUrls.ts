/**
 * botbuilder sends the bot's token to whatever `serviceUrl` an activity names, so only allow-listed
 * ones are served. An entry matches on scheme and host, on port when the entry gives one, and on
 * path prefix.
 */
export function isAllowedServiceUrl(candidate: string, allowList: readonly string[]): boolean {
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  return allowList.some((entry) => {
    const allowed = new URL(entry);
    if (allowed.protocol !== url.protocol || allowed.hostname !== url.hostname) return false;
    if (allowed.port && allowed.port !== url.port) return false;
    const prefix = allowed.pathname.endsWith('/') ? allowed.pathname : `${allowed.pathname}/`;
    return allowed.pathname === '/' || url.pathname === allowed.pathname || url.pathname.startsWith(prefix);
  });
}
