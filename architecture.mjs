// The parts of the product and who may import whom, as data. ESLint enforces it (eslint.config.mjs,
// rule boundaries/dependencies); docs/ARCHITECTURE.md draws it; test/architecture.test.ts proves
// every line bites. A part not listed here may import nothing of ours.

/** Each folder is one part. */
export const PARTS = {
  policy: 'policy',
  cards: 'cards',
  storage: 'storage',
  telemetry: 'telemetry',
  delivery: 'delivery',
  services: 'services',
  dialogs: 'dialogs',
  jobs: 'jobs',
  bot: 'bot',
  tab: 'tab/server',
  tabClient: 'tab/client',
  demo: 'demo',
  host: 'host',
  appPackage: 'appPackage',
  infra: 'infra',
  scripts: 'scripts',
  bench: 'bench',
  test: 'test',
  types: 'types',
};

/** Which parts each part may import (besides itself). */
export const MAY_IMPORT = {
  policy: [],
  cards: ['policy'],
  storage: ['policy'],
  telemetry: [],
  demo: ['policy', 'storage'],
  delivery: ['policy', 'cards', 'storage', 'telemetry'],
  services: ['policy', 'cards', 'storage', 'telemetry', 'delivery'],
  dialogs: ['policy', 'cards', 'telemetry', 'services'],
  jobs: ['policy', 'cards', 'storage', 'telemetry', 'delivery', 'services'],
  bot: ['policy', 'cards', 'storage', 'telemetry', 'delivery', 'services', 'dialogs'],
  tab: ['policy', 'cards', 'storage', 'telemetry', 'services'],
  tabClient: [],
  host: ['policy', 'cards', 'storage', 'telemetry', 'delivery', 'services', 'dialogs', 'jobs', 'bot', 'tab', 'demo'],
  appPackage: [],
  infra: [],
  scripts: ['policy', 'cards', 'storage', 'telemetry', 'delivery', 'services', 'jobs', 'demo', 'host', 'appPackage', 'infra', 'types'],
  // test: the in-process harness, so the storage calls the bench prints are those the tests pin.
  bench: ['policy', 'cards', 'storage', 'telemetry', 'delivery', 'services', 'dialogs', 'jobs', 'bot', 'tab', 'demo', 'host', 'scripts', 'types', 'test'],
  test: Object.keys(PARTS),
  types: [],
};

/**
 * SDKs that only some parts may know. botbuilder stays at the Teams edge (the Bot Framework SDK is
 * archived; its successor has the same shapes, so a move touches these parts only).
 */
export const SDKS = [
  { modules: ['botbuilder', 'botbuilder-dialogs', 'botbuilder-core', 'botframework-connector', 'botframework-schema'], only: ['bot', 'dialogs', 'delivery', 'bench', 'test'] },
  { modules: ['restify'], only: ['host', 'tab', 'telemetry', 'test'] },
  { modules: ['@azure/data-tables'], only: ['storage', 'bench', 'test'] },
  // The MIS's register drop container is read by the scheduled pickup only.
  { modules: ['@azure/storage-blob'], only: ['services', 'test'] },
  { modules: ['@microsoft/teams-js'], only: ['tabClient'] },
  { modules: ['adaptivecards'], only: ['test'] },
  // Credentials are decided once, where the app is composed; everything else is handed a TokenCredential.
  { modules: ['@azure/identity'], only: ['host', 'test'] },
  // Telemetry is one part: the others call its spans and metrics, and never see OpenTelemetry itself.
  { modules: ['@opentelemetry/api', '@azure/monitor-opentelemetry'], only: ['telemetry', 'test'] },
  // The Azure resource model types describe the infrastructure; the app itself never manages Azure.
  {
    modules: ['@azure/arm-storage', '@azure/arm-appservice', '@azure/arm-botservice', '@azure/arm-msi', '@azure/arm-authorization', '@azure/arm-keyvault', '@azure/arm-operationalinsights', '@azure/arm-appinsights', '@azure/arm-monitor'],
    only: ['infra', 'test'],
  },
];

export const boundarySettings = {
  'boundaries/elements': Object.entries(PARTS).map(([type, folder]) => ({ type, pattern: `${folder}/**`, partialMatch: false })),
  'import/resolver': { node: { extensions: ['.ts', '.js', '.mjs', '.json'] } },
};

export const boundaryRule = {
  default: 'allow',
  checkAllOrigins: true,
  policies: [
    ...Object.entries(MAY_IMPORT).map(([part, allowed]) => ({
      from: { element: { type: part } },
      disallow: { to: { element: { types: { noneOf: [part, ...allowed] } } } },
      message: `${PARTS[part]}/ may not import {{to.type}} (it may import ${allowed.length ? allowed.join(', ') : 'nothing of ours'}): see docs/ARCHITECTURE.md, "Who may import whom".`,
    })),
    ...SDKS.map(({ modules, only }) => ({
      from: { element: { types: { noneOf: only } } },
      disallow: { to: { module: { origin: 'external', source: modules } } },
      message: `{{from.type}} may not use ${modules.join(' or ')} (only ${only.join(', ')} may): see docs/ARCHITECTURE.md, "Who may import whom".`,
    })),
  ],
};
