import type { Fence, LeaseStore } from './leases';

/**
 * The read-model store port: a small document store that projections write and
 * queries read. Two adapters sit behind it: SQLite (embedded default) and MongoDB.
 *
 * Documents live in collections owned by one projection. A projection can exist in
 * several versions side by side (a rebuild writes version n+1 while queries read the
 * active version n); reads always go to the active version.
 *
 * Every write happens inside `applyBatch`, which stores the projection's checkpoint
 * in the same transaction as the documents, so a crash neither loses nor double-applies
 * an event. Each document also carries the position of the last event applied to it.
 */

export type CollectionSpec = {
  name: string;
  /** Compound indexes, as lists of document fields (queries filter/sort on these). */
  indexes: string[][];
};

export type ProjectionSpec = {
  name: string;
  collections: CollectionSpec[];
};

export type Scalar = string | number | boolean | null;

/** Equality, or a range / membership test on one field. */
export type Condition = Scalar | { gt?: Scalar; gte?: Scalar; lt?: Scalar; lte?: Scalar; in?: Scalar[] };

export type Query = {
  where?: Record<string, Condition>;
  orderBy?: Array<[field: string, direction: 'asc' | 'desc']>;
  limit?: number;
};

export type Document = Record<string, unknown>;

/** Writes of one batch; reads inside it see the batch's own earlier writes. */
export type ReadModelWriter = {
  get: <T extends Document>(collection: string, key: string) => Promise<T | undefined>;
  find: <T extends Document>(collection: string, query: Query) => Promise<T[]>;
  /** Inserts or replaces the document, unless the stored one was written at a later position. */
  put: (collection: string, key: string, doc: Document, position: bigint) => Promise<void>;
  delete: (collection: string, key: string) => Promise<void>;
};

export type ReadModelStore = {
  /** Connects, and creates the collections and indexes of every registered projection's active version. */
  start: () => Promise<void>;
  close: () => Promise<void>;
  /** Declares a projection; call before `start`. */
  register: (spec: ProjectionSpec) => void;

  /** Reads from the active version of the collection's projection. */
  get: <T extends Document>(collection: string, key: string) => Promise<T | undefined>;
  find: <T extends Document>(collection: string, query: Query) => Promise<T[]>;

  /** The version queries read (1 until a rebuild switches). */
  activeVersion: (projection: string) => Promise<number>;
  /** Every version that has collections, with its checkpoint. */
  listVersions: (
    projection: string,
  ) => Promise<Array<{ version: number; checkpoint: bigint | undefined; active: boolean }>>;
  /** Creates the collections and indexes of a version (idempotent). */
  prepareVersion: (projection: string, version: number) => Promise<void>;
  /** Makes `version` the one queries read, atomically. */
  activateVersion: (projection: string, version: number) => Promise<void>;
  /** Removes a version's collections and checkpoint; refuses the active version. */
  dropVersion: (projection: string, version: number) => Promise<void>;

  readCheckpoint: (projection: string, version: number) => Promise<bigint | undefined>;
  /** Most events one `applyBatch` should carry, when the store bounds a transaction (MongoDB: 60 s). */
  maxBatchEvents?: number;
  /**
   * Runs `write` and stores `position` (the batch's last event) as the checkpoint of
   * (projection, version) in one transaction. Does nothing when the checkpoint is
   * already at or past `position`. With a `fence`, the transaction first checks that the
   * lease is still held with that token and unexpired, and otherwise throws
   * `LeaseLostError` having written nothing.
   */
  applyBatch: (
    projection: string,
    version: number,
    position: bigint,
    write: (writer: ReadModelWriter) => Promise<void>,
    fence?: Fence,
  ) => Promise<void>;

  /** The leases of the roles that write to this store (see leases.ts). */
  leases: LeaseStore;
};
