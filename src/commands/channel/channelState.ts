import type { AccessPolicy } from '../../access/channelAccess';
import type {
  Attachment,
  ChannelEvent,
  ChannelKind,
  ChannelStatus,
  ChannelVisibility,
  PostDeleted,
  PostEdited,
  PostPinned,
  PostPublished,
  PostType,
  PostUnpinned,
} from './channelEvents';

export type PostState = {
  postId: number;
  type: PostType;
  bodyText: string | null;
  linkUrl: string | null;
  chartPayloadJson: unknown;
  attachments: Attachment[];
  createdByAdminId: string;
  publishedAt: string;
  updatedAt: string;
  isPinned: boolean;
  pinnedAt: string | null;
  isDeleted: boolean;
  deletedAt: string | null;
};

export type ChannelState =
  | { exists: false }
  | {
      exists: true;
      channelId: number;
      kind: ChannelKind;
      accessPolicy: AccessPolicy;
      visibility: ChannelVisibility;
      status: ChannelStatus;
      title: string;
      description: string | null;
      entitlementKey: string | null;
      createdByAdminId: string;
      createdAt: string;
      updatedAt: string;
      discussionId: number | null;
      /** The highest post id in this stream; 0 before the first post. New ids must exceed it. */
      lastPostId: number;
      // No posts here: the state stays small at any stream length (snapshots, cache); a
      // command on a post loads that post's facts (postFacts.ts).
    };

export type ExistingChannel = Extract<ChannelState, { exists: true }>;

export const initialChannelState = (): ChannelState => ({ exists: false });

export type PostChanged = PostEdited | PostDeleted | PostPinned | PostUnpinned;

/** What a post's changes touch: the write model's PostState and the read model's post document both carry it. */
type PostLifecycle = Pick<
  PostState,
  | 'type'
  | 'bodyText'
  | 'linkUrl'
  | 'chartPayloadJson'
  | 'attachments'
  | 'isPinned'
  | 'pinnedAt'
  | 'isDeleted'
  | 'deletedAt'
  | 'updatedAt'
>;

/** The lifecycle fields of a post just published. */
export const publishedPostLifecycle = (publishedAt: string) => ({
  isPinned: false,
  pinnedAt: null,
  isDeleted: false,
  deletedAt: null,
  updatedAt: publishedAt,
});

/** One change to one post, shared by the decider's state and the posts projection so they cannot drift. */
export const applyPostChange = <Post extends PostLifecycle>(post: Post, event: PostChanged): Post => {
  switch (event.type) {
    case 'PostEdited':
      return { ...post, ...event.data.changes, updatedAt: event.data.editedAt };
    case 'PostDeleted':
      return { ...post, isDeleted: true, deletedAt: event.data.deletedAt, updatedAt: event.data.deletedAt };
    case 'PostPinned':
      return { ...post, isPinned: true, pinnedAt: event.data.pinnedAt, updatedAt: event.data.pinnedAt };
    case 'PostUnpinned':
      return { ...post, isPinned: false, pinnedAt: null, updatedAt: event.data.unpinnedAt };
    default: {
      const unexpected: never = event;
      return unexpected;
    }
  }
};

/** Folds post `postId` from its own events; the other posts' and the channel's events pass by. */
export const evolvePost =
  (postId: number) =>
  (post: PostState | undefined, event: ChannelEvent): PostState | undefined => {
    if (event.type === 'PostPublished') return event.data.postId === postId ? publishedPost(event) : post;
    if (!isPostChange(event) || event.data.postId !== postId || post === undefined) return post;
    return applyPostChange(post, event);
  };

const publishedPost = (event: PostPublished): PostState => {
  const { postId, channelId: _channelId, ...post } = event.data;
  return { postId, ...post, ...publishedPostLifecycle(post.publishedAt) };
};

const isPostChange = (event: ChannelEvent): event is PostChanged =>
  event.type === 'PostEdited' ||
  event.type === 'PostDeleted' ||
  event.type === 'PostPinned' ||
  event.type === 'PostUnpinned';

export const evolveChannel = (state: ChannelState, event: ChannelEvent): ChannelState => {
  if (event.type === 'ChannelCreated') {
    const { status, ...data } = event.data;
    return {
      exists: true,
      ...data,
      status,
      updatedAt: data.createdAt,
      discussionId: null,
      lastPostId: 0,
    };
  }
  if (!state.exists) return state;
  switch (event.type) {
    case 'ChannelUpdated':
      return { ...state, ...event.data.changes, updatedAt: event.data.updatedAt };
    case 'DiscussionAttached':
      return { ...state, discussionId: event.data.discussionId };
    case 'PostPublished':
      return { ...state, lastPostId: Math.max(state.lastPostId, event.data.postId) };
    case 'PostEdited':
    case 'PostDeleted':
    case 'PostPinned':
    case 'PostUnpinned':
      return state;
    default: {
      const unexpected: never = event;
      return unexpected;
    }
  }
};
