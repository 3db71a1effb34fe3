import type { Document, ReadModelWriter } from './readModelStore';
import { columnValue } from './sqliteQuery';
import type { TableStatements } from './sqliteTableStatements';

type Pending = {
  /** undefined: absent (read so) or deleted in this batch. */
  doc: Document | undefined;
  position: bigint;
  /** Changed in this batch (else only a cached read). */
  dirty: boolean;
  /** Deleted in this batch before its last put: the stored row goes first, as it did. */
  deleteFirst: boolean;
};

/** `find` inside an optimistic batch: the batch runs again inside a transaction (see `sqliteBatches`). */
export class NeedsTransaction extends Error {
  constructor() {
    super('find inside a read-model batch runs in a transaction');
    this.name = 'NeedsTransaction';
  }
}

/** True when `error`, or an error it wraps (`cause`), is a `NeedsTransaction`. */
export const needsTransaction = (error: unknown): boolean => {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    if (current instanceof NeedsTransaction) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
};

/**
 * One batch's changes held in memory: reads see the batch's own writes first, then the
 * stored rows (read once, then cached); repeated puts of a document coalesce into one row
 * write at the batch's end, with the position of its last put. A batch of thousands of
 * events then writes each document it touched once, and does its reading and projection
 * work before it takes the write lock.
 *
 * Documents are kept as handed over, not copied: projections treat documents as values
 * (see `Projection`), and a read back in the same batch is the object that was put.
 */
export const createPendingChanges = (table: (collection: string) => TableStatements) => {
  const collections = new Map<string, Map<string, Pending>>();
  let dirtyCount = 0;

  const entriesOf = (collection: string): Map<string, Pending> => {
    let entries = collections.get(collection);
    if (!entries) {
      entries = new Map();
      collections.set(collection, entries);
    }
    return entries;
  };

  const change = (collection: string, key: string, doc: Document | undefined, position: bigint) => {
    const entries = entriesOf(collection);
    const before = entries.get(key);
    if (!before?.dirty) dirtyCount++;
    const deletedBefore = before?.dirty === true && (before.doc === undefined || before.deleteFirst);
    entries.set(key, { doc, position, dirty: true, deleteFirst: doc !== undefined && deletedBefore });
  };

  const writer: ReadModelWriter = {
    get: async <T extends Document>(collection: string, key: string) => {
      const entries = entriesOf(collection);
      const pending = entries.get(key);
      if (pending) return pending.doc as T | undefined;
      const row = table(collection).get.get(key) as { doc: string } | undefined;
      const doc = row ? (JSON.parse(row.doc) as T) : undefined;
      entries.set(key, { doc, position: 0n, dirty: false, deleteFirst: false });
      return doc;
    },
    find: async () => {
      throw new NeedsTransaction();
    },
    put: async (collection, key, doc, position) => change(collection, key, doc, position),
    delete: async (collection, key) => change(collection, key, undefined, 0n),
  };

  /** Writes every changed document once; call inside the batch's transaction. */
  const flush = () => {
    for (const [collection, entries] of collections) {
      const { put, remove, fields } = table(collection);
      for (const [key, pending] of entries) {
        if (!pending.dirty) continue;
        const { doc } = pending;
        if (doc === undefined || pending.deleteFirst) remove.run(key);
        if (doc !== undefined)
          put.run(key, JSON.stringify(doc), pending.position, ...fields.map((field) => columnValue(doc[field])));
      }
    }
  };

  return { writer, flush, changed: () => dirtyCount };
};
