import { Router } from 'express';
import { optionalAuth, principalOf, type VerifyToken } from '../http/auth';
import { sendData } from '../http/responses';
import { parseId } from '../http/validation';
import type { ReadModelStore } from '../readModels/readModelStore';
import { loadChannelAccess } from './accessContext';
import { requireFound } from './accessErrors';
import { ForbiddenError } from '../errors';
import { listChannels } from './listChannels';
import { presentChannel } from '../http/presenters';
import { parseChannelsQuery } from './queryParams';

/** GET /api/mobile/channels and /api/mobile/channels/{id}. */
export const createChannelQueries = (deps: {
  readModels: ReadModelStore;
  verifyToken: VerifyToken;
  now: () => Date;
}) => {
  const router = Router();
  const auth = optionalAuth(deps.verifyToken);

  router.get('/api/mobile/channels', auth, async (req, res) => {
    const { cursor, limit } = parseChannelsQuery(req.query);
    const data = await listChannels(deps.readModels, { cursor, limit, userId: principalOf(res)?.id, now: deps.now() });
    sendData(res, 200, 'Channels fetched successfully', data);
  });

  router.get('/api/mobile/channels/:id', auth, async (req, res) => {
    const channelId = parseId(req.params.id as string);
    const context = requireFound(await loadChannelAccess(deps.readModels, channelId, principalOf(res)?.id, deps.now()));
    const { access } = context;
    // A joined member who lost the entitlement gets the shell (isLocked) to open the paywall, not a 403.
    if (!access.canRead && !access.isLocked) {
      throw new ForbiddenError('You are not entitled to read this channel', { reason: access.reason, isLocked: false });
    }
    sendData(
      res,
      200,
      'Channel fetched successfully',
      presentChannel(context.channel, { isJoined: context.isJoined, isLocked: access.isLocked }),
    );
  });

  return router;
};
