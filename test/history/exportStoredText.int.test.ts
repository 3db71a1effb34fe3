import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { v7 as uuidv7 } from 'uuid';
import type { DiscussionMessageEditedV1 } from '../../src/commands/discussion/discussionEventsV1';
import type { EventStore, NewEvent, RecordedEvent } from '../../src/eventStore/eventStore';
import { createSqliteEventStore } from '../../src/eventStore/sqlite';
import { withEventVersions } from '../../src/eventStore/versionedEventStore';
import { eventVersions } from '../../src/eventVersions/eventVersions';
import { exportEvents, type ExportFormat } from '../../src/history/exportEvents';
import { toExportRecord } from '../../src/history/exportFormats';
import { csvStringifyReference } from './csvStringifyReference';

// Exports write data and metadata as the SQLite store read them (src/eventStore/storedEvent.ts):
// the text must be exactly what encoding the events a reader sees gives, upcast ones included.

const awkward = ['plain', 'a,b', 'say "hi"', 'two\nlines', 'cr\ronly', '', 'é ü 💬', '\u2028', '\\ back'];

const postWith = (text: string, index: number): NewEvent => ({
  id: uuidv7(),
  type: 'PostPublished',
  data: { bodyText: text, nested: { list: [1, null, text], n: 1.5, big: 1e21 }, postId: index },
  metadata: { actor: { type: 'admin', id: text }, correlationId: text, causationId: 'c', schemaVersion: 1 },
});

const editV1: DiscussionMessageEditedV1 = {
  messageId: 7,
  discussionId: 3,
  channelId: 1,
  body: 'edited "once"',
  editedByUserId: 'alice',
  editedByAdminId: null,
  editedAt: '2026-03-17T10:01:00.000Z',
};

const exported = async (store: EventStore, format: ExportFormat): Promise<string> => {
  const chunks: Buffer[] = [];
  const out = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  await exportEvents(store, { source: { kind: 'log' } }, { format, out, pageSize: 4 });
  return Buffer.concat(chunks).toString('utf8');
};

describe('Given a SQLite log of posts with awkward strings and a message edit written in schema version 1', () => {
  let dir: string;
  let store: EventStore;
  let seen: RecordedEvent[];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'export-stored-'));
    const file = path.join(dir, 'events.sqlite');
    // Written without the event versions, as a release before version 2 wrote it.
    const writer = createSqliteEventStore({ path: file });
    await writer.appendToStream('channel-1', awkward.map(postWith));
    await writer.appendToStream('discussion-3', [
      {
        id: uuidv7(),
        type: 'DiscussionMessageEdited',
        data: editV1,
        metadata: { actor: { type: 'user', id: 'alice' }, correlationId: 'x', causationId: 'y' },
      },
    ]);
    await writer.close();
    store = withEventVersions(createSqliteEventStore({ path: file }), eventVersions);
    seen = await store.readAll({ maxCount: 100 });
    expect(seen).toHaveLength(awkward.length + 1);
  });

  afterAll(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('When exported as NDJSON, then each line is exactly JSON.stringify of the export record of the event as readers see it', async () => {
    const lines = (await exported(store, 'ndjson')).split(/(?<=\n)/);
    expect(lines).toEqual(seen.map((event) => `${JSON.stringify(toExportRecord(event))}\n`));
    const edit = JSON.parse(lines[lines.length - 1]) as { data: Record<string, unknown>; metadata: object };
    expect(edit.data).toStrictEqual({
      messageId: 7,
      discussionId: 3,
      channelId: 1,
      body: 'edited "once"',
      editedBy: { type: 'USER', id: 'alice' },
      editedAt: '2026-03-17T10:01:00.000Z',
    });
    expect(edit.metadata).toEqual({
      actor: { type: 'user', id: 'alice' },
      correlationId: 'x',
      causationId: 'y',
      schemaVersion: 2,
    });
  });

  it("When read, then each event lists the same keys, in the same order, as the other stores' events", () => {
    expect(Object.keys(seen[0])).toEqual([
      'id',
      'type',
      'data',
      'metadata',
      'streamName',
      'revision',
      'position',
      'recordedAt',
    ]);
  });

  it('When exported as CSV, then the text is exactly what csv-stringify writes for the events as readers see them', async () => {
    expect(await exported(store, 'csv')).toBe(csvStringifyReference(seen));
    expect(await exported(store, 'csv')).toContain('""editedBy"":{""type"":""USER"",""id"":""alice""}');
  });
});
