import Database from 'better-sqlite3';
import { v7 as uuidv7 } from 'uuid';
import { EVENTS_SCHEMA } from '../src/eventStore/sqlite';

const ADMIN = '019ce156-1647-75b9-a5ba-07758a4f7675';

type Typed = { stream: string; type: string; data: unknown };

/**
 * A realistic log for read-side benches, written straight into the event store's own
 * table (fast, and identical to what the port would have appended): channels with
 * discussions, posts with edits/pins/deletes, messages, joins, grants and read cursors.
 */
export const writeBenchEventLog = (path: string, total: number, onProgress: (n: number) => void = () => undefined) => {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.exec(EVENTS_SCHEMA);
  const insert = db.prepare(
    'INSERT INTO events (event_id, stream_name, revision, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const revisions = new Map<string, number>();
  const at = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 1000).toISOString();
  const write = db.transaction((events: Typed[]) => {
    for (const event of events) {
      const id = uuidv7();
      const revision = revisions.get(event.stream) ?? 0;
      revisions.set(event.stream, revision + 1);
      const metadata = { actor: { type: 'admin', id: ADMIN }, correlationId: id, causationId: id };
      insert.run(
        id,
        event.stream,
        revision,
        event.type,
        JSON.stringify(event.data),
        JSON.stringify(metadata),
        at(revision),
      );
    }
  });

  const channels = 200;
  let written = 0;
  let postId = 0;
  let messageId = 0;
  const setup: Typed[] = [];
  for (let channelId = 1; channelId <= channels; channelId++) {
    const stream = `channel-${channelId}`;
    const gated = channelId % 4 === 0;
    setup.push({
      stream,
      type: 'ChannelCreated',
      data: {
        channelId,
        kind: 'BROADCAST',
        accessPolicy: gated ? 'EXTERNAL_GATED' : 'OPEN',
        visibility: 'PUBLIC',
        status: 'ACTIVE',
        title: `Channel ${channelId}`,
        description: 'Daily market signals and analysis.',
        entitlementKey: gated ? 'vip' : null,
        createdByAdminId: ADMIN,
        createdAt: at(channelId),
      },
    });
    setup.push({
      stream: `discussion-${channelId}`,
      type: 'DiscussionCreated',
      data: {
        discussionId: channelId,
        channelId,
        title: 'Discussion',
        isEnabled: true,
        requiredFeatureKey: null,
        slowModeEnabled: false,
        slowModeIntervalSeconds: null,
        createdByAdminId: ADMIN,
        createdAt: at(channelId),
      },
    });
    setup.push({
      stream,
      type: 'DiscussionAttached',
      data: { channelId, discussionId: channelId, attachedAt: at(channelId) },
    });
  }
  write(setup);
  written += setup.length;
  onProgress(setup.length);

  while (written < total) {
    const chunk: Typed[] = [];
    for (let i = 0; i < 1000 && written + chunk.length < total; i++) {
      const n = written + chunk.length;
      const channelId = (n % channels) + 1;
      const stream = `channel-${channelId}`;
      const userId = `user-${n % 5000}`;
      const roll = n % 20;
      if (roll < 12 || postId === 0) {
        postId += 1;
        chunk.push({
          stream,
          type: 'PostPublished',
          data: {
            postId,
            channelId,
            type: 'TEXT',
            bodyText: `EURUSD holding above 1.08, watching ${postId} for a breakout with tight stops.`,
            linkUrl: null,
            chartPayloadJson: null,
            attachments: [],
            createdByAdminId: ADMIN,
            publishedAt: at(n),
          },
        });
      } else if (roll === 12) {
        // Edit a recent post of this channel: posts are spread round-robin over channels.
        const target = Math.max(1, postId - channels);
        chunk.push({
          stream: `channel-${((target - 1) % channels) + 1}`,
          type: 'PostEdited',
          data: {
            postId: target,
            channelId: ((target - 1) % channels) + 1,
            changes: { bodyText: 'edited' },
            editedByAdminId: ADMIN,
            editedAt: at(n),
          },
        });
      } else if (roll === 13) {
        chunk.push({
          stream: `channel-${((postId - 1) % channels) + 1}`,
          type: 'PostPinned',
          data: { postId, channelId: ((postId - 1) % channels) + 1, pinnedByAdminId: ADMIN, pinnedAt: at(n) },
        });
      } else if (roll < 17) {
        messageId += 1;
        chunk.push({
          stream: `discussion-${channelId}`,
          type: 'DiscussionMessagePosted',
          data: {
            messageId,
            discussionId: channelId,
            channelId,
            authorType: 'USER',
            authorUserId: userId,
            authorAdminId: null,
            body: 'Waiting for confirmation.',
            createdAt: at(n),
          },
        });
      } else if (roll === 17) {
        chunk.push({
          stream: `membership-${userId}`,
          type: 'ChannelJoined',
          data: { userId, channelId, joinedAt: at(n) },
        });
      } else if (roll === 18) {
        chunk.push({
          stream: `useraccess-${userId}`,
          type: 'EntitlementGranted',
          data: { userId, entitlementKey: 'vip', validUntil: null, grantedAt: at(n) },
        });
      } else {
        chunk.push({
          stream: `membership-${userId}`,
          type: 'ReadStateAdvanced',
          data: { userId, channelId, lastSeenPostId: String(postId), lastSeenAt: at(n) },
        });
      }
    }
    write(chunk);
    written += chunk.length;
    onProgress(chunk.length);
  }
  db.close();
  return { total: written, channels, posts: postId, messages: messageId };
};
