import { v7 as uuidv7 } from 'uuid';
import { streams } from '../../src/commands/streams';
import { startTestApp, TEST_OPS_TOKEN, type TestApp } from '../helpers/testApp';
import { adminToken, createChannel, publishPost } from '../cli/cliHarness';

const metricsText = async (server: TestApp) => {
  const response = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TEST_OPS_TOKEN}` } });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  return response.text();
};

const sample = (text: string, metric: string, labels: string): number | undefined => {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${metric}{`) && candidate.includes(labels));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
};

const waitUntil = async (condition: () => boolean, timeoutMs = 5000) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe('Given a running server that accepted a few commands', () => {
  let server: TestApp;
  let channelId: number;
  beforeAll(async () => {
    server = await startTestApp();
    channelId = await createChannel(server);
    await publishPost(server, channelId, 'hello');
  });
  afterAll(() => server.stop());

  it('When GET /health, then 200 ok', async () => {
    expect((await server.request('GET', '/health')).body).toEqual({ status: 'ok' });
  });

  it('When GET /ready with projections caught up, then 200 with every check ok', async () => {
    const response = await server.request('GET', '/ready');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      status: 'ready',
      ready: true,
      eventStore: { ok: true },
      readModels: { ok: true },
    });
    expect(response.body.projections.length).toBeGreaterThan(0);
    expect(
      response.body.projections.every(
        (projection: { ok: boolean; lagEvents: number }) => projection.ok && projection.lagEvents === 0,
      ),
    ).toBe(true);
  });

  it('When scraping /metrics, then it shows lag, applied events, the command latency by route, sockets and queue depth', async () => {
    const text = await metricsText(server);
    expect(sample(text, 'projection_lag_events', 'projection="posts"')).toBe(0);
    expect(sample(text, 'projection_lag_seconds', 'projection="posts"')).toBe(0);
    expect(sample(text, 'projection_events_applied_total', 'projection="posts"')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'projection_active_version', 'projection="posts"')).toBe(1);
    expect(sample(text, 'http_request_duration_seconds_count', 'route="/api/admin/channels/:id/posts"')).toBe(1);
    expect(text).toMatch(
      /http_request_duration_seconds_bucket\{le="[\d.]+",method="POST",route="\/api\/admin\/channels",status_code="201"\}/,
    );
    expect(text).toMatch(/^realtime_connected_sockets \d+$/m);
    expect(text).toMatch(/^push_queue_depth \d+$/m);
  });

  it('When a command carries x-correlation-id, then the response echoes it and its events carry it in their metadata', async () => {
    const correlationId = `req-${uuidv7()}`;
    const response = await fetch(`${server.url}/api/admin/channels/${channelId}/posts`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${adminToken}`,
        'content-type': 'application/json',
        'x-correlation-id': correlationId,
      },
      body: JSON.stringify({ type: 'TEXT', bodyText: 'traced' }),
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-correlation-id')).toBe(correlationId);
    const body = (await response.json()) as { position: string };
    const [event] = await server.app.eventStore.readAll({ after: BigInt(body.position) - 1n, maxCount: 1 });
    expect(event.metadata.correlationId).toBe(correlationId);
  });

  it('When a request has no correlation id, then the response carries a fresh UUID v7', async () => {
    const response = await server.request('GET', '/health');
    expect(response.headers.get('x-correlation-id')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/);
  });
});

describe('Given a server whose posts projection stopped on an event it cannot apply', () => {
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp();
    const channelId = await createChannel(server);
    const id = uuidv7();
    await server.app.eventStore.appendToStream(streams.channel(channelId), [
      {
        id,
        type: 'PostEdited',
        data: {
          postId: 424242,
          channelId,
          changes: { bodyText: 'x' },
          editedByAdminId: 'a',
          editedAt: new Date().toISOString(),
        },
        metadata: { actor: { type: 'admin', id: 'a' }, correlationId: id, causationId: id },
      },
    ]);
    await waitUntil(() => server.app.projections.status().some((status) => status.state === 'failed'));
  });
  afterAll(() => server.stop());

  it('When GET /ready, then 503 naming the failed projection while /health stays 200', async () => {
    const ready = await server.request('GET', '/ready');
    expect(ready.status).toBe(503);
    const failed = ready.body.projections.filter((projection: { ok: boolean }) => !projection.ok);
    expect(failed[0]).toMatchObject({ state: 'failed', ok: false });
    expect(failed[0].error).toContain('PostEdited');
    expect((await server.request('GET', '/health')).status).toBe(200);
  });

  it('When scraping /metrics, then the failed projection shows a lag of one event', async () => {
    const failedName = server.app.projections.status().find((status) => status.state === 'failed')!.name;
    expect(sample(await metricsText(server), 'projection_lag_events', `projection="${failedName}"`)).toBe(1);
  });
});
