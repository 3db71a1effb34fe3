import { startTestApp, type TestApp } from '../helpers/testApp';

describe('Given a running server on the embedded stores', () => {
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp();
  });
  afterAll(() => server.stop());

  it('When GET /health, then it answers 200 ok', async () => {
    const response = await server.request('GET', '/health');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  it('When a route does not exist, then 404 with a NOT_FOUND code', async () => {
    const response = await server.request('GET', '/api/nope');
    expect(response.status).toBe(404);
    expect(response.body.code).toBe('NOT_FOUND');
  });
});
