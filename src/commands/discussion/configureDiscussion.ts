import { ConflictError } from '../../errors';
import { loadChannel } from '../loadFacts';
import { streams } from '../streams';
import type { CommandContext, Written } from '../writeModel';
import type { DiscussionSettings } from './discussionEvents';
import type { ExistingDiscussion } from './discussionState';
import { assertSettings } from './discussionRules';

const attachedIdOf = (error: unknown): number | undefined =>
  error instanceof ConflictError ? (error.details as { discussionId?: number } | undefined)?.discussionId : undefined;

/**
 * PUT semantics on the channel's one discussion: creates it (fields left out take defaults)
 * or changes the fields sent. Creating appends DiscussionAttached to the channel first, then
 * DiscussionCreated to the new stream; a crash in between leaves the channel attached to an
 * empty stream, and the next PUT completes the creation.
 */
export const configureDiscussion = async (
  { model, metadata }: CommandContext,
  channelId: number,
  input: Partial<DiscussionSettings> & { adminId: string },
): Promise<Written<ExistingDiscussion> & { created: boolean }> => {
  const { adminId, ...changes } = input;
  const now = model.now().toISOString();
  const channel = await loadChannel(model, channelId);
  const settings: DiscussionSettings = {
    title: channel.title,
    isEnabled: true,
    requiredFeatureKey: null,
    slowModeEnabled: false,
    slowModeIntervalSeconds: null,
    ...changes,
  };
  let discussionId = channel.discussionId;
  if (discussionId === null) {
    // Refuse bad settings before anything is appended.
    assertSettings(settings);
    const newId = await model.ids.nextId('discussionId');
    try {
      await model.channels.handle(
        streams.channel(channelId),
        { type: 'AttachDiscussion', data: { discussionId: newId, now } },
        metadata,
      );
      discussionId = newId;
    } catch (error) {
      // Another request attached one first: configure that one.
      const attached = attachedIdOf(error);
      if (attached === undefined) throw error;
      discussionId = attached;
    }
  }
  const id = discussionId;
  const result = await model.discussions.handle(
    streams.discussion(id),
    (state) =>
      state.exists
        ? { type: 'ChangeDiscussion', data: { changes, adminId, now } }
        : { type: 'CreateDiscussion', data: { discussionId: id, channelId, settings, adminId, now } },
    metadata,
  );
  const created = result.events.some((event) => event.type === 'DiscussionCreated');
  return { data: result.state as ExistingDiscussion, position: result.position ?? 0n, created };
};
