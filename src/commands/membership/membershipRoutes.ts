import { Router } from 'express';
import { requireAuth, requirePrincipal } from '../../http/auth';
import { ReadStateBody, type Membership, type ReadState } from '../../contract';
import { compileSchema, parseWith } from '../../http/validation';
import { toChannelFacts } from '../channel/channelFacts';
import { loadChannel, loadUserGrants } from '../loadFacts';
import { contextOf, pathId, replyWritten, type RouteDeps } from '../routeKit';
import { streams } from '../streams';
import type { CommandContext } from '../writeModel';
import type { MembershipCommand } from './membershipDecider';
import { membershipOf } from './membershipEvents';

const validateReadState = compileSchema(ReadStateBody);

const factsFor = async (model: CommandContext['model'], userId: string, channelId: number) => {
  const channel = await loadChannel(model, channelId);
  const grants = await loadUserGrants(model, userId);
  return {
    userId,
    channel: toChannelFacts(channel),
    lastPostId: channel.lastPostId,
    grants,
    now: model.now().toISOString(),
  };
};

const handleMembership = async (
  { model, metadata }: CommandContext,
  userId: string,
  channelId: number,
  build: (facts: Awaited<ReturnType<typeof factsFor>>) => MembershipCommand,
) => {
  const facts = await factsFor(model, userId, channelId);
  const result = await model.memberships.handle(streams.membership(userId), build(facts), metadata);
  return { membership: membershipOf(result.state, channelId), position: result.position ?? 0n };
};

/** Mobile join, leave and read-state, with the spec's response shapes; user tokens only. */
export const createMembershipRoutes = (deps: RouteDeps): Router => {
  const router = Router();
  const user = requireAuth(deps.verifyToken, 'user');

  const joinOrLeave = (type: 'JoinChannel' | 'LeaveChannel', message: string) =>
    router.post(`/api/mobile/channels/:id/${type === 'JoinChannel' ? 'join' : 'leave'}`, user, async (req, res) => {
      const channelId = pathId(req);
      const userId = requirePrincipal(res).id;
      const written = await handleMembership(contextOf(deps, req, res), userId, channelId, (facts) =>
        type === 'JoinChannel'
          ? { type, data: { userId, channel: facts.channel, entitlements: facts.grants.entitlements, now: facts.now } }
          : { type, data: { userId, channel: facts.channel, now: facts.now } },
      );
      const { isJoined, joinedAt, leftAt } = written.membership;
      await replyWritten(deps, res, {
        status: 200,
        message,
        data: { channelId, isJoined, joinedAt, leftAt } satisfies Membership,
        position: written.position,
      });
    });
  joinOrLeave('JoinChannel', 'Channel joined successfully');
  joinOrLeave('LeaveChannel', 'Channel left successfully');

  router.post('/api/mobile/channels/:id/read-state', user, async (req, res) => {
    const channelId = pathId(req);
    const body = parseWith(validateReadState, req.body);
    const userId = requirePrincipal(res).id;
    const written = await handleMembership(contextOf(deps, req, res), userId, channelId, (facts) => ({
      type: 'AdvanceReadState',
      data: {
        userId,
        channel: facts.channel,
        entitlements: facts.grants.entitlements,
        lastSeenPostId: body.last_seen_post_id,
        channelLastPostId: facts.lastPostId,
        now: facts.now,
      },
    }));
    const { lastSeenPostId, lastSeenAt } = written.membership;
    const data: ReadState = { channelId, lastSeenPostId, lastSeenAt };
    await replyWritten(deps, res, {
      status: 200,
      message: 'Channel read state updated successfully',
      data,
      position: written.position,
    });
  });

  return router;
};
