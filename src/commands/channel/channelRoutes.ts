import { Router } from 'express';
import { requireAuth, requirePrincipal } from '../../http/auth';
import { parseWith } from '../../http/validation';
import { contextOf, pathId, replyWritten, type RouteDeps } from '../routeKit';
import { validateCreateChannel, validateUpdateChannel } from './channelSchemas';
import { createChannel, updateChannel } from './channelUseCases';
import { toChannelView } from './channelViews';

/** Admin channel settings: create and change. */
export const createChannelRoutes = (deps: RouteDeps): Router => {
  const router = Router();
  const admin = requireAuth(deps.verifyToken, 'admin');

  router.post('/api/admin/channels', admin, async (req, res) => {
    const body = parseWith(validateCreateChannel, req.body);
    const written = await createChannel(contextOf(deps, req, res), {
      ...body,
      description: body.description ?? null,
      entitlementKey: body.entitlementKey ?? null,
      adminId: requirePrincipal(res).id,
    });
    const data = toChannelView(written.data);
    await replyWritten(deps, res, {
      status: 201,
      message: 'Channel created successfully',
      data,
      position: written.position,
    });
  });

  router.patch('/api/admin/channels/:id', admin, async (req, res) => {
    const channelId = pathId(req);
    const changes = parseWith(validateUpdateChannel, req.body);
    const written = await updateChannel(contextOf(deps, req, res), channelId, {
      changes,
      adminId: requirePrincipal(res).id,
    });
    const data = toChannelView(written.data);
    await replyWritten(deps, res, {
      status: 200,
      message: 'Channel updated successfully',
      data,
      position: written.position,
    });
  });

  return router;
};
