import { createMemoryCursorStore, type PostEvent } from '../../client/src';
import { createRoomSubscription } from '../../client/src/realtime/roomSubscription';
import type { AckCall } from '../../client/src/realtime/roomTypes';
import { waitUntil } from './clientTestKit';

const post = (eventId: string) => ({
  eventId,
  eventType: 'communication.channel_post.created' as const,
  occurredAt: '2026-12-01T00:00:00.000Z',
  data: { id: eventId, channelId: 7 },
});

/** A successful acknowledgement; the scripted server answers any event with it. */
const answer = (data: unknown) => ({ ok: true, data }) as never;

describe('Given a room subscription resuming from a stored cursor (server answers scripted)', () => {
  it('When live events arrive while the sync pages through hasMore and overlap its pages, then each event reaches the app once, in order, and the cursor ends on the last', async () => {
    const calls: Array<[string, object]> = [];
    const live: Array<(event: ReturnType<typeof post>) => void> = [];
    const call: AckCall = async (event: string, payload: object) => {
      calls.push([event, payload]);
      if (event.endsWith('join_channel_posts'))
        return answer({ room: 'communication:channel:7:posts', channelId: 7, discussionId: null });
      const first = (payload as { sinceEventId?: string }).sinceEventId === 'e1';
      // Live deltas committed while a page is on its way: each is also in that page.
      live.forEach((deliver) => deliver(post(first ? 'e3' : 'e5')));
      const events = first ? [post('e2'), post('e3')] : [post('e4'), post('e5')];
      return answer({ resetRequired: false, room: 'r', events, hasMore: first, lastEventId: events[1].eventId });
    };
    const cursors = createMemoryCursorStore({ 'channel:7:channelPosts': 'e1' });
    const delivered: string[] = [];
    const resets: unknown[] = [];
    const room = createRoomSubscription<PostEvent, unknown>({
      kind: 'channelPosts',
      channelId: 7,
      call,
      cursors,
      fetchFirstPage: async () => ({}),
      requestReauth: () => undefined,
      isConnected: () => true,
      syncLimit: 2,
      onClosed: () => undefined,
      onEvent: (event) => delivered.push(event.eventId),
      onReset: (reset) => {
        resets.push(reset);
      },
    });

    live.push((event) => room.onLive(event));
    room.resync();
    await room.ready;
    room.onLive(post('e5'));
    room.onLive(post('e6'));
    await waitUntil(() => delivered.length >= 5, 'e6');

    expect(delivered).toEqual(['e2', 'e3', 'e4', 'e5', 'e6']);
    expect(calls.map(([event, payload]) => [event, (payload as { sinceEventId?: string }).sinceEventId])).toEqual([
      ['communication:join_channel_posts', undefined],
      ['communication:sync_channel_posts', 'e1'],
      ['communication:sync_channel_posts', 'e3'],
    ]);
    expect(cursors.snapshot()).toEqual({ 'channel:7:channelPosts': 'e6' });
    expect(resets).toEqual([]);
  });
});
