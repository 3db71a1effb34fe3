import type { DeliveryLog } from './deliveryLog';
import type { PushSender } from './pushSender';

/** The default sender: pushes nowhere, records each delivery in the delivery log. */
export const createRecordingSender = (log: DeliveryLog, now: () => Date): PushSender => ({
  send: (delivery) => log.record(delivery, now()),
});
