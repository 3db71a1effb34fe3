import { createHash } from 'node:crypto';
import type { EventStore, RecordedEvent } from '../../eventStore/eventStore';
import type { Snapshots } from './snapshotStore';

/** A stream's folded state as the command handler keeps it. */
export type Loaded<State> = {
  state: State;
  revision: bigint | undefined;
  position: bigint | undefined;
  /** Id of the event at `revision`: what a snapshot of this state names. */
  eventId?: string;
  /** Revision of the newest snapshot known to hold this stream (loaded or saved here). */
  snapshotRevision?: bigint;
  /** The store's freshness token taken before the read this state was caught up by. */
  freshAsOf?: number;
};

export const checksumOf = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * Where a stream's fold starts: its snapshot when one is usable, and when it is written.
 * A snapshot is usable when its version is the codec's, its checksum matches, it decodes,
 * and the stream holds its event id at its revision; anything else folds from the start.
 */
export const createSnapshotting = <State>(eventStore: Pick<EventStore, 'readStream'>, snapshots: Snapshots<State>) => {
  const { store, codec, every } = snapshots;
  const report = (error: unknown) => snapshots.onError?.(error);

  const decoded = (streamName: string, text: string): State | undefined => {
    try {
      return codec.decode(JSON.parse(text));
    } catch (error) {
      report(new Error(`Snapshot of ${streamName} does not decode: ${(error as Error).message}`));
      return undefined;
    }
  };

  /** The snapshot's state and the events after it, or undefined when there is no usable snapshot. */
  const restore = async (
    streamName: string,
  ): Promise<{ loaded: Loaded<State>; events: RecordedEvent[] } | undefined> => {
    const snapshot = await store.load(streamName).catch((error: unknown) => {
      report(error);
      return undefined;
    });
    if (!snapshot || snapshot.version !== codec.version) return undefined;
    if (checksumOf(snapshot.state) !== snapshot.checksum) {
      report(new Error(`Snapshot of ${streamName} is damaged (checksum)`));
      return undefined;
    }
    const state = decoded(streamName, snapshot.state);
    if (state === undefined) return undefined;
    const [at, ...after] = await eventStore.readStream(streamName, { fromRevision: snapshot.revision });
    if (at?.id !== snapshot.eventId || at.revision !== snapshot.revision) {
      report(new Error(`Snapshot of ${streamName} does not match the stream at revision ${snapshot.revision}`));
      return undefined;
    }
    const loaded = { state, revision: at.revision, position: at.position, eventId: at.id };
    return { loaded: { ...loaded, snapshotRevision: snapshot.revision }, events: after };
  };

  /** Saves a snapshot once the state is `every` events past the last one; returns what to remember. */
  const consider = (streamName: string, loaded: Loaded<State>): Loaded<State> => {
    const { revision, eventId } = loaded;
    if (revision === undefined || eventId === undefined) return loaded;
    if (revision - (loaded.snapshotRevision ?? -1n) < BigInt(every)) return loaded;
    try {
      const state = JSON.stringify(codec.encode(loaded.state));
      const snapshot = { streamName, revision, eventId, version: codec.version, state, checksum: checksumOf(state) };
      store.save(snapshot).catch(report);
    } catch (error) {
      report(error);
      return loaded;
    }
    return { ...loaded, snapshotRevision: revision };
  };

  return { restore, consider };
};

export type Snapshotting<State> = ReturnType<typeof createSnapshotting<State>>;
