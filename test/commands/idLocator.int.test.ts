import path from 'node:path';
import { createIdLocator, type IdLocator } from '../../src/commands/idLocator';
import type { EventStore, ReadAllOptions } from '../../src/eventStore/eventStore';
import { createSqliteEventStore } from '../../src/eventStore/sqlite';
import { createLogger } from '../../src/logger';
import { discussionMessagesProjection } from '../../src/projections/discussionMessagesProjection';
import { createAppliedIds } from '../../src/projections/appliedIds';
import { createProjections, type Projections } from '../../src/projections/projections';
import { postsProjection } from '../../src/projections/postsProjection';
import type { ReadModelStore } from '../../src/readModels/readModelStore';
import { createSqliteReadModelStore } from '../../src/readModels/sqlite';
import { makeTempDir } from '../helpers/testApp';
import { messagePosted, postPublished, streamOf, toNewEvent } from '../projections/projectionFixtures';

type Typed = { type: string; data: unknown };

describe('Given the posts and messages read models, their projections and the log', () => {
  let eventStore: EventStore;
  let readModels: ReadModelStore;
  let projections: Projections;
  let locator: IdLocator;
  /** Every readAll the locator makes, as it asked for it. */
  let logReads: ReadAllOptions[];

  const append = async (...events: Typed[]) => {
    let position = 0n;
    for (const event of events)
      position = (await eventStore.appendToStream(streamOf(event), [toNewEvent(event)])).position;
    return position;
  };
  const appendApplied = async (...events: Typed[]) => {
    const position = await append(...events);
    expect(await projections.waitForPosition(position, 5000)).toBe(true);
  };
  const appliedPosition = (name: string) =>
    projections.status().find((status) => status.name === name)?.appliedPosition;

  beforeEach(async () => {
    const dir = makeTempDir('locator-');
    eventStore = createSqliteEventStore({ path: path.join(dir, 'events.sqlite') });
    readModels = createSqliteReadModelStore({ path: path.join(dir, 'readmodels.sqlite') });
    projections = createProjections({
      eventStore,
      readModels,
      logger: createLogger('silent'),
      projections: [postsProjection, discussionMessagesProjection],
      versionCheckIntervalMs: 0,
    });
    await readModels.start();
    await projections.start();
    logReads = [];
    const countingLog = {
      readAll: (options?: ReadAllOptions) => {
        logReads.push(options ?? {});
        return eventStore.readAll(options);
      },
    };
    locator = createIdLocator({ eventStore: countingLog, appliedIds: createAppliedIds({ readModels, projections }) });
  });
  afterEach(async () => {
    await projections.stop();
    await readModels.close();
    await eventStore.close();
  });

  it('When locating a post or message its projection has applied, then the read model answers and the log is not read', async () => {
    await appendApplied(postPublished(3, 11), postPublished(4, 12), messagePosted(3, 30, 7));
    expect(await locator.channelOfPost(11)).toBe(3);
    expect(await locator.channelOfPost(12)).toBe(4);
    expect(await locator.discussionOfMessage(7)).toBe(30);
    expect(logReads).toEqual([]);
  });

  it('When the projection has not applied a post yet (another process just appended it), then it is found in the log after the projection position', async () => {
    await appendApplied(postPublished(3, 11));
    const applied = appliedPosition('posts');
    await projections.stop();
    await append(postPublished(5, 20), messagePosted(5, 50, 8));
    expect(await locator.channelOfPost(20)).toBe(5);
    expect(await locator.discussionOfMessage(8)).toBe(50);
    expect(logReads.map((read) => read.after)).toEqual([applied, appliedPosition('discussionMessages')]);
  });

  it('When an id was never published, then it is not found, reading only the log after the projection position', async () => {
    await appendApplied(postPublished(3, 11), messagePosted(3, 30, 7));
    expect(await locator.channelOfPost(999)).toBeUndefined();
    expect(await locator.discussionOfMessage(999)).toBeUndefined();
    expect(logReads).toHaveLength(2);
    expect(logReads.every((read) => read.after === appliedPosition('posts'))).toBe(true);
  });
});
