import path from 'node:path';
import type { EventStore } from '../../src/eventStore/eventStore';
import { createSqliteEventStore } from '../../src/eventStore/sqlite';
import { createLogger } from '../../src/logger';
import { createProjections, type Projections } from '../../src/projections/projections';
import { postsProjection } from '../../src/projections/postsProjection';
import type { ReadModelStore } from '../../src/readModels/readModelStore';
import { createSqliteReadModelStore } from '../../src/readModels/sqlite';
import { makeTempDir } from '../helpers/testApp';
import { postPublished, streamOf, toNewEvent } from './projectionFixtures';

describe('Given a server maintaining v1 of the posts projection when another process activates v2', () => {
  let eventStore: EventStore;
  let readModels: ReadModelStore;
  let projections: Projections;
  /** Preparing v2 fails this many more times (the store is busy or unreachable). */
  let v2FailuresLeft: number;

  const append = async (postId: number) =>
    (await eventStore.appendToStream(streamOf(postPublished(1, postId)), [toNewEvent(postPublished(1, postId))]))
      .position;
  const versionsRunning = () => projections.status().map((status) => [status.version, status.state]);

  beforeEach(async () => {
    const dir = makeTempDir('version-switch-');
    eventStore = createSqliteEventStore({ path: path.join(dir, 'events.sqlite') });
    readModels = createSqliteReadModelStore({ path: path.join(dir, 'readmodels.sqlite') });
    v2FailuresLeft = 0;
    const flaky: ReadModelStore = {
      ...readModels,
      prepareVersion: async (projection, version) => {
        if (version === 2 && v2FailuresLeft > 0) {
          v2FailuresLeft -= 1;
          throw new Error('SQLITE_BUSY: database is locked');
        }
        return readModels.prepareVersion(projection, version);
      },
    };
    projections = createProjections({
      eventStore,
      readModels: flaky,
      logger: createLogger('silent'),
      projections: [postsProjection],
      versionCheckIntervalMs: 0,
    });
    await readModels.start();
    await projections.start();
    await append(1);
    await projections.caughtUp();
    await readModels.prepareVersion('posts', 2);
    await readModels.activateVersion('posts', 2);
  });
  afterEach(async () => {
    await projections.stop();
    await readModels.close();
    await eventStore.close();
  });

  it('When the new version fails to start, then the check fails, v1 keeps being maintained, and the next check switches', async () => {
    v2FailuresLeft = 1;
    await expect(projections.syncActiveVersions()).rejects.toThrow('SQLITE_BUSY');
    expect(versionsRunning()).toEqual([[1, expect.stringMatching(/catching_up|live/)]]);
    expect(await projections.waitForPosition(await append(2), 5000)).toBe(true);

    await projections.syncActiveVersions();
    expect(versionsRunning()).toEqual([[2, expect.stringMatching(/catching_up|live/)]]);
    expect(await projections.waitForPosition(await append(3), 5000)).toBe(true);
    expect(await readModels.readCheckpoint('posts', 2)).toBeDefined();
  });
});
