import { createSecretKey } from 'node:crypto';
import express from 'express';
import jwt from 'jsonwebtoken';
import { v7 as uuidv7 } from 'uuid';
import { DEV_JWT_SECRET } from '../src/config';
import { createBatchPipeline } from '../src/workers/batchPipeline';
import { openRawWorkerInserts } from './rawWorkerInserts';

/**
 * Route (c): route (a)'s JWT check and insert, with the inserts group-committed on a worker
 * thread (raw better-sqlite3, synchronous=FULL) through the product's own pipeline
 * (`createBatchPipeline`): one commit in flight, the requests that arrive meanwhile share
 * the next, and each is answered after its commit. The least a durable write route costs on
 * this machine once the fsync is off the event loop and shared.
 */
export const openGroupCommitRoute = async (file: string) => {
  const writer = await openRawWorkerInserts(file);
  const key = createSecretKey(Buffer.from(DEV_JWT_SECRET, 'utf8'));
  const pipeline = createBatchPipeline<unknown[], void>({
    commit: async (rows) => {
      await writer.insert(rows);
      return rows.map(() => undefined);
    },
  });
  let revision = 0;

  const app = express();
  app.use(express.json());
  app.post('/grouped/messages', (req, res, next) => {
    const token = (req.headers.authorization ?? '').slice('Bearer '.length);
    const claims = jwt.verify(token, key, { algorithms: ['HS256'] }) as { sub: string };
    const body = req.body as { body: string };
    const id = (revision += 1);
    const data = JSON.stringify({ body: body.body, by: claims.sub });
    pipeline
      .submit([uuidv7(), 'grouped-1', id, 'Grouped', data, '{}', new Date().toISOString()])
      .then(() => res.status(201).json({ data: { id } }), next);
  });
  return { app, close: writer.close };
};
