#!/usr/bin/env node
import { runCli } from './program';

const controller = new AbortController();
// `commctl history export | head` closes the pipe early: stop quietly, as Unix tools do.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  controller.abort();
  process.exit(0);
});
process.once('SIGINT', () => {
  process.stderr.write('\nstopping cleanly (Ctrl-C again to force)...\n');
  controller.abort();
  process.once('SIGINT', () => process.exit(130));
});

runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  signal: controller.signal,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`commctl: ${String(error)}\n`);
    process.exitCode = 1;
  },
);
