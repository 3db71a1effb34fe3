import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config';
import { createChannelsCommand } from './channelsCommands';
import { CliError, type CliIo } from './cliIo';
import { createHistoryCommand } from './historyCommands';
import { createProjectionsCommand } from './projectionsCommands';

/** The commctl program; everything it touches comes through `io`. */
export const createProgram = (io: CliIo): Command => {
  const program = new Command('commctl')
    .description(
      'Operate the communication backend: projections (status, rebuild, drop-old), history (export, show), channels (state as of).\n' +
        'Opens the same stores as the server from the same environment: DATA_DIR, EVENTSTORE_URL, MONGO_URL.',
    )
    .option('--no-progress', 'no progress bars on stderr')
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .exitOverride()
    .showHelpAfterError();
  const progressEnabled = () => program.opts<{ progress: boolean }>().progress;
  const subcommands = [
    createProjectionsCommand(io, progressEnabled),
    createHistoryCommand(io, progressEnabled),
    createChannelsCommand(io),
  ];
  for (const subcommand of subcommands) {
    subcommand.configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });
    subcommand.exitOverride();
    subcommand.commands.forEach((leaf) => {
      leaf.configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) });
      leaf.exitOverride();
    });
    program.addCommand(subcommand);
  }
  const leaves = subcommands.flatMap((group) =>
    group.commands.map((leaf) => [
      `${group.name()} ${leaf.name()} ${leaf.usage()}`.trim(),
      leaf.description().split('. ')[0],
    ]),
  );
  const width = Math.max(...leaves.map(([usage]) => usage.length));
  program.addHelpText(
    'after',
    `\nAll commands:\n${leaves.map(([usage, text]) => `  ${usage.padEnd(width)}  ${text}`).join('\n')}\n` +
      `\nDetails: commctl <group> <command> --help`,
  );
  return program;
};

/** Runs commctl with `args` (without node and script); resolves to the exit code. */
export const runCli = async (args: string[], io: CliIo): Promise<number> => {
  try {
    await createProgram(io).parseAsync(args, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof CliError) {
      io.stderr.write(`commctl: ${error.message}\n`);
      return error.exitCode;
    }
    if (error instanceof ConfigError) {
      io.stderr.write(`commctl: ${error.message}\n`);
      return 78;
    }
    io.stderr.write(`commctl: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
};
