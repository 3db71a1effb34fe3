import { Router } from 'express';
import { requireAuth, requirePrincipal, type VerifyToken } from '../http/auth';
import { sendData } from '../http/responses';
import { parseId } from '../http/validation';
import type { ReadModelStore } from '../readModels/readModelStore';
import { loadDiscussionAccess } from './accessContext';
import { requireDiscussionRead, requireDiscussionVisible, requireFound } from './accessErrors';
import { listMessages } from './listMessages';
import { presentDiscussion } from '../http/presenters';
import { parseMessagesQuery } from './queryParams';

/** GET /api/mobile/channels/{id}/discussion and .../discussion/messages (JWT required). */
export const createDiscussionQueries = (deps: {
  readModels: ReadModelStore;
  verifyToken: VerifyToken;
  now: () => Date;
}) => {
  const router = Router();
  const auth = requireAuth(deps.verifyToken);

  const load = async (rawChannelId: string, userId: string) => {
    const channelId = parseId(rawChannelId);
    return requireFound(await loadDiscussionAccess(deps.readModels, channelId, userId, deps.now()));
  };
  const loadReadable = async (rawChannelId: string, userId: string) =>
    requireDiscussionRead(await load(rawChannelId, userId));

  router.get('/api/mobile/channels/:id/discussion', auth, async (req, res) => {
    const context = requireDiscussionVisible(await load(req.params.id as string, requirePrincipal(res).id));
    sendData(res, 200, 'Channel discussion fetched successfully', presentDiscussion(context.discussion));
  });

  router.get('/api/mobile/channels/:id/discussion/messages', auth, async (req, res) => {
    const channelId = parseId(req.params.id as string);
    const page = parseMessagesQuery(req.query);
    const context = await loadReadable(String(channelId), requirePrincipal(res).id);
    const data = await listMessages(deps.readModels, context.discussion.id, page);
    sendData(res, 200, 'Channel discussion messages fetched successfully', data);
  });

  return router;
};
