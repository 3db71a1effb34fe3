import type { Writable } from 'node:stream';
import type { Projection } from '../projections/projection';

/** Everything the CLI touches outside itself, injected so tests run it in-process. */
export type CliIo = {
  stdout: Writable;
  stderr: Writable & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  /** Aborted on SIGINT: long operations stop cleanly and can be resumed. */
  signal?: AbortSignal;
  /** The projections to operate on; defaults to every projection the server runs. */
  projections?: Projection[];
};

/** A failure the CLI reports as one line on stderr with a non-zero exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
