/**
 * Progress for command-line tools on stderr. On a terminal one line is redrawn in place
 * (`[#####.....] 120/300`); in a log or CI (not a TTY) a carriage return would garble the output, so
 * a plain line is written each time another tenth is done.
 */
export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

const WIDTH = 30;

export function progressBarLine(done: number, total: number, width = WIDTH): string {
  const filled = total === 0 ? width : Math.min(width, Math.floor((done / total) * width));
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`;
}

export function createProgressReporter(stream: ProgressStream, label: string): { update(done: number, total: number): void; finish(): void } {
  let lastTenth = -1;
  let drawn = false;
  return {
    update(done, total) {
      if (total === 0) return;
      if (stream.isTTY) {
        stream.write(`\r${label} ${progressBarLine(done, total)}`);
        drawn = true;
        return;
      }
      const tenth = Math.floor((done / total) * 10);
      if (tenth <= lastTenth) return;
      lastTenth = tenth;
      stream.write(`${label} ${done}/${total} (${tenth * 10}%)\n`);
    },
    finish() {
      if (drawn) stream.write('\n');
      drawn = false;
    },
  };
}
