import { Router } from 'express';
import { requireAuth, requirePrincipal } from '../../http/auth';
import { parseWith } from '../../http/validation';
import { contextOf, pathId, replyWritten, type RouteDeps } from '../routeKit';
import { messageData } from './discussionRoutes';
import { validateMessage } from './discussionSchemas';
import { deleteOwnMessage, editOwnMessage, postUserMessage } from './messageUseCases';

/** Mobile discussion writes, exactly the spec's routes; user tokens only. */
export const createMobileMessageRoutes = (deps: RouteDeps): Router => {
  const router = Router();
  const user = requireAuth(deps.verifyToken, 'user');

  router.post('/api/mobile/channels/:id/discussion/messages', user, async (req, res) => {
    const channelId = pathId(req);
    const { body } = parseWith(validateMessage, req.body);
    const written = await postUserMessage(contextOf(deps, req, res), channelId, {
      userId: requirePrincipal(res).id,
      body,
    });
    const message = 'Discussion message created successfully';
    await replyWritten(deps, res, { status: 201, message, data: messageData(written), position: written.position });
  });

  router.patch('/api/mobile/discussion-messages/:id', user, async (req, res) => {
    const messageId = pathId(req);
    const { body } = parseWith(validateMessage, req.body);
    const written = await editOwnMessage(contextOf(deps, req, res), messageId, {
      userId: requirePrincipal(res).id,
      body,
    });
    const message = 'Discussion message updated successfully';
    await replyWritten(deps, res, { status: 200, message, data: messageData(written), position: written.position });
  });

  router.delete('/api/mobile/discussion-messages/:id', user, async (req, res) => {
    const messageId = pathId(req);
    const written = await deleteOwnMessage(contextOf(deps, req, res), messageId, requirePrincipal(res).id);
    const message = 'Discussion message deleted successfully';
    await replyWritten(deps, res, { status: 200, message, data: messageData(written), position: written.position });
  });

  return router;
};
