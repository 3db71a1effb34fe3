import { resolveMediaUrl } from '../../src/media/mediaUrl';
import { isSafeStorageKey } from '../../src/media/storageKey';

describe('Given a media base URL and an attachment storage key', () => {
  it.each([
    ['https://cdn.example.com/', 'posts/a.png', 'https://cdn.example.com/posts/a.png'],
    ['https://cdn.example.com/media', 'posts/a.png', 'https://cdn.example.com/media/posts/a.png'],
    ['https://cdn.example.com/media/', '/posts//a.png', 'https://cdn.example.com/media/posts/a.png'],
    ['https://cdn.example.com/', 'posts/my chart #1.png', 'https://cdn.example.com/posts/my%20chart%20%231.png'],
    ['https://cdn.example.com/', 'a?x=1/b:c', 'https://cdn.example.com/a%3Fx%3D1/b%3Ac'],
  ])('When resolving under %s the key %s, then the url is %s', (base, key, expected) => {
    expect(resolveMediaUrl(base, key)).toBe(expected);
  });

  it.each([
    ['../../tenant-b/secret.png'],
    ['..\\..\\tenant-b\\secret.png'],
    ['%2e%2e/%2e%2e/tenant-b/secret.png'],
    ['./../x/../../y.png'],
    ['//evil.example/a.png'],
  ])('When a stored key (from before keys were checked) is %j, then the url stays under the base', (key) => {
    const url = resolveMediaUrl('https://cdn.example.com/tenant-a/media/', key);
    expect(url).not.toBeNull();
    expect(new URL(url as string).origin).toBe('https://cdn.example.com');
    expect(new URL(url as string).pathname.startsWith('/tenant-a/media/')).toBe(true);
  });
});

describe('Given the storage key rule', () => {
  it.each([['posts/a.png'], ['a..b/c.png'], ['.hidden/a'], ['2026/11/30/chart-1@2x.png'], ['ünïcode/ä.png']])(
    'When the key is %j, then it is accepted',
    (key) => expect(isSafeStorageKey(key)).toBe(true),
  );
  it.each([
    ['..'],
    ['.'],
    ['a/..'],
    ['a/./b'],
    ['/a'],
    ['a\\b'],
    ['a//b'],
    ['a/'],
    ['http:a'],
    ['a\tb'],
    ['a\u007fb'],
    [''],
  ])('When the key is %j, then it is refused', (key) => expect(isSafeStorageKey(key)).toBe(false));
});
