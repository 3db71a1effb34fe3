import { adminToken, createChannel, expectNothingAppended, startTestApp, type TestApp } from '../helpers/apiTestKit';

/** `[[[ … ]]]` nested `depth` levels, built as text so the test itself never recurses. */
const nestedJson = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;

const attachment = (overrides: object) => ({
  storageKey: 'posts/a.png',
  fileName: 'a.png',
  mimeType: 'image/png',
  sizeBytes: 1234,
  displayOrder: 0,
  ...overrides,
});

describe('Given a running server and a channel, hostile post input', () => {
  let server: TestApp;
  let channelId: number;
  beforeAll(async () => {
    server = await startTestApp();
    channelId = await createChannel(server);
  });
  afterAll(() => server.stop());

  const publishRaw = (body: string) =>
    server.request('POST', `/api/admin/channels/${channelId}/posts`, { token: adminToken, body });

  it('When a chart payload is nested 4,200 levels deep, then 422 names chartPayloadJson and nothing is stored', async () => {
    const response = await expectNothingAppended(server, () =>
      publishRaw(`{"type":"CHART","chartPayloadJson":${nestedJson(4200)}}`),
    );
    expect(response.status).toBe(422);
    expect(response.body.code).toBe('VALIDATION_ERROR');
    expect(JSON.stringify(response.body.details)).toContain('/chartPayloadJson');
  });

  it('When a chart payload is larger than 64 KB as JSON (inside the 256 KB body), then 422 and nothing is stored', async () => {
    const chart = { series: Array.from({ length: 8000 }, (_, i) => [i, i * 1.5]) };
    const response = await expectNothingAppended(server, () =>
      server.request('POST', `/api/admin/channels/${channelId}/posts`, {
        token: adminToken,
        body: { type: 'CHART', chartPayloadJson: chart },
      }),
    );
    expect(response.status).toBe(422);
  });

  it('When a chart payload is an ordinary nested object, then it is published and read back as sent', async () => {
    const chart = { kind: 'candles', series: [{ t: 1, o: [1, 2, { deep: [3] }] }], label: 'é' };
    const published = await server.request('POST', `/api/admin/channels/${channelId}/posts`, {
      token: adminToken,
      body: { type: 'CHART', chartPayloadJson: chart },
    });
    expect(published.status).toBe(201);
    const read = await server.request('GET', `/api/mobile/posts/${published.body.data.id}`);
    expect(read.body.data.chartPayloadJson).toEqual(chart);
  });

  it.each([
    ['../../tenant-b/secret.png'],
    ['posts/../../secret.png'],
    ['./a.png'],
    ['posts/./a.png'],
    ['/etc/passwd'],
    ['https://evil.example/a.png'],
    ['C:/a.png'],
    ['posts\\a.png'],
    ['posts//a.png'],
    ['posts/'],
    ['posts/a\u0000.png'],
    ['posts/a\u001b.png'],
  ])('When an attachment storageKey is %j, then 422 and nothing is stored', async (storageKey) => {
    const response = await expectNothingAppended(server, () =>
      server.request('POST', `/api/admin/channels/${channelId}/posts`, {
        token: adminToken,
        body: { type: 'MEDIA', attachments: [attachment({ storageKey })] },
      }),
    );
    expect(response.status).toBe(422);
    expect(JSON.stringify(response.body.details)).toContain('storageKey');
  });

  it('When a storageKey has dots inside names (a..b/c.d.png), then it is accepted', async () => {
    const response = await server.request('POST', `/api/admin/channels/${channelId}/posts`, {
      token: adminToken,
      body: { type: 'MEDIA', attachments: [attachment({ storageKey: 'a..b/.hidden/c.d.png' })] },
    });
    expect(response.status).toBe(201);
    expect(response.body.data.attachments[0].url).toBe('https://media.example.com/a..b/.hidden/c.d.png');
  });

  it.each([
    ['sizeBytes', '18446744073709551616'],
    ['sizeBytes', '9007199254740992'],
    ['displayOrder', '1e300'],
  ])('When %s is %s (beyond 2^53-1), then 422 and nothing is stored', async (field, number) => {
    const body = JSON.stringify({ type: 'MEDIA', attachments: [attachment({ [field]: 0 })] }).replace(
      `"${field}":0`,
      `"${field}":${number}`,
    );
    const response = await expectNothingAppended(server, () => publishRaw(body));
    expect(response.status).toBe(422);
    expect(JSON.stringify(response.body.details)).toContain(field);
  });
});
