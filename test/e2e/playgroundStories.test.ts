/**
 * The stories told in the Agents Playground, one after another in one jest worker. Two Playgrounds
 * at once break each other's stories (see support/playgroundTurn.ts), so as separate files they
 * took turns, and a worker waiting for its turn did nothing: 46 s of the suite's 1,037 s of test
 * files were spent waiting so. Run in one file, they never wait, and the other worker goes on with
 * the rest of the suite. Each story is its own module and starts its own product, as before.
 */
import './playground.story';
import './recognitionInPlayground.story';
import './phoneInPlayground.story';
import './newStarterInPlayground.story';
import './approvalInPlayground.story';
import './digestChannelInPlayground.story';
