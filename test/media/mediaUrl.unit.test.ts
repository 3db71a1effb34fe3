import { resolveMediaUrl } from '../../src/media/mediaUrl';

describe('Given a media base URL and an attachment storage key', () => {
  it.each([
    ['https://cdn.example.com/', 'posts/a.png', 'https://cdn.example.com/posts/a.png'],
    ['https://cdn.example.com/media', 'posts/a.png', 'https://cdn.example.com/media/posts/a.png'],
    ['https://cdn.example.com/media/', '/posts//a.png', 'https://cdn.example.com/media/posts/a.png'],
    ['https://cdn.example.com/', 'posts/my chart #1.png', 'https://cdn.example.com/posts/my%20chart%20%231.png'],
  ])('When resolving under %s the key %s, then the url is %s', (base, key, expected) => {
    expect(resolveMediaUrl(base, key)).toBe(expected);
  });
});
