import { createSecretKey } from 'node:crypto';
import express from 'express';
import jwt from 'jsonwebtoken';
import { v7 as uuidv7 } from 'uuid';
import { DEV_JWT_SECRET } from '../src/config';
import { openRawWorkerInserts } from './rawWorkerInserts';

type Waiting = { row: unknown[]; resolve: () => void; reject: (error: unknown) => void };

/**
 * Route (c): route (a)'s JWT check and insert, with the inserts group-committed on a worker
 * thread (raw better-sqlite3, synchronous=FULL): one commit in flight, the requests that
 * arrive meanwhile share the next, and each is answered after its commit. The least a
 * durable write route costs on this machine once the fsync is off the event loop and shared.
 */
export const openGroupCommitRoute = async (file: string) => {
  const writer = await openRawWorkerInserts(file);
  const key = createSecretKey(Buffer.from(DEV_JWT_SECRET, 'utf8'));
  let queue: Waiting[] = [];
  let committing = false;
  let revision = 0;

  const commitNext = async () => {
    if (committing || queue.length === 0) return;
    committing = true;
    const group = queue;
    queue = [];
    try {
      await writer.insert(group.map((waiting) => waiting.row));
      group.forEach((waiting) => waiting.resolve());
    } catch (error) {
      group.forEach((waiting) => waiting.reject(error));
    } finally {
      committing = false;
      void commitNext();
    }
  };
  const insert = (row: unknown[]) =>
    new Promise<void>((resolve, reject) => {
      queue.push({ row, resolve, reject });
      void commitNext();
    });

  const app = express();
  app.use(express.json());
  app.post('/grouped/messages', (req, res, next) => {
    const token = (req.headers.authorization ?? '').slice('Bearer '.length);
    const claims = jwt.verify(token, key, { algorithms: ['HS256'] }) as { sub: string };
    const body = req.body as { body: string };
    const id = (revision += 1);
    const data = JSON.stringify({ body: body.body, by: claims.sub });
    insert([uuidv7(), 'grouped-1', id, 'Grouped', data, '{}', new Date().toISOString()]).then(
      () => res.status(201).json({ data: { id } }),
      next,
    );
  });
  return { app, close: writer.close };
};
