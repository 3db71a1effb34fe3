import fs from 'node:fs';
import path from 'node:path';
import { adminToken, openChannel, signToken, startTestApp, type TestApp } from '../helpers/apiTestKit';
import { TEST_OPS_TOKEN } from '../helpers/testApp';

type Row = { statuses: number[]; code: string };

/** The rows of README's "Every status the server answers": statuses of the first column, the code column as written. */
const statusTable = (): Row[] => {
  const readme = fs.readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');
  const section = readme.split('### Every status the server answers')[1].split('\n## ')[0];
  return section
    .split('\n')
    .filter((line) => /^\| \d/.test(line))
    .map((line) => {
      const [, statuses, code] = line.split('|');
      return { statuses: statuses.split(',').map((status) => Number(status.trim())), code };
    });
};

type Probe = { what: string; status: number; path: string; init?: RequestInit };

describe("Given a running server and README's table of every status the server answers", () => {
  let server: TestApp;
  let etag: string;
  let assetEtag: string;
  const rows = statusTable();
  beforeAll(async () => {
    server = await startTestApp();
    etag = (await fetch(`${server.url}/api/mobile/channels`)).headers.get('etag') ?? '';
    assetEtag = (await fetch(`${server.url}/docs/assets/swagger-ui.css`)).headers.get('etag') ?? '';
  });
  afterAll(() => server.stop());

  const json = (method: string, body: string, headers: Record<string, string> = {}): RequestInit => ({
    method,
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json', ...headers },
    body,
  });
  const asUser = { headers: { authorization: `Bearer ${signToken('u')}` } };
  const asOps = { headers: { authorization: `Bearer ${TEST_OPS_TOKEN}` } };
  const css = '/docs/assets/swagger-ui.css';
  // fetch sends `Cache-Control: no-cache` with a conditional header unless told otherwise, and that is never fresh.
  const probes = (): Probe[] => [
    { what: 'health', status: 200, path: '/health' },
    {
      what: 'a conditional GET that matches',
      status: 304,
      path: '/api/mobile/channels',
      init: { headers: { 'if-none-match': etag, 'cache-control': 'max-age=0' } },
    },
    {
      what: 'a conditional GET of an asset',
      status: 304,
      path: css,
      init: { headers: { 'if-none-match': assetEtag, 'cache-control': 'max-age=0' } },
    },
    { what: 'a range of an asset (ignored)', status: 200, path: css, init: { headers: { range: 'bytes=0-9' } } },
    { what: 'a range past the end (ignored)', status: 200, path: css, init: { headers: { range: 'bytes=99999999-' } } },
    { what: 'the assets folder', status: 404, path: '/docs/assets', init: { redirect: 'manual' } },
    { what: 'a path id that is no id', status: 400, path: '/api/mobile/channels/abc' },
    { what: 'an unknown Socket.io transport', status: 400, path: '/socket.io/?EIO=4&transport=pigeon' },
    { what: 'metrics without the ops token', status: 401, path: '/metrics' },
    { what: 'metrics with a user token', status: 403, path: '/metrics', init: asUser },
    { what: 'metrics with the ops token', status: 200, path: '/metrics', init: asOps },
    { what: 'an unknown route', status: 404, path: '/nowhere' },
    { what: 'an unknown channel', status: 404, path: '/api/mobile/channels/987654' },
    {
      what: 'a body over 256 KB',
      status: 413,
      path: '/api/admin/channels',
      init: json('POST', `{"title":"${'x'.repeat(300_000)}"}`),
    },
    {
      what: 'an undecodable charset',
      status: 415,
      path: '/api/admin/channels',
      init: json('POST', '{}', { 'content-type': 'application/json; charset=klingon' }),
    },
    { what: 'an invalid body', status: 422, path: '/api/admin/channels', init: json('POST', '{"kind":"NOPE"}') },
    { what: 'unparsable JSON', status: 422, path: '/api/admin/channels', init: json('POST', '{"kind":') },
    { what: 'headers over 16 KB', status: 431, path: '/health', init: { headers: { 'x-large': 'h'.repeat(20_000) } } },
    {
      what: 'a created channel',
      status: 201,
      path: '/api/admin/channels',
      init: json('POST', JSON.stringify(openChannel)),
    },
  ];

  it('When each kind of request is sent, then it gets its status, the status is in the table, and so is the JSON code it carries', async () => {
    const missing: string[] = [];
    const seen: string[] = [];
    const expected: string[] = [];
    for (const probe of probes()) {
      const response = await fetch(`${server.url}${probe.path}`, probe.init);
      const text = await response.text();
      let code: unknown;
      try {
        code = (JSON.parse(text) as { code?: unknown }).code;
      } catch {
        code = undefined;
      }
      const withStatus = rows.filter((row) => row.statuses.includes(response.status));
      // Our codes are strings (`RATE_LIMITED`); engine.io's are numbers (`{ code: 0, message }`).
      const listed =
        typeof code === 'string'
          ? withStatus.some((row) => row.code.includes(`\`${code}\``))
          : typeof code === 'number'
            ? withStatus.some((row) => row.code.includes(`code: ${code}`))
            : withStatus.length > 0;
      seen.push(`${probe.what}: ${response.status}`);
      expected.push(`${probe.what}: ${probe.status}`);
      if (!listed) missing.push(`${probe.what}: ${response.status} ${String(code)}`);
    }
    expect(seen).toEqual(expected);
    expect(missing).toEqual([]);
  });
});
