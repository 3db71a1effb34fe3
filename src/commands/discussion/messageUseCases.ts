import { NotFoundError } from '../../errors';
import { toChannelFacts } from '../channel/channelFacts';
import type { ExistingChannel } from '../channel/channelState';
import { loadChannel, loadIsJoined, loadUserGrants } from '../loadFacts';
import { streams } from '../streams';
import type { CommandContext, WriteModel } from '../writeModel';
import { decideDiscussion, type DiscussionCommand } from './discussionDecider';
import { evolveMessage, type DiscussionState, type ExistingDiscussion, type MessageState } from './discussionState';
import type { UserContext } from './discussionRules';

export type MessageWritten = { discussion: ExistingDiscussion; message: MessageState; position: bigint };

const discussionIdIn = ({ discussionId }: ExistingChannel): number => {
  if (discussionId === null) throw new NotFoundError('Discussion not found');
  return discussionId;
};

const discussionIdOfChannel = async (model: WriteModel, channelId: number): Promise<number> =>
  discussionIdIn(await loadChannel(model, channelId));

const discussionIdOfMessage = async (model: WriteModel, messageId: number): Promise<number> => {
  const discussionId = await model.locator.discussionOfMessage(messageId);
  if (discussionId === undefined) throw new NotFoundError('Discussion message not found');
  return discussionId;
};

const existing = (state: DiscussionState): ExistingDiscussion => {
  if (!state.exists) throw new NotFoundError('Discussion not found');
  return state;
};

/** `channel` as loaded by the caller: a message loads its channel once. */
const userContextFor = async (model: WriteModel, userId: string, channel: ExistingChannel): Promise<UserContext> => ({
  userId,
  channel: toChannelFacts(channel),
  grants: await loadUserGrants(model, userId),
  isJoined: await loadIsJoined(model, userId, channel.channelId),
  now: model.now().toISOString(),
});

/** A command on one message: its facts are loaded with each decision (messageFacts.ts), the view is folded from them. */
const handleOnMessage = async (
  { model, metadata }: CommandContext,
  discussionId: number,
  messageId: number,
  command: (message: MessageState | undefined) => DiscussionCommand,
): Promise<MessageWritten> => {
  let message: MessageState | undefined;
  const result = await model.discussions.handle(
    streams.discussion(discussionId),
    async () => {
      message = await model.messages.load(discussionId, messageId);
      return command(message);
    },
    metadata,
  );
  const discussion = existing(result.state);
  const changed = result.events.reduce(evolveMessage(messageId), message);
  if (!changed) throw new NotFoundError('Discussion message not found');
  return { discussion, message: changed, position: result.position ?? 0n };
};

/**
 * A new message gets an id above the discussion's last one; a dry run with a provisional id
 * first, so that a refused message (ban, mute, slow mode…) costs no id reservation.
 */
const postMessage = async (
  context: CommandContext,
  discussionId: number,
  build: (messageId: number) => DiscussionCommand,
): Promise<MessageWritten> => {
  const { model } = context;
  let messageId = 0;
  const result = await model.discussions.handle(
    streams.discussion(discussionId),
    async (state) => {
      const lastMessageId = existing(state).lastMessageId;
      decideDiscussion(build(lastMessageId + 1), state);
      messageId = await model.ids.nextIdInStream('messageId', streams.discussion(discussionId), lastMessageId);
      return build(messageId);
    },
    context.metadata,
  );
  const discussion = existing(result.state);
  const message = result.events.reduce(evolveMessage(messageId), undefined) as MessageState;
  return { discussion, message, position: result.position ?? 0n };
};

export const postUserMessage = async (
  context: CommandContext,
  channelId: number,
  input: { userId: string; body: string },
) => {
  const channel = await loadChannel(context.model, channelId);
  const discussionId = discussionIdIn(channel);
  const user = await userContextFor(context.model, input.userId, channel);
  return postMessage(context, discussionId, (messageId) => ({
    type: 'PostUserMessage',
    data: { ...user, messageId, body: input.body },
  }));
};

export const postAdminMessage = async (
  context: CommandContext,
  channelId: number,
  input: { adminId: string; body: string },
) => {
  const channel = await loadChannel(context.model, channelId);
  const discussionId = discussionIdIn(channel);
  const now = context.model.now().toISOString();
  return postMessage(context, discussionId, (messageId) => ({
    type: 'PostAdminMessage',
    data: { ...input, messageId, now, channel: toChannelFacts(channel) },
  }));
};

export const editOwnMessage = async (
  context: CommandContext,
  messageId: number,
  input: { userId: string; body: string },
) => {
  const discussionId = await discussionIdOfMessage(context.model, messageId);
  const discussion = existing(await context.model.discussions.load(streams.discussion(discussionId)));
  const channel = await loadChannel(context.model, discussion.channelId);
  const user = await userContextFor(context.model, input.userId, channel);
  return handleOnMessage(context, discussionId, messageId, (message) => ({
    type: 'EditOwnMessage',
    data: { ...user, messageId, message, body: input.body },
  }));
};

export const deleteOwnMessage = async (context: CommandContext, messageId: number, userId: string) => {
  const discussionId = await discussionIdOfMessage(context.model, messageId);
  const now = context.model.now().toISOString();
  return handleOnMessage(context, discussionId, messageId, (message) => ({
    type: 'DeleteOwnMessage',
    data: { userId, messageId, message, now },
  }));
};

export const moderateMessage = async (
  context: CommandContext,
  messageId: number,
  input: { type: 'DeleteMessage' | 'RestoreMessage'; adminId: string },
) => {
  const discussionId = await discussionIdOfMessage(context.model, messageId);
  const now = context.model.now().toISOString();
  return handleOnMessage(context, discussionId, messageId, (message) => ({
    type: input.type,
    data: { adminId: input.adminId, messageId, message, now },
  }));
};

export type RestrictionCommand =
  | { type: 'BanUser'; data: { adminId: string; userId: string; until: string | null; reason: string | null } }
  | { type: 'UnbanUser' | 'UnmuteUser'; data: { adminId: string; userId: string } }
  | { type: 'MuteUser'; data: { adminId: string; userId: string; until: string } };

export const restrictUser = async (
  { model, metadata }: CommandContext,
  channelId: number,
  command: RestrictionCommand,
) => {
  const discussionId = await discussionIdOfChannel(model, channelId);
  const now = model.now().toISOString();
  const result = await model.discussions.handle(
    streams.discussion(discussionId),
    { ...command, data: { ...command.data, now } } as DiscussionCommand,
    metadata,
  );
  return { discussion: existing(result.state), position: result.position ?? 0n };
};
