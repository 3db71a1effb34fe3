import { Router } from 'express';
import { isRestrictionActive } from '../../access/channelAccess';
import type { Ban, Mute } from '../../contract';
import { requireAuth, requirePrincipal } from '../../http/auth';
import { parseWith } from '../../http/validation';
import { contextOf, pathId, pathKey, replyWritten, type RouteDeps } from '../routeKit';
import type { ExistingDiscussion } from './discussionState';
import { validateBan, validateMute } from './discussionSchemas';
import { restrictUser, type RestrictionCommand } from './messageUseCases';

const banView = (discussion: ExistingDiscussion, userId: string, now: Date): Ban => {
  const ban = discussion.bans[userId];
  const active = isRestrictionActive(ban, now);
  const base = { discussionId: discussion.discussionId, channelId: discussion.channelId, userId };
  return {
    ...base,
    isBanned: active,
    until: active ? (ban?.until ?? null) : null,
    reason: active ? (ban?.reason ?? null) : null,
  };
};

const muteView = (discussion: ExistingDiscussion, userId: string, now: Date): Mute => {
  const mute = discussion.mutes[userId];
  const active = isRestrictionActive(mute, now);
  const base = { discussionId: discussion.discussionId, channelId: discussion.channelId, userId };
  return { ...base, isMuted: active, until: active ? (mute?.until ?? null) : null };
};

/** Admin bans and mutes of one user in a channel's discussion. */
export const createModerationRoutes = (deps: RouteDeps): Router => {
  const router = Router();
  const admin = requireAuth(deps.verifyToken, 'admin');
  const iso = (value: string | null | undefined) => (value ? new Date(value).toISOString() : null);

  const route = (
    method: 'put' | 'delete',
    kind: 'bans' | 'mutes',
    toCommand: (body: unknown, userId: string, adminId: string) => RestrictionCommand,
    message: string,
  ) =>
    router[method](`/api/admin/channels/:id/discussion/${kind}/:userId`, admin, async (req, res) => {
      const channelId = pathId(req);
      const userId = pathKey(req, 'userId');
      const command = toCommand(req.body, userId, requirePrincipal(res).id);
      const written = await restrictUser(contextOf(deps, req, res), channelId, command);
      const view = kind === 'bans' ? banView : muteView;
      const data = view(written.discussion, userId, deps.model.now());
      await replyWritten(deps, res, { status: 200, message, data, position: written.position });
    });

  route(
    'put',
    'bans',
    (raw, userId, adminId) => {
      const body = parseWith(validateBan, raw ?? {});
      return { type: 'BanUser', data: { adminId, userId, until: iso(body.until), reason: body.reason ?? null } };
    },
    'User banned successfully',
  );
  route(
    'delete',
    'bans',
    (_raw, userId, adminId) => ({ type: 'UnbanUser', data: { adminId, userId } }),
    'User unbanned successfully',
  );
  route(
    'put',
    'mutes',
    (raw, userId, adminId) => {
      const body = parseWith(validateMute, raw);
      return { type: 'MuteUser', data: { adminId, userId, until: new Date(body.until).toISOString() } };
    },
    'User muted successfully',
  );
  route(
    'delete',
    'mutes',
    (_raw, userId, adminId) => ({ type: 'UnmuteUser', data: { adminId, userId } }),
    'User unmuted successfully',
  );

  return router;
};
