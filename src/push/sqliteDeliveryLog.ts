import type Database from 'better-sqlite3';
import type { DeliveryLog, RecordedDelivery } from './deliveryLog';

/** Recorded deliveries in the embedded push SQLite file. */
export const createSqliteDeliveryLog = (db: Database.Database): DeliveryLog => {
  const upsert = db.prepare(
    `INSERT INTO push_deliveries (post_id, user_id, channel_id, delivery_id, delivered_at, times)
     VALUES (?, ?, ?, ?, ?, 1)
     ON CONFLICT (post_id, user_id) DO UPDATE SET times = times + 1`,
  );
  const list = db.prepare('SELECT user_id AS userId, times FROM push_deliveries WHERE post_id = ? ORDER BY user_id');
  const count = db.prepare('SELECT COUNT(*) FROM push_deliveries WHERE post_id = ?').pluck();
  const record = db.transaction(
    (postId: number, channelId: number, deliveryId: string, at: string, userIds: string[]) => {
      userIds.forEach((userId) => upsert.run(postId, userId, channelId, deliveryId, at));
    },
  );
  return {
    record: async (delivery, deliveredAt) =>
      record(delivery.postId, delivery.channelId, delivery.deliveryId, deliveredAt.toISOString(), delivery.userIds),
    listDeliveries: async (postId) => list.all(postId) as RecordedDelivery[],
    countDeliveries: async (postId) => count.get(postId) as number,
  };
};
