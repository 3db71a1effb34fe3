import { createAdminApi } from './adminApi';
import { createHttp, type HttpOptions } from './http';
import { createMobileApi } from './mobileApi';
import { createPaging } from './paging';
import { createRealtime, type Realtime, type RealtimeOptions } from './realtime/realtimeClient';

export type ClientOptions = HttpOptions &
  Pick<RealtimeOptions, 'cursors' | 'syncLimit' | 'ackTimeoutMs' | 'socketOptions'>;

/**
 * The communication backend's client: `mobile` and `admin` REST (typed, idempotent
 * retries), `paging` (cursors as async iterators) and `realtime` (rooms that resync
 * after every reconnect; the socket opens on the first subscription).
 */
export const createClient = (options: ClientOptions) => {
  const http = createHttp(options);
  const mobile = createMobileApi(http);
  let realtime: Realtime | undefined;
  return {
    mobile,
    admin: createAdminApi(http),
    paging: createPaging(mobile),
    get realtime(): Realtime {
      realtime ??= createRealtime({
        url: options.baseUrl,
        getToken: options.getToken ?? (() => undefined),
        api: mobile,
        cursors: options.cursors,
        syncLimit: options.syncLimit,
        ackTimeoutMs: options.ackTimeoutMs,
        socketOptions: options.socketOptions,
      });
      return realtime;
    },
    close: () => realtime?.close(),
  };
};

export type Client = ReturnType<typeof createClient>;
export { ApiError, NetworkError, type ApiErrorCode } from './errors';
export { createHttp, type Http, type HttpOptions, type RequestSpec, type TokenProvider } from './http';
export { createMobileApi, type CallOptions, type MobileApi } from './mobileApi';
export { createAdminApi, type AdminApi } from './adminApi';
export { createPaging, type Paging } from './paging';
export { createRealtime, type Realtime, type RealtimeOptions } from './realtime/realtimeClient';
export { createMemoryCursorStore, type CursorStore } from './realtime/cursorStore';
export type * from './realtime/roomTypes';
export type * from './contractTypes';
