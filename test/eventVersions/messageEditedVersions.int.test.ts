import fs from 'node:fs';
import path from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import type { DiscussionMessageEditedV1 } from '../../src/commands/discussion/discussionEventsV1';
import type { DiscussionEvent, DiscussionMessageEdited } from '../../src/commands/discussion/discussionEvents';
import { discussionDecider } from '../../src/commands/discussion/discussionDecider';
import { evolveMessage, type MessageState } from '../../src/commands/discussion/discussionState';
import { streams } from '../../src/commands/streams';
import { createEventStore } from '../../src/eventStore/createEventStore';
import type { EventMetadata, NewEvent, RecordedEvent } from '../../src/eventStore/eventStore';
import { createSqliteEventStore } from '../../src/eventStore/sqlite';
import { createChannel, openChannel } from '../helpers/apiTestKit';
import { connectSocket } from '../helpers/socketClient';
import { createTestClock, makeTempDir, signToken, startTestApp, type TestApp } from '../helpers/testApp';
import { commandsOf } from '../realtime/realtimeTestKit';

const clock = createTestClock('2026-03-17T10:00:00.000Z');
const aliceToken = signToken('alice');
const metadata: EventMetadata = {
  actor: { type: 'user', id: 'alice' },
  correlationId: uuidv7(),
  causationId: uuidv7(),
};

type Scene = { channelId: number; discussionId: number; messageIds: number[] };

/** Channel, discussion and two messages by alice, written through the API into `dataDir`. */
const writeBaseHistory = async (dataDir: string): Promise<Scene> => {
  const server = await startTestApp({ now: clock.now, dataDir });
  try {
    const commands = commandsOf(server);
    const channelId = await createChannel(server, openChannel);
    const discussionId = (await commands.configureDiscussion(channelId)).id;
    const messageIds = [
      (await commands.userMessage(channelId, aliceToken, 'first')).id,
      (await commands.userMessage(channelId, aliceToken, 'second')).id,
    ];
    return { channelId, discussionId, messageIds };
  } finally {
    await server.stop();
  }
};

const copyLog = (from: string, to: string) => {
  for (const file of fs.readdirSync(from).filter((name) => name.startsWith('events.sqlite'))) {
    fs.copyFileSync(path.join(from, file), path.join(to, file));
  }
};

const rawStoreOf = (dataDir: string) => createSqliteEventStore({ path: path.join(dataDir, 'events.sqlite') });

const editedAt = (index: number) => `2026-03-17T10:0${index + 1}:00.000Z`;

const editV1 = (scene: Scene, messageId: number, index: number): DiscussionMessageEditedV1 => ({
  messageId,
  discussionId: scene.discussionId,
  channelId: scene.channelId,
  body: `edited ${index}`,
  editedByUserId: 'alice',
  editedByAdminId: null,
  editedAt: editedAt(index),
});

const editV2 = (scene: Scene, messageId: number, index: number): DiscussionMessageEdited['data'] => ({
  messageId,
  discussionId: scene.discussionId,
  channelId: scene.channelId,
  body: `edited ${index}`,
  editedBy: { type: 'USER', id: 'alice' },
  editedAt: editedAt(index),
});

const foldDiscussion = (events: RecordedEvent[]) =>
  events.reduce(
    (state, event) => discussionDecider.evolve(state, event as unknown as DiscussionEvent),
    discussionDecider.initialState(),
  );

describe('Given one log whose message edits were written in schema version 1 (before the change) and version 2, and one log written all in version 2', () => {
  let scene: Scene;
  let mixedDir: string;
  let currentDir: string;
  let mixed: TestApp;
  let current: TestApp;
  const editIds = [uuidv7(), uuidv7()];

  beforeAll(async () => {
    mixedDir = makeTempDir('versions-mixed-');
    currentDir = makeTempDir('versions-current-');
    scene = await writeBaseHistory(mixedDir);
    copyLog(mixedDir, currentDir);
    for (const file of fs.readdirSync(mixedDir).filter((name) => name.startsWith('readmodels.sqlite'))) {
      fs.rmSync(path.join(mixedDir, file));
    }
    const stream = streams.discussion(scene.discussionId);
    const [first, second] = scene.messageIds;

    // The mixed log: the first edit as an older release wrote it (v1 shape, no version in metadata), the second as now.
    const oldRelease = rawStoreOf(mixedDir);
    const v1Edit: NewEvent = {
      id: editIds[0],
      type: 'DiscussionMessageEdited',
      data: editV1(scene, first, 0),
      metadata,
    };
    await oldRelease.appendToStream(stream, [v1Edit]);
    await oldRelease.close();
    const mixedNow = createEventStore({ dataDir: mixedDir, eventStoreUrl: undefined });
    await mixedNow.appendToStream(stream, [
      { id: editIds[1], type: 'DiscussionMessageEdited', data: editV2(scene, second, 1), metadata },
    ]);
    await mixedNow.close();

    const currentNow = createEventStore({ dataDir: currentDir, eventStoreUrl: undefined });
    await currentNow.appendToStream(
      stream,
      scene.messageIds.map((messageId, index) => ({
        id: editIds[index],
        type: 'DiscussionMessageEdited',
        data: editV2(scene, messageId, index),
        metadata,
      })),
    );
    await currentNow.close();

    // Both start with no read models: their projections rebuild from position 0.
    mixed = await startTestApp({ now: clock.now, dataDir: mixedDir });
    current = await startTestApp({ now: clock.now, dataDir: currentDir });
  });
  afterAll(async () => {
    await mixed?.stop();
    await current?.stop();
  });

  it('When the log is read raw, then the old edit is still stored in version 1 and the new one is stamped version 2', async () => {
    const raw = rawStoreOf(mixedDir);
    try {
      const edits = (await raw.readStream(streams.discussion(scene.discussionId))).filter(
        (event) => event.type === 'DiscussionMessageEdited',
      );
      expect(edits.map((event) => event.metadata.schemaVersion)).toEqual([undefined, 2]);
      expect(edits[0].data).toEqual(editV1(scene, scene.messageIds[0], 0));
    } finally {
      await raw.close();
    }
  });

  it('When both logs are rebuilt into read models, then the messages read the same, each edit naming alice', async () => {
    const read = (server: TestApp) =>
      server.request('GET', `/api/mobile/channels/${scene.channelId}/discussion/messages`, { token: aliceToken });
    const [fromMixed, fromCurrent] = [await read(mixed), await read(current)];
    expect(fromMixed.status).toBe(200);
    expect(fromMixed.body).toEqual(fromCurrent.body);
    expect(fromMixed.body.data.items).toEqual(
      expect.arrayContaining(
        scene.messageIds.map((id, index) =>
          expect.objectContaining({ id, body: `edited ${index}`, editedByUserId: 'alice', editedByAdminId: null }),
        ),
      ),
    );
  });

  it('When the discussion stream is folded by its decider, then both logs give the same state', async () => {
    const stream = streams.discussion(scene.discussionId);
    const mixedEvents = await mixed.app.eventStore.readStream(stream);
    const fromMixed = foldDiscussion(mixedEvents);
    const fromCurrent = foldDiscussion(await current.app.eventStore.readStream(stream));
    expect(fromMixed).toEqual(fromCurrent);
    const firstMessage = mixedEvents.reduce<MessageState | undefined>(
      (message, event) => evolveMessage(scene.messageIds[0])(message, event as unknown as DiscussionEvent),
      undefined,
    );
    expect(firstMessage).toMatchObject({
      body: 'edited 0',
      editedByUserId: 'alice',
      editedByAdminId: null,
    });
  });

  it('When a socket replays the discussion from its first message, then both logs replay the same events in the current shape', async () => {
    const replay = async (server: TestApp) => {
      const [firstPosted] = (await server.app.eventStore.readStream(streams.discussion(scene.discussionId))).filter(
        (event) => event.type === 'DiscussionMessagePosted',
      );
      const socket = await connectSocket(server.url, aliceToken);
      try {
        return await socket.call('communication:sync_discussion', {
          channelId: scene.channelId,
          sinceEventId: firstPosted.id,
        });
      } finally {
        socket.close();
      }
    };
    const [fromMixed, fromCurrent] = [await replay(mixed), await replay(current)];
    expect(fromMixed).toEqual(fromCurrent);
    const events = fromMixed.ok && !fromMixed.data.resetRequired ? fromMixed.data.events : [];
    const updates = events.filter((event: { eventType: string }) => event.eventType.endsWith('.updated'));
    expect(updates.map((event: { eventId: string }) => event.eventId)).toEqual(editIds);
    for (const update of updates) {
      expect(update.data).toMatchObject({ editedByUserId: 'alice', editedByAdminId: null });
      expect(update.data).not.toHaveProperty('editedBy');
    }
  });

  it('When alice edits again on the mixed log, then the new event is written in the current version', async () => {
    const messageId = scene.messageIds[0];
    const response = await mixed.request('PATCH', `/api/mobile/discussion-messages/${messageId}`, {
      token: aliceToken,
      body: { body: 'edited once more' },
    });
    expect(response.status).toBe(200);
    const raw = rawStoreOf(mixedDir);
    try {
      const [last] = await raw.readStream(streams.discussion(scene.discussionId), {
        direction: 'backwards',
        maxCount: 1,
      });
      expect(last.metadata.schemaVersion).toBe(2);
      expect(last.data).toMatchObject({ messageId, editedBy: { type: 'USER', id: 'alice' } });
    } finally {
      await raw.close();
    }
  });
});
