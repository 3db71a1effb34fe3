import { streams } from '../commands/streams';
import { ForbiddenError, NotFoundError } from '../errors';
import type { Logger } from '../logger';
import type { AccessEviction } from './accessEviction';
import { acknowledged } from './acknowledge';
import type { PayloadValidators } from './clientPayloadSchemas';
import {
  channelPostsRoom,
  clientEvents,
  discussionMessagesRoom,
  type ClientToServerEvents,
  type GatewaySocket,
  type JoinedRoom,
  type SyncPayload,
  type SyncResult,
} from './realtimeContract';
import type { ReplayRequest } from './replayRoom';
import type { RoomAccess, RoomDecision, RoomGrant } from './roomAccess';
import type { SocketTimers } from './socketTimers';
import type { Admit } from './socketLimits';

export type ClientEventDeps = {
  roomAccess: RoomAccess;
  eviction: Pick<AccessEviction, 'scheduleRecheck' | 'currentEpoch'>;
  replay: (request: ReplayRequest) => Promise<SyncResult>;
  validators: PayloadValidators;
  timers: SocketTimers;
  rememberRoom: (grant: RoomGrant) => void;
  now: () => Date;
  logger: Logger;
  admit?: Admit;
  afterAnswer?: (socket: GatewaySocket) => void;
};

// A join racing with access changes re-decides this many times at most before refusing.
const MAX_JOIN_ATTEMPTS = 3;

const granted = (decision: RoomDecision): RoomGrant => {
  if (decision.allowed) return decision;
  if (decision.code === 'NOT_FOUND') throw new NotFoundError(decision.message);
  throw new ForbiddenError(decision.message, { reason: decision.reason });
};

/** Registers the six client events of the spec on one authenticated socket. */
export const registerClientEvents = (socket: GatewaySocket, deps: ClientEventDeps): void => {
  // The listeners parse their own arguments (payload, ack) so that malformed calls still get an answer.
  const on = (event: keyof ClientToServerEvents, listener: (...args: unknown[]) => Promise<void>) =>
    socket.on(event, listener);
  const base = { now: deps.now, logger: deps.logger, admit: deps.admit, afterAnswer: () => deps.afterAnswer?.(socket) };

  /**
   * Decides, joins, and decides again if an access change was processed meanwhile: an
   * eviction that scanned the room just before this socket entered it cannot miss it.
   */
  const join = async (decide: () => Promise<RoomDecision>): Promise<JoinedRoom> => {
    for (let attempt = 1; ; attempt += 1) {
      const epoch = deps.eviction.currentEpoch();
      const grant = granted(await decide());
      void socket.join(grant.room);
      deps.rememberRoom(grant);
      if (deps.eviction.currentEpoch() === epoch || attempt === MAX_JOIN_ATTEMPTS) {
        deps.eviction.scheduleRecheck(socket, grant.room, grant.recheckAt);
        return { room: grant.room, channelId: grant.channelId, discussionId: grant.discussionId };
      }
      void socket.leave(grant.room);
    }
  };

  const leave = (room: string) => {
    void socket.leave(room);
    deps.timers.cancel(socket.id, room);
    return { room };
  };

  const sync = async (userId: string, payload: SyncPayload & { limit: number }, decision: RoomDecision) => {
    const grant = granted(decision);
    const streamName =
      grant.discussionId === null ? streams.channel(grant.channelId) : streams.discussion(grant.discussionId);
    return deps.replay({
      room: grant.room,
      streamName,
      userId,
      sinceEventId: payload.sinceEventId,
      limit: payload.limit,
    });
  };

  // A socket's syncs run one after another (decision and read): with its whole in-flight
  // allowance reading at once, one socket took eight chunks of every event-loop turn.
  let syncsBefore: Promise<unknown> = Promise.resolve();
  const oneAtATime = <T>(run: () => Promise<T>): Promise<T> => {
    const result = syncsBefore.then(run);
    syncsBefore = result.catch(() => undefined);
    return result;
  };

  on(
    clientEvents.joinChannelPosts,
    acknowledged(
      socket,
      { ...base, event: clientEvents.joinChannelPosts },
      deps.validators.channel,
      (principal, payload) => join(() => deps.roomAccess.channelPosts(payload.channelId, principal.userId)),
    ),
  );
  on(
    clientEvents.leaveChannelPosts,
    acknowledged(
      socket,
      { ...base, event: clientEvents.leaveChannelPosts },
      deps.validators.channel,
      async (_p, payload) => leave(channelPostsRoom(payload.channelId)),
    ),
  );
  on(
    clientEvents.joinDiscussion,
    acknowledged(
      socket,
      { ...base, event: clientEvents.joinDiscussion },
      deps.validators.channel,
      (principal, payload) => join(() => deps.roomAccess.discussionOfChannel(payload.channelId, principal.userId)),
    ),
  );
  on(
    clientEvents.leaveDiscussion,
    acknowledged(
      socket,
      { ...base, event: clientEvents.leaveDiscussion },
      deps.validators.discussion,
      async (_p, payload) => leave(discussionMessagesRoom(payload.discussionId)),
    ),
  );
  on(
    clientEvents.syncChannelPosts,
    acknowledged(
      socket,
      { ...base, event: clientEvents.syncChannelPosts },
      deps.validators.sync,
      (principal, payload) =>
        oneAtATime(async () =>
          sync(principal.userId, payload, await deps.roomAccess.channelPosts(payload.channelId, principal.userId)),
        ),
    ),
  );
  on(
    clientEvents.syncDiscussion,
    acknowledged(socket, { ...base, event: clientEvents.syncDiscussion }, deps.validators.sync, (principal, payload) =>
      oneAtATime(async () =>
        sync(principal.userId, payload, await deps.roomAccess.discussionOfChannel(payload.channelId, principal.userId)),
      ),
    ),
  );
};
