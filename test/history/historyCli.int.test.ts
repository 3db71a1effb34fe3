import fs from 'node:fs';
import path from 'node:path';
import { adminRequest, attachDiscussion, createChannel, publishPost, runCommctl } from '../cli/cliHarness';
import { startTestApp, type TestApp } from '../helpers/testApp';

const lines = (text: string) =>
  text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));

describe('Given a log with two channels built through the command API, one with a discussion', () => {
  let server: TestApp;
  let dataDir: string;
  let channelId: number;
  let otherChannelId: number;
  beforeAll(async () => {
    server = await startTestApp();
    dataDir = server.config.dataDir;
    channelId = await createChannel(server, 'Signals');
    otherChannelId = await createChannel(server, 'Other');
    await publishPost(server, channelId, 'first');
    await publishPost(server, otherChannelId, 'elsewhere');
    await attachDiscussion(server, channelId, 900, { title: 'Talk' });
    await publishPost(server, channelId, 'second');
  });
  afterAll(() => server.stop());

  it('When exporting one stream, then NDJSON lines carry its events in revision order with positions as strings', async () => {
    const run = await runCommctl(['history', 'export', '--stream', `channel-${channelId}`], { dataDir });
    expect(run.code).toBe(0);
    const events = lines(run.stdout);
    expect(events.map((event) => event.type)).toEqual([
      'ChannelCreated',
      'PostPublished',
      'DiscussionAttached',
      'PostPublished',
    ]);
    expect(events.map((event) => event.revision)).toEqual(['0', '1', '2', '3']);
    expect(typeof events[0].position).toBe('string');
    expect(events[0]).toMatchObject({ streamName: `channel-${channelId}`, data: { channelId, title: 'Signals' } });
  });

  it("When exporting a channel, then its stream and its discussion's stream come interleaved in log order", async () => {
    const run = await runCommctl(['history', 'export', '--channel', String(channelId)], { dataDir });
    expect(run.code).toBe(0);
    const events = lines(run.stdout);
    expect(events.map((event) => event.streamName)).toEqual([
      `channel-${channelId}`,
      `channel-${channelId}`,
      'discussion-900',
      `channel-${channelId}`,
      `channel-${channelId}`,
    ]);
    const positions = events.map((event) => BigInt(event.position));
    expect([...positions].sort((a, b) => (a < b ? -1 : 1))).toEqual(positions);
  });

  it('When exporting one event type across the log, then only that type comes out, from every stream', async () => {
    const run = await runCommctl(['history', 'export', '--type', 'PostPublished'], { dataDir });
    const events = lines(run.stdout);
    expect(events).toHaveLength(3);
    expect(new Set(events.map((event) => event.streamName))).toEqual(
      new Set([`channel-${channelId}`, `channel-${otherChannelId}`]),
    );
  });

  it('When exporting a position range with a tiny page size, then exactly the events in the inclusive range come out', async () => {
    const all = lines((await runCommctl(['history', 'export'], { dataDir })).stdout);
    const from = all[2].position;
    const to = all[5].position;
    const run = await runCommctl(
      ['history', 'export', '--from-position', from, '--to-position', to, '--page-size', '2'],
      { dataDir },
    );
    expect(lines(run.stdout).map((event) => event.eventId)).toEqual(all.slice(2, 6).map((event) => event.eventId));
  });

  it('When exporting a time range, then the events recorded in [since, until) come out', async () => {
    const all = lines((await runCommctl(['history', 'export'], { dataDir })).stdout);
    const since = all[3].recordedAt;
    const run = await runCommctl(['history', 'export', '--since', since], { dataDir });
    const expected = all.filter((event) => event.recordedAt >= since).map((event) => event.eventId);
    expect(lines(run.stdout).map((event) => event.eventId)).toEqual(expected);
    const until = await runCommctl(['history', 'export', '--until', since], { dataDir });
    expect(lines(until.stdout).map((event) => event.eventId)).toEqual(
      all.filter((event) => event.recordedAt < since).map((event) => event.eventId),
    );
  });

  it('When exporting CSV to a file, then the file has a header and one row per event, and progress goes to stderr', async () => {
    const out = path.join(dataDir, 'export.csv');
    const run = await runCommctl(
      ['history', 'export', '--stream', `channel-${channelId}`, '--format', 'csv', '--out', out],
      { dataDir },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('exported 4 events');
    const rows = fs.readFileSync(out, 'utf8').trim().split('\n');
    expect(rows[0]).toBe(
      'position,streamName,revision,eventId,type,recordedAt,actorType,actorId,correlationId,causationId,data',
    );
    expect(rows).toHaveLength(5);
    expect(rows[1]).toContain('ChannelCreated');
  });

  it('When showing an event by id, then it prints the event with its stream, revision and global position', async () => {
    const all = lines((await runCommctl(['history', 'export'], { dataDir })).stdout);
    const target = all[3];
    const run = await runCommctl(['history', 'show', target.eventId], { dataDir });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(target);
  });

  it('When showing an id that is not in the log, then it exits 1 and says so', async () => {
    const run = await runCommctl(['history', 'show', '01890a5d-ac96-774b-bcce-b302099a8057'], { dataDir });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('not found');
  });

  it('When an option is malformed, then commander rejects it with a clear message and a non-zero code', async () => {
    const run = await runCommctl(['history', 'export', '--since', 'yesterday'], { dataDir });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('ISO-8601');
  });
});

describe('Given a channel whose title, posts and discussion changed over time', () => {
  let server: TestApp;
  let channelId: number;
  let before: bigint;
  let beforeTime: string;
  beforeAll(async () => {
    server = await startTestApp();
    channelId = await createChannel(server, 'Old title');
    const first = await publishPost(server, channelId, 'kept');
    const second = await publishPost(server, channelId, 'to be deleted');
    await attachDiscussion(server, channelId, 77, { title: 'Chat', slowModeEnabled: false });
    before = (await server.app.eventStore.headPosition()) as bigint;
    const [last] = await server.app.eventStore.readAll({ after: before - 1n, maxCount: 1 });
    beforeTime = last.recordedAt;
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(
      (await adminRequest(server, 'PATCH', `/api/admin/channels/${channelId}`, { title: 'New title' })).status,
    ).toBe(200);
    expect((await adminRequest(server, 'DELETE', `/api/admin/posts/${second.postId}`)).status).toBe(200);
    expect((await adminRequest(server, 'POST', `/api/admin/posts/${first.postId}/pin`)).status).toBe(200);
    await server.app.eventStore.appendToStream('discussion-77', [
      {
        id: '01900000-0000-7000-8000-000000000001',
        type: 'DiscussionUpdated',
        data: {
          discussionId: 77,
          channelId,
          changes: { slowModeEnabled: true, slowModeIntervalSeconds: 60 },
          updatedByAdminId: 'a',
          updatedAt: new Date().toISOString(),
        },
        metadata: { actor: { type: 'admin', id: 'a' }, correlationId: 'c', causationId: 'c' },
      },
    ]);
  });
  afterAll(() => server.stop());

  const stateAsOf = async (asOf: string) => {
    const run = await runCommctl(['channels', 'state', String(channelId), '--as-of', asOf], {
      dataDir: server.config.dataDir,
    });
    expect(run.code).toBe(0);
    return JSON.parse(run.stdout);
  };

  it('When asking as of a position before the changes, then it shows the old title, both posts live and the old discussion settings', async () => {
    const state = await stateAsOf(before.toString());
    expect(state.channel).toMatchObject({ channelId, title: 'Old title', discussionId: 77 });
    expect(
      state.posts.map((post: { bodyText: string; isDeleted: boolean; isPinned: boolean }) => [
        post.bodyText,
        post.isDeleted,
        post.isPinned,
      ]),
    ).toEqual([
      ['kept', false, false],
      ['to be deleted', false, false],
    ]);
    expect(state.discussion).toMatchObject({ discussionId: 77, title: 'Chat', slowModeEnabled: false });
    expect(state.lastPosition).toBe(before.toString());
  });

  it('When asking as of the same point by ISO time, then the answer is the same', async () => {
    const byTime = await stateAsOf(beforeTime);
    const byPosition = await stateAsOf(before.toString());
    expect({ ...byTime, asOf: null }).toEqual({ ...byPosition, asOf: null });
  });

  it('When asking as of the head, then it shows the new title, the tombstoned post, the pin and slow mode on', async () => {
    const head = (await server.app.eventStore.headPosition()) as bigint;
    const state = await stateAsOf(head.toString());
    expect(state.channel.title).toBe('New title');
    expect(
      state.posts.map((post: { isDeleted: boolean; isPinned: boolean }) => [post.isDeleted, post.isPinned]),
    ).toEqual([
      [false, true],
      [true, false],
    ]);
    expect(state.discussion).toMatchObject({ slowModeEnabled: true, slowModeIntervalSeconds: 60 });
  });

  it('When asking as of a point before the channel existed, then it exits 1', async () => {
    const run = await runCommctl(['channels', 'state', String(channelId), '--as-of', '2000-01-01T00:00:00Z'], {
      dataDir: server.config.dataDir,
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('did not exist');
  });
});
