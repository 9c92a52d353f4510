import { readdirSync } from 'node:fs';

/**
 * The stories told in the Agents Playground, one after another in one jest worker. Two Playgrounds
 * at once break each other's stories (see support/playgroundTurn.ts), so as separate files they
 * took turns, and a worker waiting for its turn did nothing: 46 s of the suite's 1,037 s of test
 * files were spent waiting so. Run in one file, they never wait, and the other worker goes on with
 * the rest of the suite. Each story is its own module (`*.story.ts`) and starts its own product.
 */
const STORIES = ['playground', 'recognitionInPlayground', 'phoneInPlayground', 'newStarterInPlayground', 'approvalInPlayground', 'digestChannelInPlayground'];

// In this order, each registering its own describe block; jest runs them as they were registered.
for (const story of STORIES) require(`./${story}.story`);

it('tells every story in test/e2e: a story file left out of the list would never run', () => {
  const onDisk = readdirSync(__dirname)
    .filter((f) => f.endsWith('.story.ts'))
    .map((f) => f.slice(0, -'.story.ts'.length));
  expect([...STORIES].sort()).toEqual(onDisk.sort());
});
