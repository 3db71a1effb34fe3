import { channelDecider, type ChannelCommand } from '../../../src/commands/channel/channelDecider';
import type { ChannelCreated, ChannelEvent, PostPublished } from '../../../src/commands/channel/channelEvents';
import { evolvePost } from '../../../src/commands/channel/channelState';
import { IdNotIncreasingError } from '../../../src/commands/sequence/idNotIncreasingError';
import { ConflictError, NotFoundError, ValidationError } from '../../../src/errors';
import { deciderSpecification } from '../../helpers/givenWhenThen';

const spec = deciderSpecification(channelDecider);
const now = '2026-03-19T12:00:00.000Z';
const admin = { adminId: 'admin-1', now };

const created: ChannelCreated = {
  type: 'ChannelCreated',
  data: {
    channelId: 3,
    kind: 'BROADCAST',
    accessPolicy: 'OPEN',
    visibility: 'PUBLIC',
    status: 'ACTIVE',
    title: 'Signals',
    description: null,
    entitlementKey: null,
    createdByAdminId: 'admin-1',
    createdAt: '2026-03-01T00:00:00.000Z',
  },
};
const archived: ChannelEvent = {
  type: 'ChannelUpdated',
  data: { channelId: 3, changes: { status: 'ARCHIVED' }, updatedByAdminId: 'admin-1', updatedAt: now },
};
const published = (postId: number): PostPublished => ({
  type: 'PostPublished',
  data: {
    postId,
    channelId: 3,
    type: 'TEXT',
    bodyText: `post ${postId}`,
    linkUrl: null,
    chartPayloadJson: null,
    attachments: [],
    createdByAdminId: 'admin-1',
    publishedAt: '2026-03-02T00:00:00.000Z',
  },
});
const publish = (postId: number, overrides: Partial<Extract<ChannelCommand, { type: 'PublishPost' }>['data']> = {}) =>
  ({
    type: 'PublishPost',
    data: {
      ...admin,
      postId,
      type: 'TEXT',
      bodyText: 'hello',
      linkUrl: null,
      chartPayloadJson: null,
      attachments: [],
      ...overrides,
    },
  }) as ChannelCommand;
/** A post command carries the post's facts as loaded with the stream: here, folded from the given events. */
const onPost = (events: ChannelEvent[], postId: number) => ({
  postId,
  post: events.reduce(evolvePost(postId), undefined),
});
const postCommand = (type: 'DeletePost' | 'PinPost' | 'UnpinPost', postId: number, events: ChannelEvent[]) =>
  ({ type, data: { ...admin, ...onPost(events, postId) } }) as ChannelCommand;

describe('Given no channel', () => {
  const create = (accessPolicy: 'OPEN' | 'EXTERNAL_GATED', entitlementKey: string | null): ChannelCommand => ({
    type: 'CreateChannel',
    data: {
      ...admin,
      channelId: 3,
      kind: 'BROADCAST',
      accessPolicy,
      visibility: 'PUBLIC',
      title: 'Signals',
      description: null,
      entitlementKey,
    },
  });

  it('When an admin creates an OPEN channel, then it is created ACTIVE by that admin', () =>
    spec
      .given([])
      .when(create('OPEN', null))
      .then([{ type: 'ChannelCreated', data: { ...created.data, createdAt: now } }]));

  it('When an admin creates an EXTERNAL_GATED channel without entitlementKey, then it is a validation error', () =>
    spec.given([]).when(create('EXTERNAL_GATED', null)).thenThrows(ValidationError));

  it('When an admin creates an EXTERNAL_GATED channel with an entitlementKey, then it is created', () =>
    spec
      .given([])
      .when(create('EXTERNAL_GATED', 'vip'))
      .then([
        {
          type: 'ChannelCreated',
          data: { ...created.data, accessPolicy: 'EXTERNAL_GATED', entitlementKey: 'vip', createdAt: now },
        },
      ]));

  it('When an admin publishes a post, then the channel is not found', () =>
    spec.given([]).when(publish(1)).thenThrows(NotFoundError));
});

describe('Given an existing channel', () => {
  it('When it is created again, then it conflicts', () =>
    spec
      .given([created])
      .when({
        type: 'CreateChannel',
        data: {
          ...admin,
          channelId: 3,
          kind: 'BROADCAST',
          accessPolicy: 'OPEN',
          visibility: 'PUBLIC',
          title: 'x',
          description: null,
          entitlementKey: null,
        },
      })
      .thenThrows(ConflictError));

  it('When an admin changes title and keeps visibility, then only the title is recorded as changed', () =>
    spec
      .given([created])
      .when({ type: 'UpdateChannel', data: { ...admin, changes: { title: 'New', visibility: 'PUBLIC' } } })
      .then([
        {
          type: 'ChannelUpdated',
          data: { channelId: 3, changes: { title: 'New' }, updatedByAdminId: 'admin-1', updatedAt: now },
        },
      ]));

  it('When an admin sends the current values, then nothing happens', () =>
    spec
      .given([created])
      .when({ type: 'UpdateChannel', data: { ...admin, changes: { title: 'Signals' } } })
      .thenNothingHappens());

  it('When an admin gates it without an entitlementKey, then it is a validation error', () =>
    spec
      .given([created])
      .when({ type: 'UpdateChannel', data: { ...admin, changes: { accessPolicy: 'EXTERNAL_GATED' } } })
      .thenThrows(ValidationError));

  it('When an admin publishes a TEXT post with a new id, then the post is published by that admin', () =>
    spec
      .given([created])
      .when(publish(1))
      .then([{ type: 'PostPublished', data: { ...published(1).data, bodyText: 'hello', publishedAt: now } }]));

  it('When a post id is not greater than the last one, then a retryable IdNotIncreasingError is thrown', () =>
    spec
      .given([created, published(5)])
      .when(publish(5))
      .thenThrows(IdNotIncreasingError, (error: IdNotIncreasingError) => {
        expect(error.lastId).toBe(5);
      }));

  it('When a LINK post has no linkUrl, then it is a validation error', () =>
    spec
      .given([created])
      .when(publish(1, { type: 'LINK', bodyText: null }))
      .thenThrows(ValidationError));

  it('When a MEDIA post has no attachments, then it is a validation error', () =>
    spec
      .given([created])
      .when(publish(1, { type: 'MEDIA' }))
      .thenThrows(ValidationError));

  it('When a discussion is attached, then DiscussionAttached is recorded', () =>
    spec
      .given([created])
      .when({ type: 'AttachDiscussion', data: { discussionId: 1, now } })
      .then([{ type: 'DiscussionAttached', data: { channelId: 3, discussionId: 1, attachedAt: now } }]));

  it('When another discussion is attached to a channel that has one, then it conflicts', () =>
    spec
      .given([created, { type: 'DiscussionAttached', data: { channelId: 3, discussionId: 1, attachedAt: now } }])
      .when({ type: 'AttachDiscussion', data: { discussionId: 2, now } })
      .thenThrows(ConflictError));

  it('When the same discussion is attached again, then nothing happens', () =>
    spec
      .given([created, { type: 'DiscussionAttached', data: { channelId: 3, discussionId: 1, attachedAt: now } }])
      .when({ type: 'AttachDiscussion', data: { discussionId: 1, now } })
      .thenNothingHappens());
});

describe('Given an archived channel', () => {
  it('When an admin publishes, then it conflicts', () =>
    spec.given([created, archived]).when(publish(1)).thenThrows(ConflictError));
  it('When an admin pins a post, then it conflicts', () =>
    spec
      .given([created, published(1), archived])
      .when(postCommand('PinPost', 1, [created, published(1), archived]))
      .thenThrows(ConflictError));
  it('When an admin deletes a post, then the tombstone is recorded', () =>
    spec
      .given([created, published(1), archived])
      .when(postCommand('DeletePost', 1, [created, published(1), archived]))
      .then([{ type: 'PostDeleted', data: { postId: 1, channelId: 3, deletedByAdminId: 'admin-1', deletedAt: now } }]));
  it('When an admin reactivates it, then status changes back', () =>
    spec
      .given([created, archived])
      .when({ type: 'UpdateChannel', data: { ...admin, changes: { status: 'ACTIVE' } } })
      .then([
        {
          type: 'ChannelUpdated',
          data: { channelId: 3, changes: { status: 'ACTIVE' }, updatedByAdminId: 'admin-1', updatedAt: now },
        },
      ]));
});

describe('Given a published post', () => {
  const given = [created, published(1)];
  const pinned: ChannelEvent = {
    type: 'PostPinned',
    data: { postId: 1, channelId: 3, pinnedByAdminId: 'admin-1', pinnedAt: now },
  };
  const deleted: ChannelEvent = {
    type: 'PostDeleted',
    data: { postId: 1, channelId: 3, deletedByAdminId: 'admin-1', deletedAt: now },
  };

  it('When an admin edits its body, then only the body change is recorded', () =>
    spec
      .given(given)
      .when({ type: 'EditPost', data: { ...admin, ...onPost(given, 1), changes: { bodyText: 'new', type: 'TEXT' } } })
      .then([
        {
          type: 'PostEdited',
          data: { postId: 1, channelId: 3, changes: { bodyText: 'new' }, editedByAdminId: 'admin-1', editedAt: now },
        },
      ]));

  it('When an edit empties the body of a TEXT post, then it is a validation error', () =>
    spec
      .given(given)
      .when({ type: 'EditPost', data: { ...admin, ...onPost(given, 1), changes: { bodyText: null } } })
      .thenThrows(ValidationError));

  it('When an admin edits an unknown post, then it is not found', () =>
    spec
      .given(given)
      .when({ type: 'EditPost', data: { ...admin, ...onPost(given, 9), changes: { bodyText: 'x' } } })
      .thenThrows(NotFoundError));

  it('When an admin pins it, then PostPinned is recorded', () =>
    spec
      .given(given)
      .when(postCommand('PinPost', 1, given))
      .then([pinned]));
  it('When an admin pins it twice, then nothing happens', () =>
    spec
      .given([...given, pinned])
      .when(postCommand('PinPost', 1, [...given, pinned]))
      .thenNothingHappens());
  it('When an admin unpins an unpinned post, then nothing happens', () =>
    spec
      .given(given)
      .when(postCommand('UnpinPost', 1, given))
      .thenNothingHappens());

  it('When an admin deletes a pinned post, then it is unpinned and tombstoned', () =>
    spec
      .given([...given, pinned])
      .when(postCommand('DeletePost', 1, [...given, pinned]))
      .then([
        { type: 'PostUnpinned', data: { postId: 1, channelId: 3, unpinnedByAdminId: 'admin-1', unpinnedAt: now } },
        deleted,
      ]));

  it('When an admin deletes it again, then it conflicts', () =>
    spec
      .given([...given, deleted])
      .when(postCommand('DeletePost', 1, [...given, deleted]))
      .thenThrows(ConflictError));

  it('When an admin edits a deleted post, then it conflicts', () =>
    spec
      .given([...given, deleted])
      .when({ type: 'EditPost', data: { ...admin, ...onPost([...given, deleted], 1), changes: { bodyText: 'x' } } })
      .thenThrows(ConflictError));
});
