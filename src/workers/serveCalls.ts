import { parentPort } from 'node:worker_threads';
import type { WorkerMessage, WorkerReply } from './workerCalls';

/** The worker side of `workerCalls`: answers each call with `handle`, and on close runs `close` and exits. */
export const serveCalls = <Request, Result>(handle: (request: Request) => Result, close: () => void) => {
  const port = parentPort;
  if (!port) throw new Error('serveCalls runs in a worker thread');
  const reply = (message: WorkerReply<Result>) => port.postMessage(message);
  port.on('message', (message: WorkerMessage<Request>) => {
    if (message.type === 'close') {
      close();
      port.close();
      return;
    }
    try {
      reply({ ok: true, result: handle(message.request) });
    } catch (error) {
      reply({ ok: false, message: error instanceof Error ? error.message : String(error) });
    }
  });
};
