type Pending<Item, Outcome> = { item: Item; resolve: (outcome: Outcome) => void; reject: (error: unknown) => void };

export type BatchPipeline<Item, Outcome> = {
  submit: (item: Item) => Promise<Outcome>;
  /** Resolves once nothing is queued or in flight. */
  drained: () => Promise<void>;
  /** True while a batch is committing (sent, its outcomes not yet handed out). */
  inFlight: () => boolean;
};

/**
 * Pipelined batches: one batch in flight at a time, and every item submitted meanwhile
 * joins the next batch, sent the moment the previous one is done. Items submitted in one
 * tick share a batch. `commit` answers each item of a batch with an outcome, in order;
 * `onCommitted` hears of a batch before its submitters do. A failed `commit` fails every
 * item of its batch.
 */
export const createBatchPipeline = <Item, Outcome>(options: {
  commit: (items: Item[]) => Promise<Outcome[]>;
  onCommitted?: (items: Item[], outcomes: Outcome[]) => void;
}): BatchPipeline<Item, Outcome> => {
  let queue: Array<Pending<Item, Outcome>> = [];
  let inFlight = false;
  let sendScheduled = false;
  let idleWaiters: Array<() => void> = [];

  const send = () => {
    sendScheduled = false;
    if (inFlight) return;
    if (queue.length === 0) {
      idleWaiters.forEach((resolve) => resolve());
      idleWaiters = [];
      return;
    }
    const batch = queue;
    queue = [];
    inFlight = true;
    const items = batch.map((pending) => pending.item);
    options.commit(items).then(
      (outcomes) => {
        inFlight = false;
        send();
        options.onCommitted?.(items, outcomes);
        batch.forEach((pending, index) => pending.resolve(outcomes[index]));
      },
      (error: unknown) => {
        inFlight = false;
        send();
        batch.forEach((pending) => pending.reject(error));
      },
    );
  };

  const submit = (item: Item) =>
    new Promise<Outcome>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      if (inFlight || sendScheduled) return;
      sendScheduled = true;
      // Items submitted in the same tick (the continuations of the previous batch) share a batch.
      process.nextTick(send);
    });

  const drained = () =>
    new Promise<void>((resolve) => {
      if (!inFlight && queue.length === 0) return resolve();
      idleWaiters.push(resolve);
    });

  return { submit, drained, inFlight: () => inFlight };
};
