import { installNetworkDelay, networkDelaysFrom } from './networkDelay';

// `node --require dist/bench/networkDelayPreload.js`, in each bot the bench starts with `--rtt` (bench/run.ts).
installNetworkDelay(networkDelaysFrom(process.env));
