/**
 * The parts of botbuilder-dialogs this product uses, from the package's own modules rather than its
 * index. The index also loads every prompt the SDK ships (text, number, choice, date-time, OAuth,
 * skills) and with them the Recognizers-Text suite, none of which this product calls: with the
 * index, the app's modules took 188 MB of resident memory and 79 MB of heap once loaded; with these,
 * 156 MB and 61 MB (Node 22). ESLint refuses `botbuilder-dialogs` itself outside tests
 * (eslint.config.mjs), and test/startupFootprint.test.ts checks the suite is not loaded.
 */
export { Dialog, DialogTurnStatus } from 'botbuilder-dialogs/lib/dialog';
export type { DialogInstance, DialogTurnResult } from 'botbuilder-dialogs/lib/dialog';
export { DialogContext } from 'botbuilder-dialogs/lib/dialogContext';
export type { DialogState } from 'botbuilder-dialogs/lib/dialogContext';
export { DialogSet } from 'botbuilder-dialogs/lib/dialogSet';
export type { DialogStateManagerConfiguration } from 'botbuilder-dialogs/lib/memory/dialogStateManager';
