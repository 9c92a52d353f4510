/**
 * Placeholder until the benchmark issue: the real benchmark (echo baseline, dialog turns,
 * invokes, search and digest, side by side) is not written yet.
 */
process.stdout.write('npm run bench: the benchmark is not written yet (it comes with the benchmark issue). Nothing was measured.\n');
