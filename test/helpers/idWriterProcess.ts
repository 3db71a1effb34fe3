import { publishPost } from '../../src/commands/channel/channelUseCases';
import { postAdminMessage } from '../../src/commands/discussion/messageUseCases';
import { createWriteModel, type CommandContext } from '../../src/commands/writeModel';
import { createEventStore } from '../../src/eventStore/createEventStore';
import { StreamContendedError } from '../../src/errors';

/**
 * One writer process of the id-allocation workload (test/helpers/idWorkload.ts): on the
 * shared DATA_DIR, publishes ID_WRITER_POSTS posts and ID_WRITER_MESSAGES admin messages
 * spread over the channels in ID_WRITER_CHANNELS (and their discussions), ID_WRITER_IN_FLIGHT
 * at a time. It says `ready` over IPC, starts on `go`, and reports its failures before exit.
 * A write refused as contended (503 with Retry-After: other writers won its stream at every
 * attempt, nothing written) is sent again after the Retry-After, as a client does, up to 5
 * times, and counted.
 */
const env = (name: string) => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
};

const main = async () => {
  const channelIds = env('ID_WRITER_CHANNELS').split(',').map(Number);
  const posts = Number(env('ID_WRITER_POSTS'));
  const messages = Number(env('ID_WRITER_MESSAGES'));
  const inFlight = Number(env('ID_WRITER_IN_FLIGHT'));
  const writer = Number(env('ID_WRITER_INDEX'));
  const eventStore = createEventStore({ dataDir: env('DATA_DIR'), eventStoreUrl: undefined });
  const nothingToLocate = {
    appliedPosition: () => undefined,
    ownerOf: async () => undefined,
    messageOf: async () => undefined,
    postOf: async () => undefined,
  };
  const id = `id-writer-${writer}`;
  const context: CommandContext = {
    model: createWriteModel({ eventStore, now: () => new Date(), appliedIds: nothingToLocate }),
    metadata: { actor: { type: 'admin', id }, correlationId: id, causationId: id },
  };
  const operations: Array<() => Promise<unknown>> = [];
  for (let i = 0; i < Math.max(posts, messages); i++) {
    const channelId = channelIds[(i + writer) % channelIds.length];
    const input = { adminId: id, type: 'TEXT' as const, linkUrl: null, chartPayloadJson: null, attachments: [] };
    if (i < posts) operations.push(() => publishPost(context, channelId, { ...input, bodyText: `${id} ${i}` }));
    if (i < messages) operations.push(() => postAdminMessage(context, channelId, { adminId: id, body: `${id} ${i}` }));
  }
  await new Promise<void>((resolve) => {
    process.once('message', () => resolve());
    process.send?.('ready');
  });
  const failures: string[] = [];
  let contended = 0;
  const attempt = async (operation: () => Promise<unknown>, sent = 1): Promise<unknown> =>
    operation().catch(async (error: unknown) => {
      if (!(error instanceof StreamContendedError) || sent >= 5) return failures.push(String(error));
      contended += 1;
      await new Promise((resolve) => setTimeout(resolve, error.retryAfterSeconds * 1000));
      return attempt(operation, sent + 1);
    });
  let next = 0;
  const lane = async () => {
    while (next < operations.length) await attempt(operations[next++]);
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  await eventStore.close();
  return { failures, contended };
};

main().then(
  (report) => process.send?.(report, () => process.disconnect()),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
