import { Router, type Request, type Response } from 'express';
import { requireAuth, requirePrincipal } from '../../http/auth';
import { parseWith } from '../../http/validation';
import { contextOf, pathId, replyWritten, type RouteDeps } from '../routeKit';
import { validateEditPost, validatePublishPost } from './channelSchemas';
import { changePost, editPost, publishPost } from './channelUseCases';
import { toPostView } from './channelViews';

/** Admin post commands: publish, edit, delete (tombstone), pin, unpin. */
export const createPostRoutes = (deps: RouteDeps): Router => {
  const router = Router();
  const admin = requireAuth(deps.verifyToken, 'admin');
  const view = (written: Awaited<ReturnType<typeof changePost>>) =>
    toPostView(written.data.channelId, written.post, deps.config.mediaBaseUrl);

  router.post('/api/admin/channels/:id/posts', admin, async (req, res) => {
    const channelId = pathId(req);
    const body = parseWith(validatePublishPost, req.body);
    const written = await publishPost(contextOf(deps, req, res), channelId, {
      type: body.type,
      bodyText: body.bodyText ?? null,
      linkUrl: body.linkUrl ?? null,
      chartPayloadJson: body.chartPayloadJson ?? null,
      attachments: body.attachments ?? [],
      adminId: requirePrincipal(res).id,
    });
    await replyWritten(deps, res, {
      status: 201,
      message: 'Post published successfully',
      data: view(written),
      position: written.position,
    });
  });

  router.patch('/api/admin/posts/:postId', admin, async (req, res) => {
    const postId = pathId(req, 'postId');
    const changes = parseWith(validateEditPost, req.body);
    const written = await editPost(contextOf(deps, req, res), postId, { changes, adminId: requirePrincipal(res).id });
    await replyWritten(deps, res, {
      status: 200,
      message: 'Post updated successfully',
      data: view(written),
      position: written.position,
    });
  });

  const postCommand =
    (type: 'DeletePost' | 'PinPost' | 'UnpinPost', message: string) => async (req: Request, res: Response) => {
      const postId = pathId(req, 'postId');
      const written = await changePost(contextOf(deps, req, res), postId, {
        type,
        data: { adminId: requirePrincipal(res).id },
      });
      await replyWritten(deps, res, { status: 200, message, data: view(written), position: written.position });
    };
  router.delete('/api/admin/posts/:postId', admin, postCommand('DeletePost', 'Post deleted successfully'));
  router.post('/api/admin/posts/:postId/pin', admin, postCommand('PinPost', 'Post pinned successfully'));
  router.delete('/api/admin/posts/:postId/pin', admin, postCommand('UnpinPost', 'Post unpinned successfully'));

  return router;
};
