import { createProjectionCatalog, type ProjectionCatalog } from './projectionCatalog';
import type { CollectionSpec } from './readModelStore';

const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** The version queries read until a rebuild switches one. */
export const FIRST_VERSION = 1;

/** The table (SQLite) or collection (MongoDB) that holds one version of a read-model collection. */
export const versionedName = (collection: string, version: number): string => {
  if (!NAME.test(collection)) throw new RangeError(`Not a collection name: ${collection}`);
  return `rm_${collection}_v${version}`;
};

export type VersionInfo = { version: number; checkpoint: bigint | undefined; active: boolean };

export type VersionedCollections = ProjectionCatalog & {
  /** Every collection of a projection at one version, with the name it is stored under. */
  collectionsAt: (projection: string, version: number) => Array<CollectionSpec & { stored: string }>;
  /** The stored name of a collection in its projection's version. */
  storedName: (collection: string, version: number) => string;
  /** The active version read within the last `cacheMs`, else undefined (read it and `remember` it). */
  cachedActive: (projection: string) => number | undefined;
  remember: (projection: string, version: number) => number;
  /** Forgets one projection's cached active version (it was just switched), or all of them. */
  forget: (projection?: string) => void;
  /** Refuses to drop the version queries read. */
  assertDroppable: (projection: string, version: number, active: number) => void;
  describe: (rows: Array<{ version: number; checkpoint: bigint | undefined }>, active: number) => VersionInfo[];
};

/**
 * What both read-model adapters share about versions: which projection owns each
 * collection, how a (collection, version) is named, and a short-lived cache of each
 * projection's active version. The cache is per process and only trusted for `cacheMs`,
 * because another process (a rebuild) may switch the version at any time.
 */
export const createVersionedCollections = (cacheMs: number, now: () => number = Date.now): VersionedCollections => {
  const catalog = createProjectionCatalog();
  const active = new Map<string, { version: number; readAt: number }>();
  return {
    ...catalog,
    collectionsAt: (projection, version) =>
      catalog
        .specOf(projection)
        .collections.map((collection) => ({ ...collection, stored: versionedName(collection.name, version) })),
    storedName: versionedName,
    cachedActive: (projection) => {
      const cached = active.get(projection);
      return cached && now() - cached.readAt < cacheMs ? cached.version : undefined;
    },
    remember: (projection, version) => {
      active.set(projection, { version, readAt: now() });
      return version;
    },
    forget: (projection) => (projection === undefined ? active.clear() : void active.delete(projection)),
    assertDroppable: (projection, version, activeVersion) => {
      if (version === activeVersion) {
        throw new RangeError(`Version ${version} of ${projection} is active and cannot be dropped`);
      }
    },
    describe: (rows, activeVersion) => rows.map((row) => ({ ...row, active: row.version === activeVersion })),
  };
};
