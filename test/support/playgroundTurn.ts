import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * One Agents Playground at a time across jest's workers. Two at once broke each other's stories:
 * the approval and new-starter tests run together failed both (a card's button, then the next card,
 * never came), where each alone passes, and in clean-clone CI they failed when jest happened to run
 * two such files at the same moment. Held from starting a Playground until it is stopped; a holder
 * that died (its process gone) is taken over.
 */
const LOCK = path.join(os.tmpdir(), `swbot-playground-${os.userInfo().username}.lock`);

function holderAlive(): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(path.join(LOCK, 'pid'), 'utf8'));
  } catch {
    // Just made, its pid not yet written: held, unless its maker died in between, long ago.
    try {
      return Date.now() - statSync(LOCK).mtimeMs < 10_000;
    } catch {
      return false;
    }
  }
  if (!Number.isInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits for the Playground to be free and takes it; the function returned gives it back. */
export async function takePlaygroundTurn(): Promise<() => void> {
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(path.join(LOCK, 'pid'), String(process.pid));
      let released = false;
      return () => {
        if (released) return;
        released = true;
        rmSync(LOCK, { recursive: true, force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (!holderAlive()) rmSync(LOCK, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
