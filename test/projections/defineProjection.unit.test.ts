import type { RecordedEvent } from '../../src/eventStore/eventStore';
import { defineProjection, type ProjectionWriter } from '../../src/projections/projection';

const noWrites = {} as ProjectionWriter;
const recorded = (type: string): RecordedEvent => ({
  id: 'e1',
  type,
  data: { channelId: 1, userId: 'u', joinedAt: '2026-03-17T10:00:00.000Z' },
  metadata: { actor: { type: 'user', id: 'u' }, correlationId: 'c', causationId: 'c' },
  streamName: 'membership-u',
  revision: 0n,
  position: 1n,
  recordedAt: '2026-03-17T10:00:00.000Z',
});

describe('Given a projection declared with its event types typed against the event union', () => {
  const seen: string[] = [];
  const joins = defineProjection({
    name: 'joins',
    collections: [],
    eventTypes: ['ChannelJoined'],
    // `event` is a recorded ChannelJoined: its data is typed without a cast.
    apply: async (event) => {
      seen.push(`${event.data.userId} joined ${event.data.channelId}`);
    },
  });

  it('When the runner passes a listed event, then apply receives it', async () => {
    await joins.apply(recorded('ChannelJoined'), noWrites);
    expect(seen).toEqual(['u joined 1']);
    expect(joins.eventTypes).toEqual(['ChannelJoined']);
  });

  it('When an event of a type it does not list reaches it, then it refuses instead of misreading the data', async () => {
    await expect(joins.apply(recorded('ChannelLeft'), noWrites)).rejects.toThrow('joins does not handle ChannelLeft');
  });

  it('When the list names an event that does not exist, then it does not compile', () => {
    defineProjection({
      name: 'typo',
      collections: [],
      // @ts-expect-error 'ChannelJoinned' is not an event type
      eventTypes: ['ChannelJoinned'],
      apply: async () => undefined,
    });
  });
});
