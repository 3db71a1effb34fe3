/** The ids delivered lately, to drop duplicates (a sync page overlapping live events); bounded, oldest forgotten first. */
export const createSeenIds = (limit = 5000) => {
  const seen = new Set<string>();
  const order: string[] = [];
  return {
    /** Remembers `id`; false when it was already there. */
    add: (id: string): boolean => {
      if (seen.has(id)) return false;
      seen.add(id);
      order.push(id);
      if (order.length > limit) seen.delete(order.shift() as string);
      return true;
    },
  };
};
