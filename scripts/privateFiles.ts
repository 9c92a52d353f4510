import { chmodSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The data folder holds children's records (Azurite's database), emails about them, reports and
 * keys: its owner's only. Everything this process and its children create is private (umask 077),
 * and anything an earlier version left readable by others is made private on start.
 */
export function keepPrivate(): void {
  process.umask(0o077);
}

/** Creates the folder if need be, and makes it, and everything already in it, its owner's only. */
export function privateFolder(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const walk = (d: string) => {
    chmodSync(d, 0o700);
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) chmodSync(p, 0o600);
    }
  };
  walk(dir);
}

/** Writes a file readable by its owner only, whatever mode an existing file had (a key above all). */
export function writePrivateFile(file: string, content: string | Buffer): void {
  writeFileSync(file, content, { mode: 0o600 });
  chmodSync(file, 0o600);
}
