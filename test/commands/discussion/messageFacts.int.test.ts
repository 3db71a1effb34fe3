import { v7 as uuidv7 } from 'uuid';
import type { DiscussionEvent } from '../../../src/commands/discussion/discussionEvents';
import { evolveMessage, type MessageState } from '../../../src/commands/discussion/discussionState';
import { createMessageFacts, type AppliedMessage } from '../../../src/commands/discussion/messageFacts';
import type { EventStore } from '../../../src/eventStore/eventStore';
import { createSqliteEventStore } from '../../../src/eventStore/sqlite';

const metadata = { actor: { type: 'user' as const, id: 'u1' }, correlationId: 'c', causationId: 'c' };
const now = '2026-03-19T12:00:00.000Z';
const posted = (discussionId: number, messageId: number): DiscussionEvent => ({
  type: 'DiscussionMessagePosted',
  data: {
    messageId,
    discussionId,
    channelId: discussionId,
    authorType: 'USER',
    authorUserId: 'u1',
    authorAdminId: null,
    body: `message ${messageId}`,
    createdAt: now,
  },
});
const edited = (messageId: number, body: string): DiscussionEvent => ({
  type: 'DiscussionMessageEdited',
  data: { messageId, discussionId: 1, channelId: 1, body, editedBy: { type: 'USER', id: 'u1' }, editedAt: now },
});
const deleted = (messageId: number): DiscussionEvent => ({
  type: 'DiscussionMessageDeleted',
  data: { messageId, discussionId: 1, channelId: 1, deletedByUserId: 'u1', deletedByAdminId: null, deletedAt: now },
});

/**
 * The log: message 7 posted in discussion 1 and edited, then message 9 posted in discussion 2,
 * then (past the read model) message 7 edited again and deleted, message 8 posted in discussion 1.
 */
describe('Given a discussion log and a messages read model that has applied only its first part', () => {
  let store: EventStore;
  let appliedUpTo: bigint;
  let readModel: Map<number, AppliedMessage>;
  const append = async (stream: string, events: DiscussionEvent[]) =>
    store.appendToStream(
      stream,
      events.map((event) => ({ id: uuidv7(), type: event.type, data: event.data, metadata })),
    );
  const asApplied = (discussionId: number, events: DiscussionEvent[], messageId: number): AppliedMessage => ({
    ...(events.reduce(evolveMessage(messageId), undefined) as MessageState),
    discussionId,
  });
  const facts = () =>
    createMessageFacts({
      eventStore: store,
      appliedIds: {
        appliedPosition: () => appliedUpTo,
        messageOf: async (messageId) => readModel.get(messageId),
      },
    });
  const early = [posted(1, 7), edited(7, 'first edit')];
  const late = [edited(7, 'second edit'), deleted(7)];

  beforeAll(async () => {
    store = createSqliteEventStore({ path: ':memory:' });
    await append('discussion-1', early);
    appliedUpTo = (await append('discussion-2', [posted(2, 9)])).position;
    await append('discussion-1', [...late, posted(1, 8)]);
  });
  beforeEach(() => {
    readModel = new Map([
      [7, asApplied(1, early, 7)],
      [9, asApplied(2, [posted(2, 9)], 9)],
    ]);
  });
  afterAll(() => store?.close());

  it('When a message changed after the read model position is loaded, then it carries every change up to the log head', async () => {
    expect(await facts().load(1, 7)).toEqual([...early, ...late].reduce(evolveMessage(7), undefined));
  });

  it('When a message posted after the read model position (here or by another process) is loaded, then it is found in the log', async () => {
    expect(await facts().load(1, 8)).toMatchObject({ messageId: 8, body: 'message 8', isDeleted: false });
  });

  it('When the read model has moved past the position read (it already holds the later changes), then the result is the same', async () => {
    readModel.set(7, asApplied(1, [...early, ...late], 7));
    expect(await facts().load(1, 7)).toEqual([...early, ...late].reduce(evolveMessage(7), undefined));
  });

  it('When no read model position is known here, then the whole log is read and the message is the same', async () => {
    appliedUpTo = undefined as unknown as bigint;
    readModel.clear();
    try {
      expect(await facts().load(1, 7)).toEqual([...early, ...late].reduce(evolveMessage(7), undefined));
    } finally {
      appliedUpTo = (await store.readStream('discussion-2'))[0].position;
    }
  });

  it('When a message of another discussion is asked for, then this discussion has no such message', async () => {
    expect(await facts().load(1, 9)).toBeUndefined();
  });

  it('When an id nobody posted is asked for, then there is no such message', async () => {
    expect(await facts().load(1, 99)).toBeUndefined();
  });
});
