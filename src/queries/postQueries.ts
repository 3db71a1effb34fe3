import { Router } from 'express';
import { NotFoundError } from '../errors';
import { optionalAuth, principalOf, type VerifyToken } from '../http/auth';
import { sendData } from '../http/responses';
import { parseId } from '../http/validation';
import { collections, type PostDoc } from '../projections/documents';
import type { ReadModelStore } from '../readModels/readModelStore';
import { loadChannelAccess } from './accessContext';
import { requireChannelRead, requireFound } from './accessErrors';
import { listPosts } from './listPosts';
import { presentPost } from '../http/presenters';
import { parsePostsQuery } from './queryParams';

/** GET /api/mobile/channels/{id}/posts and /api/mobile/posts/{postId}. */
export const createPostQueries = (deps: {
  readModels: ReadModelStore;
  verifyToken: VerifyToken;
  now: () => Date;
  mediaBaseUrl: string;
}) => {
  const router = Router();
  const auth = optionalAuth(deps.verifyToken);

  router.get('/api/mobile/channels/:id/posts', auth, async (req, res) => {
    const channelId = parseId(req.params.id as string);
    const page = parsePostsQuery(req.query);
    const context = requireFound(await loadChannelAccess(deps.readModels, channelId, principalOf(res)?.id, deps.now()));
    requireChannelRead(context);
    const data = await listPosts(deps.readModels, channelId, page, deps.mediaBaseUrl);
    sendData(res, 200, 'Channel posts fetched successfully', data);
  });

  router.get('/api/mobile/posts/:postId', auth, async (req, res) => {
    const postId = parseId(req.params.postId as string, 'postId');
    const post = await deps.readModels.get<PostDoc>(collections.posts, String(postId));
    if (!post) throw new NotFoundError('Post not found');
    const context = await loadChannelAccess(deps.readModels, post.channelId, principalOf(res)?.id, deps.now());
    // A post whose channel is unknown is a read model out of step; answer as if the post were not there.
    if (!context.found) throw new NotFoundError('Post not found');
    requireChannelRead(context);
    sendData(res, 200, 'Post fetched successfully', presentPost(post, deps.mediaBaseUrl));
  });

  return router;
};
