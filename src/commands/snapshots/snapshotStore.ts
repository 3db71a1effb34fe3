/**
 * Snapshots of command-side states (port). An optimisation only: the stream stays the
 * source of truth, and the command handler falls back to it whenever a snapshot is
 * missing, of another format version, corrupt, or does not match the stream.
 */
export type Snapshot = {
  streamName: string;
  /** Revision of the last event folded into the state. */
  revision: bigint;
  /** Id of that event: a snapshot whose event is not at its revision in the stream is void. */
  eventId: string;
  /** The codec's version: a state of another shape is never decoded. */
  version: string;
  /** The encoded state, as JSON text. */
  state: string;
  /** SHA-256 of `state`: a damaged row is noticed before it is decoded. */
  checksum: string;
};

export type SnapshotStore = {
  load(streamName: string): Promise<Snapshot | undefined>;
  /** Keeps the snapshot of the highest revision: a save of an older one changes nothing. */
  save(snapshot: Snapshot): Promise<void>;
  close(): Promise<void>;
};

/** Turns a state into plain JSON and back; bump `version` whenever the state's shape changes. */
export type SnapshotCodec<State> = {
  version: string;
  encode: (state: State) => unknown;
  /** Throws on a value that is not a state of this version. */
  decode: (value: unknown) => State;
};

export type Snapshots<State> = {
  store: SnapshotStore;
  codec: SnapshotCodec<State>;
  /** A snapshot is written once the state is this many events past the last one. */
  every: number;
  onError?: (error: unknown) => void;
};
