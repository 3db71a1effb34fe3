import { Router, type Request, type Response } from 'express';
import { requireAuth, requirePrincipal } from '../../http/auth';
import { parseWith } from '../../http/validation';
import { contextOf, pathId, replyWritten, type RouteDeps } from '../routeKit';
import { configureDiscussion } from './configureDiscussion';
import { validateDiscussion, validateMessage } from './discussionSchemas';
import { toDiscussionView, toMessageView } from './discussionViews';
import { moderateMessage, postAdminMessage, type MessageWritten } from './messageUseCases';

export const messageData = (written: MessageWritten) => toMessageView(written.discussion.discussionId, written.message);

/** Admin discussion commands: configure, admin-authored messages, delete and restore. */
export const createDiscussionRoutes = (deps: RouteDeps): Router => {
  const router = Router();
  const admin = requireAuth(deps.verifyToken, 'admin');

  router.put('/api/admin/channels/:id/discussion', admin, async (req, res) => {
    const channelId = pathId(req);
    const body = parseWith(validateDiscussion, req.body);
    const written = await configureDiscussion(contextOf(deps, req, res), channelId, {
      ...body,
      adminId: requirePrincipal(res).id,
    });
    await replyWritten(deps, res, {
      status: written.created ? 201 : 200,
      message: written.created ? 'Channel discussion created successfully' : 'Channel discussion updated successfully',
      data: toDiscussionView(written.data),
      position: written.position,
    });
  });

  router.post('/api/admin/channels/:id/discussion/messages', admin, async (req, res) => {
    const channelId = pathId(req);
    const { body } = parseWith(validateMessage, req.body);
    const written = await postAdminMessage(contextOf(deps, req, res), channelId, {
      body,
      adminId: requirePrincipal(res).id,
    });
    const message = 'Discussion message created successfully';
    await replyWritten(deps, res, { status: 201, message, data: messageData(written), position: written.position });
  });

  const moderate =
    (type: 'DeleteMessage' | 'RestoreMessage', message: string) => async (req: Request, res: Response) => {
      const messageId = pathId(req);
      const written = await moderateMessage(contextOf(deps, req, res), messageId, {
        type,
        adminId: requirePrincipal(res).id,
      });
      await replyWritten(deps, res, { status: 200, message, data: messageData(written), position: written.position });
    };
  router.delete(
    '/api/admin/discussion-messages/:id',
    admin,
    moderate('DeleteMessage', 'Discussion message deleted successfully'),
  );
  router.post(
    '/api/admin/discussion-messages/:id/restore',
    admin,
    moderate('RestoreMessage', 'Discussion message restored successfully'),
  );

  return router;
};
