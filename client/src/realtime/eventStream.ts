/** A push-fed async iterable: events wait in order until the app pulls them; `end` finishes the iteration. */
export type EventStream<T> = AsyncIterable<T> & {
  push: (item: T) => void;
  end: () => void;
};

export const createEventStream = <T>(): EventStream<T> => {
  const queued: T[] = [];
  const waiting: Array<(result: IteratorResult<T>) => void> = [];
  let ended = false;
  return {
    push: (item) => {
      if (ended) return;
      const next = waiting.shift();
      if (next) next({ value: item, done: false });
      else queued.push(item);
    },
    end: () => {
      ended = true;
      for (const next of waiting.splice(0)) next({ value: undefined, done: true });
    },
    [Symbol.asyncIterator]: () => ({
      next: () => {
        if (queued.length > 0) return Promise.resolve({ value: queued.shift() as T, done: false });
        if (ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise<IteratorResult<T>>((resolve) => waiting.push(resolve));
      },
      return: () => {
        ended = true;
        queued.length = 0;
        return Promise.resolve({ value: undefined, done: true });
      },
    }),
  };
};
