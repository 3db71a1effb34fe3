import { v7 as uuidv7 } from 'uuid';
import { NotFoundError } from '../../errors';
import { streams } from '../streams';
import type { CommandContext, Written } from '../writeModel';
import {
  decideChannel,
  type ChannelCommand,
  type CreateChannel,
  type EditPost,
  type PublishPost,
  type UpdateChannel,
} from './channelDecider';
import type { Attachment, ChannelEvent } from './channelEvents';
import { evolvePost, type ChannelState, type ExistingChannel, type PostState } from './channelState';

type Admin = { adminId: string };

const existing = (state: ChannelState): ExistingChannel => {
  if (!state.exists) throw new NotFoundError('Channel not found');
  return state;
};

/** The post as the command left it: its facts as loaded (if any), with the events appended folded in. */
const postAfter = (postId: number, before: PostState | undefined, events: ChannelEvent[]): PostState => {
  const post = events.reduce(evolvePost(postId), before);
  if (!post) throw new NotFoundError('Post not found');
  return post;
};

export const createChannel = async (
  { model, metadata }: CommandContext,
  input: Admin & Omit<CreateChannel['data'], 'channelId' | 'now' | 'adminId'>,
): Promise<Written<ExistingChannel>> => {
  const channelId = await model.ids.nextId('channelId');
  const now = model.now().toISOString();
  const result = await model.channels.handle(
    streams.channel(channelId),
    { type: 'CreateChannel', data: { ...input, channelId, now } },
    metadata,
  );
  return { data: existing(result.state), position: result.position ?? 0n };
};

const handleChannel = async (
  { model, metadata }: CommandContext,
  channelId: number,
  command: ChannelCommand | ((state: ChannelState) => Promise<ChannelCommand>),
): Promise<Written<ExistingChannel> & { events: ChannelEvent[] }> => {
  const result = await model.channels.handle(streams.channel(channelId), command, metadata);
  return { data: existing(result.state), position: result.position ?? 0n, events: result.events };
};

export const updateChannel = (
  context: CommandContext,
  channelId: number,
  input: Admin & { changes: UpdateChannel['data']['changes'] },
) =>
  handleChannel(context, channelId, {
    type: 'UpdateChannel',
    data: { ...input, now: context.model.now().toISOString() },
  });

export type PostInput = Omit<PublishPost['data'], 'postId' | 'now' | 'adminId' | 'attachments'> & {
  attachments: Array<Omit<Attachment, 'id'>>;
};

/**
 * The id is the next one after the channel's last post id, inside the channel's id block,
 * from the state the handler loaded, so the decider's "greater than the last id" rule holds;
 * if another process appends first, the handler's conflict retry reloads and takes the next.
 */
export const publishPost = async (context: CommandContext, channelId: number, input: Admin & PostInput) => {
  const { model } = context;
  const attachments = input.attachments.map((attachment) => ({ id: uuidv7(), ...attachment }));
  const written = await handleChannel(context, channelId, async (state) => {
    const lastPostId = existing(state).lastPostId;
    const command = (postId: number): PublishPost => ({
      type: 'PublishPost',
      data: { ...input, attachments, postId, now: model.now().toISOString() },
    });
    // Dry run with a provisional id: a refused post must not cost an id reservation.
    decideChannel(command(lastPostId + 1), state);
    return command(await model.ids.nextIdInStream('postId', streams.channel(channelId), lastPostId));
  });
  const post = postAfter(written.data.lastPostId, undefined, written.events);
  return { ...written, post };
};

/** Routes address posts by id alone; the locator finds the channel stream. */
const channelOfPost = async (context: CommandContext, postId: number): Promise<number> => {
  const channelId = await context.model.locator.channelOfPost(postId);
  if (channelId === undefined) throw new NotFoundError('Post not found');
  return channelId;
};

export const changePost = async (
  context: CommandContext,
  postId: number,
  command: { type: 'DeletePost' | 'PinPost' | 'UnpinPost'; data: Admin },
) => {
  const channelId = await channelOfPost(context, postId);
  const now = context.model.now().toISOString();
  let post: PostState | undefined;
  const written = await handleChannel(context, channelId, async () => {
    post = await context.model.posts.load(channelId, postId);
    return { type: command.type, data: { ...command.data, postId, post, now } };
  });
  return { ...written, post: postAfter(postId, post, written.events) };
};

type EditInput = Omit<Partial<PostInput>, 'attachments'> & { attachments?: Array<Omit<Attachment, 'id'>> };

/**
 * Ids for a post's new attachment list: one with the storage key of a current attachment
 * keeps that attachment's id, each id given out once, so a key listed twice gets a new id
 * the second time (ids stay unique within the post).
 */
const attachmentIds = (current: Attachment[], next: Array<Omit<Attachment, 'id'>>): Attachment[] => {
  const unused = [...current];
  return next.map((attachment) => {
    const kept = unused.findIndex((candidate) => candidate.storageKey === attachment.storageKey);
    const id = kept === -1 ? uuidv7() : unused.splice(kept, 1)[0].id;
    return { id, ...attachment };
  });
};

/** Attachments are replaced as a whole (`attachmentIds`). */
export const editPost = async (context: CommandContext, postId: number, input: Admin & { changes: EditInput }) => {
  const channelId = await channelOfPost(context, postId);
  const now = context.model.now().toISOString();
  const { attachments, ...rest } = input.changes;
  let post: PostState | undefined;
  const written = await handleChannel(context, channelId, async () => {
    post = await context.model.posts.load(channelId, postId);
    const changes: EditPost['data']['changes'] = attachments
      ? { ...rest, attachments: attachmentIds(post?.attachments ?? [], attachments) }
      : rest;
    return { type: 'EditPost', data: { adminId: input.adminId, postId, post, changes, now } };
  });
  return { ...written, post: postAfter(postId, post, written.events) };
};
