import { spawn } from 'node:child_process';
import path from 'node:path';

export interface ToolRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a built command-line tool (`dist/scripts/<script>`) as a child process without blocking this
 * one: the test Azurite may live in this very process (jest runs a file in band), and a blocked
 * event loop would never answer it.
 */
export function runTool(script: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(__dirname, '..', '..', 'dist', 'scripts', script), ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
}
