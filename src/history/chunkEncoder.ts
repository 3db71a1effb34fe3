/** Room for one page of a typical export (a few hundred bytes per event). */
const DEFAULT_CAPACITY = 1024 * 1024;

/**
 * Encodes many short strings into few large UTF-8 buffers. `Buffer.from` on one big
 * concatenated string (what a Writable does with a string chunk) costs several times the
 * encoding of each line straight into a buffer, and an export writes tens of MB.
 */
export const createChunkEncoder = (capacity = DEFAULT_CAPACITY) => {
  const full: Buffer[] = [];
  let buffer = Buffer.allocUnsafe(capacity);
  let used = 0;

  const seal = () => {
    if (used > 0) full.push(buffer.subarray(0, used));
    buffer = Buffer.allocUnsafe(capacity);
    used = 0;
  };

  return {
    add: (text: string) => {
      // A UTF-16 code unit takes at most 3 bytes in UTF-8.
      if (text.length * 3 > capacity - used) {
        seal();
        if (text.length * 3 > capacity) return void full.push(Buffer.from(text));
      }
      used += buffer.write(text, used);
    },
    /** Every buffer filled so far, the current one included; the encoder starts afresh. */
    take: (): Buffer[] => {
      seal();
      return full.splice(0);
    },
  };
};
