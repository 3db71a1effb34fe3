import path from 'node:path';
import Database from 'better-sqlite3';
import { SNAPSHOT_EVERY } from '../../../src/commands/snapshots/handlerOptions';
import { adminToken, openChannel, userToken } from '../../helpers/apiTestKit';
import { spawnServer, type ServerProcess } from '../../helpers/serverProcess';
import { makeTempDir } from '../../helpers/testApp';
import { sendWrite } from '../../idempotency/idempotencyTestKit';

const discussion = {
  title: 'Across processes',
  isEnabled: true,
  requiredFeatureKey: null,
  slowModeEnabled: false,
  slowModeIntervalSeconds: null,
};

describe('Given two spawned server processes on one DATA_DIR and a discussion', () => {
  let dataDir: string;
  let first: ServerProcess;
  let second: ServerProcess;
  let channelId: number;
  const alice = userToken('alice');
  const postAs = (server: ServerProcess, token: string, body: string) =>
    sendWrite(
      server.url,
      'POST',
      token === adminToken
        ? `/api/admin/channels/${channelId}/discussion/messages`
        : `/api/mobile/channels/${channelId}/discussion/messages`,
      { token, body: { body } },
    );

  beforeAll(async () => {
    dataDir = makeTempDir('messages-processes-');
    [first, second] = await Promise.all([spawnServer(dataDir), spawnServer(dataDir)]);
    channelId = (await sendWrite(first.url, 'POST', '/api/admin/channels', { token: adminToken, body: openChannel }))
      .body.data.id;
    const put = await sendWrite(first.url, 'PUT', `/api/admin/channels/${channelId}/discussion`, {
      token: adminToken,
      body: discussion,
    });
    expect(put.status).toBe(201);
  }, 60_000);
  afterAll(async () => {
    await first?.stop();
    await second?.stop();
  });

  it('When alice posts through one process and edits through the other right after each 201, then every edit finds its message', async () => {
    for (let i = 0; i < 10; i++) {
      const [from, to] = i % 2 === 0 ? [first, second] : [second, first];
      const posted = await postAs(from, alice, `message ${i}`);
      expect(posted.status).toBe(201);
      const edited = await sendWrite(to.url, 'PATCH', `/api/mobile/discussion-messages/${posted.body.data.id}`, {
        token: alice,
        body: { body: `edited ${i}` },
      });
      expect(edited.status).toBe(200);
      expect(edited.body.data).toMatchObject({ id: posted.body.data.id, body: `edited ${i}`, editedByUserId: 'alice' });
    }
  });

  it('When an admin deletes a message through one process and restores it through the other, then both find it as the other left it', async () => {
    const posted = await postAs(first, alice, 'to moderate');
    const deleted = await sendWrite(second.url, 'DELETE', `/api/admin/discussion-messages/${posted.body.data.id}`, {
      token: adminToken,
    });
    expect(deleted.body.data).toMatchObject({ isDeleted: true });
    const deletedAgain = await sendWrite(
      first.url,
      'DELETE',
      `/api/mobile/discussion-messages/${posted.body.data.id}`,
      {
        token: alice,
      },
    );
    expect(deletedAgain.status).toBe(409);
    const restored = await sendWrite(
      first.url,
      'POST',
      `/api/admin/discussion-messages/${posted.body.data.id}/restore`,
      { token: adminToken },
    );
    expect(restored.status).toBe(200);
    expect(restored.body.data).toMatchObject({ body: 'to moderate', isDeleted: false, deletedAt: null });
  });

  it('When an admin publishes a post through one process and pins, edits and deletes it through the other right after, then each finds it as the last left it', async () => {
    const published = await sendWrite(first.url, 'POST', `/api/admin/channels/${channelId}/posts`, {
      token: adminToken,
      body: { type: 'TEXT', bodyText: 'across' },
    });
    expect(published.status).toBe(201);
    const postPath = `/api/admin/posts/${published.body.data.id}`;
    const pinned = await sendWrite(second.url, 'POST', `${postPath}/pin`, { token: adminToken });
    expect(pinned.body.data).toMatchObject({ isPinned: true });
    const edited = await sendWrite(first.url, 'PATCH', postPath, { token: adminToken, body: { bodyText: 'edited' } });
    expect(edited.body.data).toMatchObject({ bodyText: 'edited', isPinned: true });
    const deleted = await sendWrite(second.url, 'DELETE', postPath, { token: adminToken });
    expect(deleted.status).toBe(200);
    const deletedAgain = await sendWrite(first.url, 'DELETE', postPath, { token: adminToken });
    expect(deletedAgain.status).toBe(409);
  });

  it(`When both have written more than ${SNAPSHOT_EVERY} messages and one restarts, then it starts from the shared snapshot and posts the next id; old messages stay editable`, async () => {
    const firstPosted = await postAs(first, alice, 'an old message');
    let lastId = 0;
    for (let batch = 0; batch < SNAPSHOT_EVERY / 25; batch++) {
      const answers = await Promise.all(
        Array.from({ length: 25 }, (_, i) => postAs(i % 2 === 0 ? first : second, adminToken, `bulk ${batch}-${i}`)),
      );
      for (const answer of answers) {
        expect(answer.status).toBe(201);
        lastId = Math.max(lastId, answer.body.data.id);
      }
    }
    const file = new Database(path.join(dataDir, 'snapshots.sqlite'), { readonly: true });
    try {
      const row = file.prepare("SELECT revision FROM snapshots WHERE stream_name LIKE 'discussion-%'").get() as
        { revision: number } | undefined;
      expect(row?.revision).toBeGreaterThanOrEqual(SNAPSHOT_EVERY - 1);
    } finally {
      file.close();
    }

    await first.stop();
    first = await spawnServer(dataDir);
    const afterRestart = await postAs(first, adminToken, 'first after the restart');
    expect(afterRestart.status).toBe(201);
    expect(afterRestart.body.data.id).toBeGreaterThan(lastId);
    const edited = await sendWrite(first.url, 'PATCH', `/api/mobile/discussion-messages/${firstPosted.body.data.id}`, {
      token: alice,
      body: { body: 'edited after the restart' },
    });
    expect(edited.body.data).toMatchObject({ id: firstPosted.body.data.id, body: 'edited after the restart' });
  }, 120_000);
});
