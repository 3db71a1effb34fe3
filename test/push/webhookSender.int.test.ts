import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PushWebhookError } from '../../src/push/pushErrors';
import { createWebhookSender, signBody } from '../../src/push/webhookSender';

const delivery = {
  postId: 7,
  channelId: 3,
  publishedAt: '2030-02-01T00:00:00.000Z',
  userIds: ['u-1', 'u-2'],
  deliveryId: 'deliver-7-abc',
};

describe('Given a push webhook receiver', () => {
  let server: http.Server;
  let url: string;
  let status = 204;
  const received: Array<{ body: string; signature: string | undefined }> = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received.push({ body, signature: req.headers['x-signature'] as string | undefined });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/push`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('When a batch is sent, then the receiver gets the user ids and an HMAC-SHA256 signature of the exact body', async () => {
    status = 204;
    await createWebhookSender({ url, secret: 'webhook-secret-123' }).send(delivery);
    const last = received[received.length - 1];
    expect(JSON.parse(last.body)).toEqual({
      deliveryId: 'deliver-7-abc',
      postId: 7,
      channelId: 3,
      publishedAt: delivery.publishedAt,
      userIds: ['u-1', 'u-2'],
    });
    expect(last.signature).toBe(signBody(last.body, 'webhook-secret-123'));
  });

  it('When the receiver answers 500, then the send rejects so the job is retried', async () => {
    status = 500;
    await expect(createWebhookSender({ url, secret: 'webhook-secret-123' }).send(delivery)).rejects.toBeInstanceOf(
      PushWebhookError,
    );
  });
});
