/**
 * The limits that keep one client (buggy or hostile) from hurting the others, read from the
 * environment with their defaults. README "Limits and hostile clients" documents each one.
 */
export type Limits = {
  /** When set, tokens whose lifetime (exp − iat, or exp − now) exceeds it are refused. */
  jwtMaxTtlSeconds: number | undefined;
  /** Bearer token for /metrics and /ops/* (admin JWTs are accepted too). */
  opsToken: string | undefined;
  http: { requestTimeoutMs: number; headersTimeoutMs: number };
  /** Express `trust proxy`: false, a hop count, or addresses/subnets of the load balancers. */
  trustProxy: boolean | number | string;
  /** Redis key prefix of every rate-limit counter (deployments or test runs sharing one Redis keep apart). */
  rateLimitKeyPrefix: string;
  rest: {
    /** Budgets per minute; 0 turns that limiter off. */
    ipPerMinute: number;
    userPerMinute: number;
    adminPerMinute: number;
    servicePerMinute: number;
  };
  socket: {
    authGraceMs: number;
    maxInFlight: number;
    /** Points per 10 s window; a sync costs 1 + limit/100, every other event 1. */
    socketPointsPer10s: number;
    userPointsPer10s: number;
    maxSendBufferBytes: number;
    syncMaxBytes: number;
  };
};

type Env = Record<string, string | undefined>;

const trustProxyOf = (raw: string | undefined): boolean | number | string => {
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  return /^\d+$/.test(raw) ? Number(raw) : raw;
};

export const readLimits = (env: Env, problems: string[]): Limits => {
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  };
  const opsToken = env.OPS_TOKEN || undefined;
  if (opsToken !== undefined && opsToken.length < 16) problems.push('OPS_TOKEN must be at least 16 characters');
  const limits: Limits = {
    jwtMaxTtlSeconds: env.JWT_MAX_TTL_SECONDS ? integer('JWT_MAX_TTL_SECONDS', 0, 1, 10 * 365 * 86400) : undefined,
    opsToken,
    http: {
      requestTimeoutMs: integer('HTTP_REQUEST_TIMEOUT_MS', 30_000, 1000, 600_000),
      headersTimeoutMs: integer('HTTP_HEADERS_TIMEOUT_MS', 10_000, 1000, 600_000),
    },
    trustProxy: trustProxyOf(env.TRUST_PROXY),
    rateLimitKeyPrefix: env.RATE_LIMIT_KEY_PREFIX || 'comm:rl',
    rest: {
      ipPerMinute: integer('RATE_LIMIT_IP_PER_MINUTE', 3000, 0, 10_000_000),
      userPerMinute: integer('RATE_LIMIT_USER_PER_MINUTE', 600, 0, 10_000_000),
      adminPerMinute: integer('RATE_LIMIT_ADMIN_PER_MINUTE', 6000, 0, 10_000_000),
      servicePerMinute: integer('RATE_LIMIT_SERVICE_PER_MINUTE', 30_000, 0, 10_000_000),
    },
    socket: {
      authGraceMs: integer('SOCKET_AUTH_GRACE_MS', 30_000, 0, 3_600_000),
      maxInFlight: integer('SOCKET_MAX_IN_FLIGHT', 8, 1, 1000),
      socketPointsPer10s: integer('SOCKET_POINTS_PER_10S', 200, 1, 1_000_000),
      userPointsPer10s: integer('SOCKET_USER_POINTS_PER_10S', 400, 1, 1_000_000),
      maxSendBufferBytes: integer('SOCKET_MAX_SEND_BUFFER_BYTES', 8 * 1024 * 1024, 64 * 1024, 1024 * 1024 * 1024),
      syncMaxBytes: integer('SYNC_MAX_BYTES', 512 * 1024, 16 * 1024, 64 * 1024 * 1024),
    },
  };
  if (limits.http.headersTimeoutMs > limits.http.requestTimeoutMs) {
    problems.push('HTTP_HEADERS_TIMEOUT_MS must not exceed HTTP_REQUEST_TIMEOUT_MS');
  }
  return limits;
};
