import { Command } from 'commander';
import { channelAsOf, type AsOf } from '../history/channelAsOf';
import { CliError, type CliIo } from './cliIo';
import { withEventStore } from './openStores';
import { parseAsOf, parseChannelId } from './parseOptions';

export const createChannelsCommand = (io: CliIo): Command => {
  const command = new Command('channels').description('Look at channels as the event log records them');

  command
    .command('state')
    .description(
      'The channel, its posts and its discussion settings as they were at a point of the log, ' +
        "folded from the channel's and the discussion's streams with the write side's evolve",
    )
    .argument('<channelId>', 'the channel id', parseChannelId)
    .requiredOption(
      '--as-of <position|time>',
      'a log position (inclusive) or an ISO-8601 time (events recorded at or before it)',
      parseAsOf,
    )
    .action(async (channelId: number, options: { asOf: AsOf }) => {
      await withEventStore(io, async (eventStore) => {
        const state = await channelAsOf(eventStore, channelId, options.asOf);
        if (!state.channel) throw new CliError(`Channel ${channelId} did not exist at that point`);
        io.stdout.write(`${JSON.stringify(state, null, 2)}\n`);
      });
    });

  return command;
};
