/** Bounds for free-form JSON a client sends (a chart payload): nesting depth and encoded size. */
export type JsonBounds = { maxDepth: number; maxBytes: number };

export const CHART_PAYLOAD_BOUNDS: JsonBounds = { maxDepth: 32, maxBytes: 64 * 1024 };

/**
 * Why `value` breaks `bounds`, or null. Walks with an explicit stack, never recursion, and
 * never serialises the whole value: a value nested thousands deep is exactly what would
 * overflow the call stack of JSON.stringify later (in the event store's append).
 * The size is the length of the value's JSON encoding in UTF-8 bytes.
 */
export const jsonBoundsProblem = (value: unknown, bounds: JsonBounds): string | null => {
  const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 1 }];
  let bytes = 0;
  while (stack.length > 0) {
    const item = stack.pop() as { value: unknown; depth: number };
    const current = item.value;
    if (current !== null && typeof current === 'object') {
      if (item.depth > bounds.maxDepth) return `must nest at most ${bounds.maxDepth} levels deep`;
      const entries = Array.isArray(current)
        ? current.map((v): [string | null, unknown] => [null, v])
        : Object.entries(current);
      bytes += 2 + Math.max(entries.length - 1, 0); // brackets and commas
      for (const [key, child] of entries) {
        if (key !== null) bytes += Buffer.byteLength(JSON.stringify(key)) + 1;
        stack.push({ value: child, depth: item.depth + 1 });
      }
    } else {
      bytes += typeof current === 'string' ? Buffer.byteLength(JSON.stringify(current)) : String(current).length;
    }
    if (bytes > bounds.maxBytes) return `must be at most ${bounds.maxBytes} bytes as JSON`;
  }
  return null;
};
