/**
 * An immutable map from numeric ids to values, split into buckets so that a pure
 * `evolve` can add or change one entry by copying one bucket instead of the whole
 * map (a channel with 100k posts would otherwise copy 100k entries per event).
 */
export type BucketMap<Key extends number | string, Value> = Readonly<Record<number, ReadonlyMap<Key, Value>>>;

const BUCKETS = 256;

export const emptyBucketMap = <Key extends number | string, Value>(): BucketMap<Key, Value> => ({});

const bucketOf = (key: number | string): number => {
  if (typeof key === 'number') return key % BUCKETS;
  let hash = 0;
  for (let i = 0; i < key.length; i++) hash = (hash * 31 + key.charCodeAt(i)) >>> 0;
  return hash % BUCKETS;
};

export const getEntry = <Key extends number | string, Value>(map: BucketMap<Key, Value>, key: Key): Value | undefined => map[bucketOf(key)]?.get(key);

export const setEntry = <Key extends number | string, Value>(
  map: BucketMap<Key, Value>,
  key: Key,
  value: Value,
): BucketMap<Key, Value> => {
  const bucket = new Map<Key, Value>(map[bucketOf(key)] ?? []);
  bucket.set(key, value);
  return { ...map, [bucketOf(key)]: bucket };
};

/** Applies `change` to an existing entry; returns the map unchanged when the key is absent. */
export const updateEntry = <Key extends number | string, Value>(
  map: BucketMap<Key, Value>,
  key: Key,
  change: (value: Value) => Value,
): BucketMap<Key, Value> => {
  const current = getEntry(map, key);
  return current === undefined ? map : setEntry(map, key, change(current));
};
