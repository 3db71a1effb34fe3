import { createVersionedCollections, versionedName } from '../../src/readModels/versionedCollections';

describe('Given the versioned collections both read-model adapters share', () => {
  const spec = { name: 'posts', collections: [{ name: 'posts', indexes: [['channelId']] }] };

  it('When naming a collection version, then the name carries the version, and a name that is not an identifier is refused', () => {
    expect(versionedName('posts', 3)).toBe('rm_posts_v3');
    expect(() => versionedName('posts"; DROP', 1)).toThrow(RangeError);
  });

  it('When listing a projection at a version, then every collection comes with its stored name and its owner is known', () => {
    const versions = createVersionedCollections(1000);
    versions.register(spec);
    expect(versions.collectionsAt('posts', 2)).toEqual([{ ...spec.collections[0], stored: 'rm_posts_v2' }]);
    expect(versions.ownerOf('posts')).toBe('posts');
  });

  it('When the cached active version is older than the cache time, then it is no longer trusted; forgetting drops it at once', () => {
    let now = 0;
    const versions = createVersionedCollections(1000, () => now);
    versions.remember('posts', 2);
    now = 999;
    expect(versions.cachedActive('posts')).toBe(2);
    now = 1000;
    expect(versions.cachedActive('posts')).toBeUndefined();
    versions.remember('posts', 3);
    versions.forget('posts');
    expect(versions.cachedActive('posts')).toBeUndefined();
  });

  it('When dropping the active version, then it is refused; another version may go', () => {
    const versions = createVersionedCollections(1000);
    expect(() => versions.assertDroppable('posts', 2, 2)).toThrow(/active/);
    expect(() => versions.assertDroppable('posts', 1, 2)).not.toThrow();
  });
});
