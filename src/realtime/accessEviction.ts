import { collections, type ChannelDoc } from '../projections/documents';
import type { ReadModelStore } from '../readModels/readModelStore';
import type { Logger } from '../logger';
import type { AccessChange } from './accessChanges';
import {
  ACCESS_REVOKED_EVENT,
  channelPostsRoom,
  discussionMessagesRoom,
  parseRoom,
  type AccessRevokedNotice,
  type GatewayServer,
  type GatewaySocket,
} from './realtimeContract';
import type { RoomAccess } from './roomAccess';
import type { SocketTimers } from './socketTimers';

export type AccessEvictionDeps = {
  io: GatewayServer;
  roomAccess: RoomAccess;
  readModels: Pick<ReadModelStore, 'get'>;
  timers: SocketTimers;
  /** Resolves true once the read models the access decision reads include `position`. */
  waitForReadModels: (position: bigint) => Promise<boolean>;
  socketsOfUser: (userId: string) => GatewaySocket[];
  /** The channel a room belongs to, as remembered when a socket joined it. */
  channelIdOf: (room: string) => number | null;
  now: () => Date;
  logger: Logger;
  newEventId: () => string;
};

const roomsOf = (socket: GatewaySocket): string[] => [...socket.rooms].filter((room) => parseRoom(room) !== undefined);

/**
 * Removes sockets from rooms their user can no longer read, driven by the same log
 * subscription that emits deltas (and by timers at a grant's `validUntil`). The
 * re-check runs the join decision again once the read models include the triggering
 * event, so eviction and join can never disagree; when that cannot be confirmed the
 * socket is evicted (fail closed) and may simply join again.
 */
export const createAccessEviction = (deps: AccessEvictionDeps) => {
  const { io } = deps;
  // Bumped whenever sockets are collected for a re-check; a join in flight re-checks if it moved.
  let epoch = 0;

  const localSocketsIn = (room: string): GatewaySocket[] =>
    [...(io.of('/').adapter.rooms.get(room) ?? [])]
      .map((id) => io.of('/').sockets.get(id))
      .filter((socket): socket is GatewaySocket => socket !== undefined);

  const evict = (socket: GatewaySocket, room: string, reason: string, eventId: string): void => {
    const ref = parseRoom(room);
    if (!ref || !socket.rooms.has(room)) return;
    void socket.leave(room);
    deps.timers.cancel(socket.id, room);
    const notice: AccessRevokedNotice = {
      eventId,
      eventType: ACCESS_REVOKED_EVENT,
      occurredAt: deps.now().toISOString(),
      data: {
        room,
        channelId: ref.kind === 'channelPosts' ? ref.channelId : deps.channelIdOf(room),
        discussionId: ref.kind === 'discussion' ? ref.discussionId : null,
        reason,
      },
    };
    socket.emit(ACCESS_REVOKED_EVENT, notice);
  };

  /** Re-runs the join decision for one room of some sockets of one user; evicts on denial. */
  const recheck = async (userId: string, room: string, sockets: GatewaySocket[], eventId: string): Promise<void> => {
    const ref = parseRoom(room);
    if (!ref) return;
    try {
      const decision = await deps.roomAccess.room(ref, userId);
      if (!decision.allowed) {
        sockets.forEach((socket) => evict(socket, room, decision.reason, eventId));
        return;
      }
      sockets.forEach((socket) => scheduleRecheck(socket, room, decision.recheckAt));
    } catch (error) {
      deps.logger.warn({ err: error, userId, room }, 'access re-check failed; evicting');
      sockets.forEach((socket) => evict(socket, room, 'ACCESS_RECHECK_FAILED', eventId));
    }
  };

  const scheduleRecheck = (socket: GatewaySocket, room: string, at: number | null): void => {
    if (at === null) return deps.timers.cancel(socket.id, room);
    const userId = socket.data.principal?.userId;
    if (userId === undefined) return;
    deps.timers.schedule(socket.id, room, at, () => {
      void recheck(userId, room, [socket], deps.newEventId());
    });
  };

  /** Groups sockets by (user, room) so each user is decided once per room. */
  const recheckAll = async (pairs: Array<{ socket: GatewaySocket; room: string }>, eventId: string): Promise<void> => {
    const groups = new Map<string, { userId: string; room: string; sockets: GatewaySocket[] }>();
    for (const { socket, room } of pairs) {
      // Only authenticated sockets ever join a room.
      const userId = socket.data.principal?.userId;
      if (userId === undefined) continue;
      const key = `${userId}\u0000${room}`;
      const group = groups.get(key) ?? { userId, room, sockets: [] };
      group.sockets.push(socket);
      groups.set(key, group);
    }
    await Promise.all([...groups.values()].map((group) => recheck(group.userId, group.room, group.sockets, eventId)));
  };

  const affectedBy = async (change: AccessChange): Promise<Array<{ socket: GatewaySocket; room: string }>> => {
    switch (change.scope) {
      case 'user':
        return deps.socketsOfUser(change.userId).flatMap((socket) => roomsOf(socket).map((room) => ({ socket, room })));
      case 'discussionUser': {
        const room = discussionMessagesRoom(change.discussionId);
        return deps
          .socketsOfUser(change.userId)
          .filter((socket) => socket.rooms.has(room))
          .map((socket) => ({ socket, room }));
      }
      case 'discussion': {
        const room = discussionMessagesRoom(change.discussionId);
        return localSocketsIn(room).map((socket) => ({ socket, room }));
      }
      case 'channel': {
        const channel = await deps.readModels.get<ChannelDoc>(collections.channels, String(change.channelId));
        const rooms = [channelPostsRoom(change.channelId)];
        if (channel?.discussionId) rooms.push(discussionMessagesRoom(channel.discussionId));
        return rooms.flatMap((room) => localSocketsIn(room).map((socket) => ({ socket, room })));
      }
      default: {
        const unexpected: never = change;
        return unexpected;
      }
    }
  };

  /** Called by the log subscription for an event that may change access; resolves once evictions are done. */
  const onAccessChange = async (change: AccessChange, position: bigint, eventId: string): Promise<void> => {
    const current = await deps.waitForReadModels(position);
    const pairs = await affectedBy(change);
    epoch += 1;
    if (pairs.length === 0) return;
    if (!current) {
      deps.logger.warn({ position: position.toString() }, 'read models behind; evicting affected sockets');
      pairs.forEach(({ socket, room }) => evict(socket, room, 'ACCESS_RECHECK_FAILED', eventId));
      return;
    }
    await recheckAll(pairs, eventId);
  };

  return { onAccessChange, scheduleRecheck, currentEpoch: () => epoch };
};

export type AccessEviction = ReturnType<typeof createAccessEviction>;
