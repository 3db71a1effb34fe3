/** Where clients download an attachment: `storageKey` under the media base URL, each path segment encoded. */
export const resolveMediaUrl = (mediaBaseUrl: string, storageKey: string): string => {
  const base = mediaBaseUrl.endsWith('/') ? mediaBaseUrl : `${mediaBaseUrl}/`;
  const path = storageKey
    .split('/')
    .filter((segment) => segment !== '')
    .map(encodeURIComponent)
    .join('/');
  return `${base}${path}`;
};
