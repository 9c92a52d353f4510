import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface Asset {
  body: Buffer;
  contentType: string;
}

/** The project folder: found by its package.json, the same from source (tests) and from dist/. */
export function projectRoot(from = __dirname): string {
  let dir = from;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && /"name":\s*"sw-cohort-teams-bot"/.test(readFileSync(manifest, 'utf8'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error('cannot find the project folder (package.json of sw-cohort-teams-bot)');
    dir = up;
  }
}

/** The page's script and the modules it imports (tab/client, compiled to dist/tab/client). */
const CLIENT_MODULES = ['app.js', 'dom.js', 'session.js', 'cohortFilter.js', 'cohortView.js', 'actionForm.js', 'actionsView.js', 'chronologyView.js', 'digestView.js'];

/**
 * The tab's files: a fixed list, so no request path ever reaches the file system. The client
 * script is compiled by `npm run build` (tab/client → dist/tab/client); teams-js is served from its
 * package so the tab loads nothing from outside the server (the CSP says 'self' only).
 */
export class TabAssets {
  private readonly files: Record<string, { file: string; contentType: string }>;
  private readonly cache = new Map<string, Asset>();

  constructor(root = projectRoot()) {
    this.files = {
      'index.html': { file: path.join(root, 'tab', 'static', 'index.html'), contentType: 'text/html; charset=utf-8' },
      'app.css': { file: path.join(root, 'tab', 'static', 'app.css'), contentType: 'text/css; charset=utf-8' },
      'privacy.html': { file: path.join(root, 'tab', 'static', 'privacy.html'), contentType: 'text/html; charset=utf-8' },
      'terms.html': { file: path.join(root, 'tab', 'static', 'terms.html'), contentType: 'text/html; charset=utf-8' },
      ...Object.fromEntries(CLIENT_MODULES.map((name) => [name, { file: path.join(root, 'dist', 'tab', 'client', name), contentType: 'text/javascript; charset=utf-8' }])),
      'teams-js.js': { file: path.join(root, 'node_modules', '@microsoft', 'teams-js', 'dist', 'umd', 'MicrosoftTeams.min.js'), contentType: 'text/javascript; charset=utf-8' },
    };
  }

  get(name: string): Asset | undefined {
    const known = this.files[name];
    if (!known) return undefined;
    const hit = this.cache.get(name);
    if (hit) return hit;
    if (!existsSync(known.file)) return undefined;
    const asset = { body: readFileSync(known.file), contentType: known.contentType };
    this.cache.set(name, asset);
    return asset;
  }
}
