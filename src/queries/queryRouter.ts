import { Router } from 'express';
import type { Config } from '../config';
import type { VerifyToken } from '../http/auth';
import type { ReadModelStore } from '../readModels/readModelStore';
import { createChannelQueries } from './channelQueries';
import { createDiscussionQueries } from './discussionQueries';
import { createPostQueries } from './postQueries';

/** Every mobile REST read; they read read models only (plus the shared access decision). */
export const createQueryRouter = (deps: {
  config: Config;
  readModels: ReadModelStore;
  verifyToken: VerifyToken;
  now: () => Date;
}): Router => {
  const router = Router();
  const { readModels, verifyToken, now } = deps;
  router.use(createChannelQueries({ readModels, verifyToken, now }));
  router.use(createPostQueries({ readModels, verifyToken, now, mediaBaseUrl: deps.config.mediaBaseUrl }));
  router.use(createDiscussionQueries({ readModels, verifyToken, now }));
  return router;
};
