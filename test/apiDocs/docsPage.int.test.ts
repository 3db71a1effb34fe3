import { startTestApp, type TestApp } from '../helpers/testApp';

describe('Given the running service', () => {
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp();
  });
  afterAll(() => server.stop());

  it('When GET /docs, then the reference page loads Swagger UI from this server only (no CDN) and reads /openapi.json', async () => {
    const page = await server.request('GET', '/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const sources = [...(page.body as string).matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
    expect(sources.length).toBeGreaterThan(0);
    sources.forEach((source) => expect(source).toMatch(/^\/docs\//));
    const init = await fetch(`${server.url}/docs/init.js`).then((response) => response.text());
    expect(init).toContain("url: '/openapi.json'");
    for (const source of sources) {
      const asset = await fetch(`${server.url}${source}`);
      expect(asset.status).toBe(200);
      await asset.arrayBuffer();
    }
  });
});
