import { createHmac } from 'node:crypto';
import { PushWebhookError } from './pushErrors';
import type { PushSender } from './pushSender';

export const signBody = (body: string, secret: string): string =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

/**
 * Production sender: POSTs `{ deliveryId, postId, channelId, publishedAt, userIds }` to the
 * webhook with `X-Signature: sha256=<hex HMAC-SHA256 of the exact body>`. Any non-2xx answer
 * or network error rejects, so the queue retries the batch with backoff.
 */
export const createWebhookSender = (options: { url: string; secret: string; timeoutMs?: number }): PushSender => ({
  send: async (delivery) => {
    const body = JSON.stringify({
      deliveryId: delivery.deliveryId,
      postId: delivery.postId,
      channelId: delivery.channelId,
      publishedAt: delivery.publishedAt,
      userIds: delivery.userIds,
    });
    let response: Response;
    try {
      response = await fetch(options.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-signature': signBody(body, options.secret),
          'idempotency-key': delivery.deliveryId,
        },
        body,
        signal: AbortSignal.timeout(options.timeoutMs ?? 10000),
      });
    } catch (error) {
      throw new PushWebhookError(`Push webhook unreachable: ${(error as Error).message}`, undefined);
    }
    if (!response.ok) throw new PushWebhookError(`Push webhook answered ${response.status}`, response.status);
  },
});
