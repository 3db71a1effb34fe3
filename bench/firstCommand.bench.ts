import fs from 'node:fs';
import path from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { createCommandHandler } from '../src/commands/commandHandler';
import { discussionDecider } from '../src/commands/discussion/discussionDecider';
import type { DiscussionEvent } from '../src/commands/discussion/discussionEvents';
import { createSqliteSnapshotStore } from '../src/commands/snapshots/sqliteSnapshotStore';
import { discussionHandlerOptions } from '../src/commands/snapshots/handlerOptions';
import { createSqliteEventStore } from '../src/eventStore/sqlite';
import type { BenchDefinition, BenchProgress, BenchResult } from './benchTypes';

/**
 * The first command on a discussion after a restart: a fresh command handler (empty
 * cache), built as the server builds it (snapshots in their own file), posts one message
 * into a discussion stream of SMALL and of LARGE messages, on the embedded store. The
 * stream is written straight through the store's batch appends; the process before the
 * restart folds it once (and so writes its snapshot, as a running server does every
 * SNAPSHOT_EVERY events). Target: <= 50 ms at 1,000,000 events and <= 2x the
 * small stream. BENCH_FIRST_COMMAND_EVENTS sets the large stream (e.g. 100000 for a quick run).
 */
const SMALL = 1_000;
const LARGE = Number(process.env.BENCH_FIRST_COMMAND_EVENTS ?? 1_000_000);
const ROUNDS = 3;
const APPEND_BATCH = 5_000;
const workDir = path.join(__dirname, 'results', `first-command-${process.pid}.tmp`);
const metadata = { actor: { type: 'system' as const, id: 'bench' }, correlationId: 'c', causationId: 'c' };
const now = '2026-01-01T00:00:00.000Z';
const stream = 'discussion-1';

const created: DiscussionEvent = {
  type: 'DiscussionCreated',
  data: {
    discussionId: 1,
    channelId: 1,
    title: 'Busy',
    isEnabled: true,
    requiredFeatureKey: null,
    slowModeEnabled: false,
    slowModeIntervalSeconds: null,
    createdByAdminId: 'admin',
    createdAt: now,
  },
};
const posted = (messageId: number): DiscussionEvent => ({
  type: 'DiscussionMessagePosted',
  data: {
    messageId,
    discussionId: 1,
    channelId: 1,
    authorType: 'USER',
    authorUserId: `user-${messageId % 500}`,
    authorAdminId: null,
    body: `message ${messageId} `.padEnd(200, '.'),
    createdAt: now,
  },
});
const toNew = (event: DiscussionEvent) => ({ id: uuidv7(), type: event.type, data: event.data, metadata });
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const firstCommandMs = async (
  messages: number,
  progress: BenchProgress,
): Promise<{ ms: number; roundsMs: number[]; beforeRestartMs: number }> => {
  const file = path.join(workDir, `events-${messages}.sqlite`);
  const snapshotFile = path.join(workDir, `snapshots-${messages}.sqlite`);
  const tick = progress.phase(`writing a stream of ${messages.toLocaleString('en-US')} messages`, messages);
  const writing = createSqliteEventStore({ path: file });
  await writing.appendToStream(stream, [toNew(created)], { expectedRevision: 'no_stream' });
  for (let first = 1; first <= messages; first += APPEND_BATCH) {
    const count = Math.min(APPEND_BATCH, messages - first + 1);
    await writing.appendToStream(
      stream,
      Array.from({ length: count }, (_, index) => toNew(posted(first + index))),
    );
    tick(count);
  }
  // The process before the restart had the stream's state: folding it once writes its snapshot.
  progress.phase(`folding it once before the restart`, 1);
  const folding = performance.now();
  const before = createSqliteSnapshotStore({ path: snapshotFile });
  await createCommandHandler(writing, discussionDecider, discussionHandlerOptions(before)).load(stream);
  const beforeRestartMs = performance.now() - folding;
  await before.close();
  await writing.close();
  const roundsMs: number[] = [];
  const restarts = progress.phase(`${ROUNDS} restarts, one message each`, ROUNDS);
  for (let round = 0; round < ROUNDS; round++) {
    // A restart: a new store and snapshot store on the files, a handler with nothing cached.
    const store = createSqliteEventStore({ path: file });
    const snapshots = createSqliteSnapshotStore({ path: snapshotFile });
    const handler = createCommandHandler(store, discussionDecider, discussionHandlerOptions(snapshots));
    // The server's store is up long before its first command: start the writer thread first.
    await store.appendToStream(`bench-warmup-${round}`, [toNew(created)]);
    const started = performance.now();
    await handler.handle(
      stream,
      (state) => ({
        type: 'PostAdminMessage',
        data: {
          messageId: (state.exists ? state.lastMessageId : 0) + 1,
          body: 'first after restart',
          adminId: 'admin',
          now,
          channel: { channelId: 1, kind: 'BROADCAST', status: 'ACTIVE', accessPolicy: 'OPEN', entitlementKey: null },
        },
      }),
      metadata,
    );
    roundsMs.push(performance.now() - started);
    await snapshots.close();
    await store.close();
    restarts();
  }
  return { ms: median(roundsMs), roundsMs, beforeRestartMs };
};

export const bench: BenchDefinition = {
  name: 'first command after restart',
  run: async (progress) => {
    fs.mkdirSync(workDir, { recursive: true });
    try {
      const small = await firstCommandMs(SMALL, progress);
      const large = await firstCommandMs(LARGE, progress);
      const rounds = (result: typeof small) => result.roundsMs.map((ms) => ms.toFixed(1)).join(', ');
      progress.log(
        `first command: ${small.ms.toFixed(1)} ms at ${SMALL} events (rounds ${rounds(small)}), ${large.ms.toFixed(1)} ms at ${LARGE} (rounds ${rounds(large)}), ratio ${(large.ms / small.ms).toFixed(2)}; the fold before the restart took ${large.beforeRestartMs.toFixed(0)} ms`,
      );
      const results: BenchResult[] = [
        {
          name: `first command on a discussion of ${LARGE.toLocaleString('en-US')} messages after a restart`,
          value: large.ms,
          unit: 'ms',
          baseline: { name: `the same on ${SMALL.toLocaleString('en-US')} messages (ms)`, value: small.ms },
          ratio: large.ms / small.ms,
          target: '<= 50 ms and <= 2x the small stream',
          met: large.ms <= 50 && large.ms <= 2 * small.ms,
          notes: `median of ${ROUNDS} restarts; from the snapshot, which a fold of the whole stream (${large.beforeRestartMs.toFixed(0)} ms) wrote before the restart`,
        },
      ];
      return results;
    } finally {
      fs.rmSync(workDir, { recursive: true, force: true });
    }
  },
};
