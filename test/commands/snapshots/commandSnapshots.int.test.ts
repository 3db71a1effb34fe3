import path from 'node:path';
import Database from 'better-sqlite3';
import { v7 as uuidv7 } from 'uuid';
import { createCommandHandler } from '../../../src/commands/commandHandler';
import { discussionDecider, type DiscussionCommand } from '../../../src/commands/discussion/discussionDecider';
import type { DiscussionEvent } from '../../../src/commands/discussion/discussionEvents';
import type { DiscussionState } from '../../../src/commands/discussion/discussionState';
import { discussionSnapshotCodec } from '../../../src/commands/discussion/discussionSnapshot';
import { checksumOf } from '../../../src/commands/snapshots/snapshotting';
import type { SnapshotStore } from '../../../src/commands/snapshots/snapshotStore';
import { createSqliteSnapshotStore } from '../../../src/commands/snapshots/sqliteSnapshotStore';
import { discussionHandlerOptions, SNAPSHOT_EVERY } from '../../../src/commands/snapshots/handlerOptions';
import type { EventStore } from '../../../src/eventStore/eventStore';
import { createSqliteEventStore } from '../../../src/eventStore/sqlite';
import { makeTempDir } from '../../helpers/testApp';

const metadata = { actor: { type: 'admin' as const, id: 'admin-1' }, correlationId: 'c', causationId: 'c' };
const now = '2026-03-19T12:00:00.000Z';
const stream = 'discussion-1';
const MESSAGES = 1_199;
const created: DiscussionEvent = {
  type: 'DiscussionCreated',
  data: {
    discussionId: 1,
    channelId: 1,
    title: 'Busy',
    isEnabled: true,
    requiredFeatureKey: null,
    slowModeEnabled: true,
    slowModeIntervalSeconds: 60,
    createdByAdminId: 'admin-1',
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
    authorUserId: `user-${messageId % 7}`,
    authorAdminId: null,
    body: `message ${messageId}`,
    createdAt: now,
  },
});
const banned: DiscussionEvent = {
  type: 'UserBanned',
  data: {
    discussionId: 1,
    channelId: 1,
    userId: 'user-3',
    until: null,
    reason: 'spam',
    bannedByAdminId: 'a',
    bannedAt: now,
  },
};
const toNew = (event: DiscussionEvent) => ({ id: uuidv7(), type: event.type, data: event.data, metadata });
const postNext = (state: DiscussionState): DiscussionCommand => ({
  type: 'PostAdminMessage',
  data: {
    messageId: (state.exists ? state.lastMessageId : 0) + 1,
    body: 'after the restart',
    adminId: 'admin-1',
    now,
    channel: { channelId: 1, kind: 'BROADCAST', status: 'ACTIVE', accessPolicy: 'OPEN', entitlementKey: null },
  },
});

describe('Given a discussion stream of 1,200 events, a snapshot of it, and 3 events appended after the snapshot by another writer', () => {
  let dir: string;
  let store: EventStore;
  let snapshots: SnapshotStore;
  let snapshotFile: Database.Database;
  let fullFold: DiscussionState;
  let snapshotted: { revision: bigint; eventId: string; state: string };
  const reads: Array<bigint | undefined> = [];
  const errors: unknown[] = [];

  /** A restart: a new handler with an empty cache, reading the same log and snapshots; its stream reads are counted. */
  const restarted = (snapshotStore: SnapshotStore | null = snapshots) => {
    const counting: EventStore = {
      ...store,
      readStream: (name, options) => {
        reads.push(options?.fromRevision);
        return store.readStream(name, options);
      },
    };
    return createCommandHandler(
      counting,
      discussionDecider,
      discussionHandlerOptions(snapshotStore ?? undefined, (error) => errors.push(error)),
    );
  };
  const tamper = (sql: string, ...params: unknown[]) => snapshotFile.prepare(sql).run(...params);

  beforeAll(async () => {
    dir = makeTempDir('command-snapshots-');
    store = createSqliteEventStore({ path: path.join(dir, 'events.sqlite') });
    snapshots = createSqliteSnapshotStore({ path: path.join(dir, 'snapshots.sqlite') });
    snapshotFile = new Database(path.join(dir, 'snapshots.sqlite'));
    const events = [created, banned, ...Array.from({ length: MESSAGES - 1 }, (_, index) => posted(index + 1))];
    await store.appendToStream(stream, events.map(toNew), { expectedRevision: 'no_stream' });
    // The process before the restart: its handler folded the stream and wrote the snapshot.
    await createCommandHandler(store, discussionDecider, discussionHandlerOptions(snapshots)).load(stream);
    const row = snapshotFile.prepare('SELECT revision, event_id, state FROM snapshots').get() as {
      revision: number;
      event_id: string;
      state: string;
    };
    snapshotted = { revision: BigInt(row.revision), eventId: row.event_id, state: row.state };
    await store.appendToStream(
      stream,
      [MESSAGES, MESSAGES + 1, MESSAGES + 2].map((id) => toNew(posted(id))),
    );
  });
  beforeEach(async () => {
    // Some cases append: the expected state is the stream's as it is now.
    fullFold = (await store.readStream(stream)).reduce(
      (state, event) => discussionDecider.evolve(state, event as unknown as DiscussionEvent),
      discussionDecider.initialState(),
    );
    reads.length = 0;
    errors.length = 0;
    // Every case starts from the snapshot as the earlier process wrote it.
    tamper('DELETE FROM snapshots');
    tamper(
      'INSERT INTO snapshots VALUES (?, ?, ?, ?, ?, ?)',
      stream,
      snapshotted.revision,
      snapshotted.eventId,
      discussionSnapshotCodec.version,
      snapshotted.state,
      checksumOf(snapshotted.state),
    );
  });
  afterAll(async () => {
    snapshotFile?.close();
    await snapshots?.close();
    await store?.close();
  });

  it('When the earlier process folded it, then it wrote the snapshot at the revision it had folded', () => {
    expect(snapshotted.revision).toBe(BigInt(MESSAGES));
  });

  it('When a restarted handler loads the stream, then it reads from the snapshot on and has the state of a full fold', async () => {
    const state = await restarted().load(stream);
    expect(reads).toEqual([snapshotted.revision]);
    expect(state).toEqual(fullFold);
    expect(errors).toEqual([]);
  });

  it('When the first command after the restart posts a message, then it takes the id after the newest one and appends at the stream end', async () => {
    const handler = restarted();
    const result = await handler.handle(stream, postNext, metadata);
    expect(result.events).toEqual([
      expect.objectContaining({ data: expect.objectContaining({ messageId: MESSAGES + 3 }) }),
    ]);
    const [last] = await store.readStream(stream, { direction: 'backwards', maxCount: 1 });
    expect(last.revision).toBe(BigInt(MESSAGES + 4));
    expect(last.position).toBe(result.position);
  });

  it('When there is no snapshot, then the restarted handler folds the stream from its start to the same state', async () => {
    tamper('DELETE FROM snapshots');
    expect(await restarted().load(stream)).toEqual(fullFold);
    expect(reads).toEqual([0n]);
  });

  it('When snapshots are not kept at all, then the handler folds from the start to the same state', async () => {
    expect(await restarted(null).load(stream)).toEqual(fullFold);
    expect(reads).toEqual([0n]);
  });

  it('When the snapshot row is damaged, then the checksum refuses it and the stream is folded from its start', async () => {
    tamper(`UPDATE snapshots SET state = replace(state, '"lastMessageId":${MESSAGES - 1}', '"lastMessageId":5')`);
    expect(await restarted().load(stream)).toEqual(fullFold);
    expect(reads).toEqual([0n]);
    expect(String(errors[0])).toMatch(/damaged/);
  });

  it('When the snapshot is intact but not JSON, then it is refused and the stream is folded from its start', async () => {
    tamper('UPDATE snapshots SET state = ?, checksum = ?', '{"exists":tru', checksumOf('{"exists":tru'));
    expect(await restarted().load(stream)).toEqual(fullFold);
    expect(reads).toEqual([0n]);
    expect(String(errors[0])).toMatch(/does not decode/);
  });

  it('When the snapshot holds a state of another shape under the same version, then it does not decode and the stream is folded', async () => {
    const other = JSON.stringify({ ...JSON.parse(snapshotted.state), messages: {} });
    tamper('UPDATE snapshots SET state = ?, checksum = ?', other, checksumOf(other));
    expect(await restarted().load(stream)).toEqual(fullFold);
    expect(reads).toEqual([0n]);
  });

  it('When the snapshot is of an older format version, then it is ignored and the stream is folded', async () => {
    tamper("UPDATE snapshots SET version = 'discussion-1'");
    expect(await restarted().load(stream)).toEqual(fullFold);
    expect(reads).toEqual([0n]);
  });

  it('When the snapshot names another event than the stream holds at its revision (another log), then the stream is folded', async () => {
    tamper('UPDATE snapshots SET event_id = ?', uuidv7());
    expect(await restarted().load(stream)).toEqual(fullFold);
    expect(reads).toEqual([snapshotted.revision, 0n]);
    expect(String(errors[0])).toMatch(/does not match the stream/);
  });

  it('When the snapshot claims a revision past the stream end, then the stream is folded', async () => {
    tamper('UPDATE snapshots SET revision = 100000');
    expect(await restarted().load(stream)).toEqual(fullFold);
    expect(reads).toEqual([100_000n, 0n]);
  });

  it('When a stale snapshot is used and the handler keeps writing, then a newer snapshot replaces it', async () => {
    const handler = restarted();
    for (let i = 0; i < SNAPSHOT_EVERY; i++) await handler.handle(stream, postNext, metadata);
    const saved = await snapshots.load(stream);
    expect(saved?.revision).toBeGreaterThan(snapshotted.revision);
    // The newer snapshot is as good as the stream: a later restart starts from it, to the state of a full fold.
    reads.length = 0;
    const afterRestart = await restarted().load(stream);
    expect(reads).toEqual([saved?.revision]);
    const events = await store.readStream(stream);
    expect(afterRestart).toEqual(
      events.reduce(
        (state, event) => discussionDecider.evolve(state, event as unknown as DiscussionEvent),
        discussionDecider.initialState(),
      ),
    );
  });
});
