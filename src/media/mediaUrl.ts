const DOT_SEGMENT = /^\.{1,2}$/;

/**
 * Where clients download an attachment: `storageKey` under the media base URL, each path
 * segment encoded. Keys are checked on input (storageKey.ts); events stored before that check
 * may still hold `.`/`..` or empty segments, which are dropped here. The result is built with
 * the URL API and must stay under the base; otherwise there is no URL (null).
 */
export const resolveMediaUrl = (mediaBaseUrl: string, storageKey: string): string | null => {
  const base = new URL(mediaBaseUrl.endsWith('/') ? mediaBaseUrl : `${mediaBaseUrl}/`);
  const path = storageKey
    .split(/[/\\]/)
    .filter((segment) => segment !== '' && !DOT_SEGMENT.test(segment))
    .map(encodeURIComponent)
    .join('/');
  // encodeURIComponent leaves no ":" "?" "#", so the relative reference cannot change scheme, host or query.
  const url = new URL(path, base);
  const under = url.origin === base.origin && url.pathname.startsWith(base.pathname) && url.search === base.search;
  return under ? url.href : null;
};
