/** Examples taken from docs/spec/communication-mobile-api.txt, shown in /openapi.json and /docs. */

const adminId = '019ce156-1647-75b9-a5ba-07758a4f7675';
const message = {
  id: 11,
  discussionId: 1,
  authorType: 'ADMIN',
  authorUserId: null,
  authorAdminId: adminId,
  body: 'Wait for confirmation above resistance before entering.',
  isDeleted: false,
  deletedAt: null,
  deletedByAdminId: null,
  editedAt: null,
  editedByUserId: null,
  editedByAdminId: null,
  createdAt: '2026-03-16T10:05:00.000Z',
  updatedAt: '2026-03-16T10:05:00.000Z',
};

export const specExamples = {
  joined: {
    message: 'Channel joined successfully',
    data: { channelId: 3, isJoined: true, joinedAt: '2026-03-19T12:00:00.000Z', leftAt: null },
    position: '42',
  },
  left: {
    message: 'Channel left successfully',
    data: { channelId: 3, isJoined: false, joinedAt: '2026-03-10T10:00:00.000Z', leftAt: '2026-03-19T12:30:00.000Z' },
    position: '43',
  },
  discussion: {
    message: 'Channel discussion fetched successfully',
    data: {
      id: 1,
      channelId: 3,
      title: 'VIP Signals Discussion',
      isEnabled: true,
      requiredFeatureKey: 'chat.discussion',
      slowModeEnabled: false,
      slowModeIntervalSeconds: null,
      createdByAdminId: adminId,
      createdAt: '2026-03-16T10:00:00.000Z',
      updatedAt: '2026-03-16T10:00:00.000Z',
    },
  },
  messagesFull: {
    message: 'Channel discussion messages fetched successfully',
    data: { items: [message], cursor: {}, limit: 20, has_more: false, count: 1 },
  },
  /** The spec's envelope example, with a real delta in `data`. */
  postCreated: {
    eventId: '019d0c6e-8c1a-7b7e-9d6b-3f2a1c4e5d60',
    eventType: 'communication.channel_post.created',
    occurredAt: '2026-03-17T10:15:00.000Z',
    data: {
      id: '101',
      channelId: 3,
      type: 'TEXT',
      bodyText: 'Breakout above resistance, waiting for the retest.',
      linkUrl: null,
      chartPayloadJson: null,
      createdByAdminId: adminId,
      attachments: [],
      publishedAt: '2026-03-17T10:15:00.000Z',
      createdAt: '2026-03-17T10:15:00.000Z',
      updatedAt: '2026-03-17T10:15:00.000Z',
      actor: { type: 'admin', id: adminId },
    },
  },
};
