import { fork } from 'node:child_process';
import path from 'node:path';
import { createChannel } from '../../src/commands/channel/channelUseCases';
import { configureDiscussion } from '../../src/commands/discussion/configureDiscussion';
import { createWriteModel, type CommandContext } from '../../src/commands/writeModel';
import { streamPrefixes } from '../../src/commands/streams';
import { createEventStore } from '../../src/eventStore/createEventStore';
import type { RecordedEvent } from '../../src/eventStore/eventStore';

/**
 * The id-allocation workload of issue 11: several writer processes (test/helpers/idWriterProcess.ts)
 * append posts and discussion messages to one shared set of channels on one SQLite DATA_DIR,
 * all at once; then the log says how ids came out.
 */
export type IdWorkload = { writers: number; channels: number; posts: number; messages: number; inFlight: number };

const nothingToLocate = {
  appliedPosition: () => undefined,
  ownerOf: async () => undefined,
  messageOf: async () => undefined,
  postOf: async () => undefined,
};
const metadata = { actor: { type: 'admin' as const, id: 'setup' }, correlationId: 'setup', causationId: 'setup' };

/** Creates the channels, each with its discussion, in this process; returns their ids. */
export const setUpChannels = async (dataDir: string, count: number): Promise<number[]> => {
  const eventStore = createEventStore({ dataDir, eventStoreUrl: undefined });
  const context: CommandContext = {
    model: createWriteModel({ eventStore, now: () => new Date(), appliedIds: nothingToLocate }),
    metadata,
  };
  const channelIds: number[] = [];
  for (let i = 0; i < count; i++) {
    const channel = await createChannel(context, {
      adminId: 'setup',
      kind: 'BROADCAST',
      accessPolicy: 'OPEN',
      visibility: 'PUBLIC',
      title: `shared ${i}`,
      description: null,
      entitlementKey: null,
    });
    await configureDiscussion(context, channel.data.channelId, { adminId: 'setup' });
    channelIds.push(channel.data.channelId);
  }
  await eventStore.close();
  return channelIds;
};

/** A writer's outcome: failed writes, and how many were refused as contended (503) and sent again. */
type WriterReport = { failures: string[]; contended: number };
type Writer = { ready: Promise<void>; done: Promise<WriterReport>; go: () => void; kill: () => void };

const forkWriter = (dataDir: string, workload: IdWorkload, channelIds: number[], index: number): Writer => {
  const child = fork(path.join(__dirname, 'idWriterProcess.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env,
      NODE_ENV: 'test',
      DATA_DIR: dataDir,
      ID_WRITER_INDEX: String(index),
      ID_WRITER_CHANNELS: channelIds.join(','),
      ID_WRITER_POSTS: String(workload.posts),
      ID_WRITER_MESSAGES: String(workload.messages),
      ID_WRITER_IN_FLIGHT: String(workload.inFlight),
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let report: WriterReport | undefined;
  const ready = new Promise<void>((resolve, reject) => {
    child.on('message', (message) => {
      if (message === 'ready') resolve();
      else report = message as WriterReport;
    });
    child.once('exit', (code) => reject(new Error(`writer ${index} exited with ${code} before it was ready`)));
  });
  const done = new Promise<WriterReport>((resolve, reject) =>
    child.once('exit', (code) =>
      code === 0 && report ? resolve(report) : reject(new Error(`writer ${index} exited with ${code}`)),
    ),
  );
  ready.catch(() => undefined);
  return {
    ready,
    done,
    go: () => child.send('go'),
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
};

/**
 * Runs the writers against channels already set up; they start together once all have
 * loaded. Resolves with every failed write's error (none expected).
 */
export const runWriters = async (dataDir: string, workload: IdWorkload, channelIds: number[]) => {
  const writers = Array.from({ length: workload.writers }, (_, i) => forkWriter(dataDir, workload, channelIds, i));
  try {
    await Promise.all(writers.map((writer) => writer.ready));
    writers.forEach((writer) => writer.go());
    const reports = await Promise.all(writers.map((writer) => writer.done));
    return {
      failures: reports.flatMap((report) => report.failures),
      contended: reports.reduce((sum, report) => sum + report.contended, 0),
    };
  } finally {
    writers.forEach((writer) => writer.kill());
  }
};

export type IdOutcome = {
  events: number;
  /** Events on the `sequence-*` streams: id bookkeeping. */
  bookkeeping: number;
  posts: number;
  messages: number;
  maxPostId: number;
  maxMessageId: number;
  /** Ids of each channel / discussion stream, in append order. */
  idsByStream: Map<string, number[]>;
  /** How many id blocks were reserved for each channel / discussion stream. */
  blocksByStream: Map<string, number>;
};

const idOf = (event: RecordedEvent): number | undefined => {
  const data = event.data as { postId?: number; messageId?: number };
  if (event.type === 'PostPublished') return data.postId;
  if (event.type === 'DiscussionMessagePosted') return data.messageId;
  return undefined;
};

/** Reads the whole log of DATA_DIR: how much of it is id bookkeeping, and the ids per stream. */
export const measureIds = async (dataDir: string): Promise<IdOutcome> => {
  const eventStore = createEventStore({ dataDir, eventStoreUrl: undefined });
  const outcome: IdOutcome = {
    events: 0,
    bookkeeping: 0,
    posts: 0,
    messages: 0,
    maxPostId: 0,
    maxMessageId: 0,
    idsByStream: new Map(),
    blocksByStream: new Map(),
  };
  try {
    for (let after: bigint | undefined; ;) {
      const page = await eventStore.readAll({ after, maxCount: 5_000 });
      if (page.length === 0) break;
      after = page[page.length - 1].position;
      for (const event of page) {
        outcome.events += 1;
        if (event.streamName.startsWith(streamPrefixes.sequence)) outcome.bookkeeping += 1;
        if (event.type === 'StreamIdBlockReserved') {
          const { stream } = event.data as { stream: string };
          outcome.blocksByStream.set(stream, (outcome.blocksByStream.get(stream) ?? 0) + 1);
        }
        const id = idOf(event);
        if (id === undefined) continue;
        const ids = outcome.idsByStream.get(event.streamName) ?? [];
        ids.push(id);
        outcome.idsByStream.set(event.streamName, ids);
        if (event.type === 'PostPublished') {
          outcome.posts += 1;
          outcome.maxPostId = Math.max(outcome.maxPostId, id);
        } else {
          outcome.messages += 1;
          outcome.maxMessageId = Math.max(outcome.maxMessageId, id);
        }
      }
    }
  } finally {
    await eventStore.close();
  }
  return outcome;
};
