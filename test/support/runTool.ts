import { spawn } from 'node:child_process';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

export interface ToolRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command from the repository's root and collects its output, without blocking this process:
 * the test Azurite may live in this very process (jest runs a file in band), and a blocked event loop
 * (a synchronous spawn) would never answer the child.
 */
export function runCommand(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', reject);
    // 'close', not 'exit': the output is complete only once the pipes have closed.
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Runs a built command-line tool (`dist/scripts/<script>`). */
export function runTool(script: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<ToolRun> {
  return runCommand(process.execPath, [path.join(ROOT, 'dist', 'scripts', script), ...args], env);
}
