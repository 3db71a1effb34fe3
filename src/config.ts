import path from 'node:path';
import { readLimits, type Limits } from './limitsConfig';
import { parseRoles, type Role } from './cluster/roles';
import type { LeaseTiming } from './cluster/leaseKeeper';

/** pino's levels; `silent` logs nothing. */
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const DEV_JWT_SECRET = 'dev-only-secret-do-not-use-in-production';

export type Config = {
  nodeEnv: string;
  port: number;
  host: string;
  dataDir: string;
  eventStoreUrl: string | undefined;
  mongoUrl: string | undefined;
  mongoDatabase: string;
  redisUrl: string | undefined;
  jwt: {
    algorithm: 'HS256' | 'RS256';
    /** HS256 secret, or RS256 public key (PEM). */
    key: string;
    issuer: string | undefined;
    audience: string | undefined;
  };
  mediaBaseUrl: string;
  /** How long a write waits for the projections to reach its position before answering. */
  readYourWritesTimeoutMs: number;
  logLevel: LogLevel;
  /** What this process does: serve the API, run the projections, run push (default all three). */
  roles: ReadonlySet<Role>;
  /** On SIGTERM, how long running requests may take to finish before their connections are cut. */
  shutdownGraceMs: number;
  /** /ready answers 503 while a projection is more than this many events behind the log's head. */
  readyMaxLagEvents: number;
  push: {
    webhookUrl: string | undefined;
    webhookSecret: string | undefined;
    batchSize: number;
    /** BullMQ's key prefix, and our own for the push ledger and delivery log (kept apart). */
    queuePrefix: string;
    keyPrefix: string;
  };
  limits: Limits;
  /** The leases of the projector and the push trigger (one active process each, standbys take over). */
  leases: LeaseTiming;
};

export class ConfigError extends Error {
  constructor(problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/**
 * KurrentDB/EventStoreDB connection strings may list several gossip seeds
 * (`esdb+discover://a:2113,b:2113`), which WHATWG URL parsing rejects: check the scheme only.
 */
const eventStoreUrl = (raw: string | undefined, problems: string[]): string | undefined => {
  if (raw === undefined || raw === '') return undefined;
  if (!/^(esdb|kurrentdb|kurrent)(\+discover)?:\/\/\S+$/.test(raw)) {
    problems.push(
      `EVENTSTORE_URL must be an esdb://, kurrentdb:// or kurrent:// connection string (+discover allowed), got "${raw}"`,
    );
  }
  return raw;
};

/** Reads and validates the whole configuration at once, reporting every problem together. */
export const loadConfig = (env: Env = process.env): Config => {
  const problems: string[] = [];

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

  const url = (name: string, protocols: string[]): string | undefined => {
    const raw = env[name];
    if (raw === undefined || raw === '') return undefined;
    try {
      const parsed = new URL(raw);
      if (!protocols.includes(parsed.protocol)) {
        problems.push(`${name} must use ${protocols.join(' or ')}, got "${parsed.protocol}"`);
      }
    } catch {
      problems.push(`${name} is not a valid URL: "${raw}"`);
    }
    return raw;
  };

  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if (allowed.includes(raw as T)) return raw as T;
    problems.push(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
    return fallback;
  };

  const nodeEnv = env.NODE_ENV ?? 'development';
  const algorithm = env.JWT_ALGORITHM ?? 'HS256';
  if (algorithm !== 'HS256' && algorithm !== 'RS256') {
    problems.push(`JWT_ALGORITHM must be HS256 or RS256, got "${algorithm}"`);
  }
  let key = algorithm === 'RS256' ? env.JWT_PUBLIC_KEY : env.JWT_SECRET;
  if (algorithm === 'RS256' && !key) problems.push('JWT_PUBLIC_KEY is required when JWT_ALGORITHM=RS256');
  if (algorithm !== 'RS256' && !key) {
    if (nodeEnv === 'production') problems.push('JWT_SECRET is required when NODE_ENV=production');
    key = DEV_JWT_SECRET;
  }
  if (nodeEnv === 'production' && key === DEV_JWT_SECRET) {
    problems.push('JWT_SECRET must not be the documented development secret when NODE_ENV=production');
  }
  if (algorithm === 'HS256' && key && key.length < 16) problems.push('JWT_SECRET must be at least 16 characters');

  const config: Config = {
    nodeEnv,
    port: integer('PORT', 3000, 0, 65535),
    host: env.HOST ?? '0.0.0.0',
    dataDir: path.resolve(env.DATA_DIR ?? './data'),
    eventStoreUrl: eventStoreUrl(env.EVENTSTORE_URL, problems),
    mongoUrl: url('MONGO_URL', ['mongodb:', 'mongodb+srv:']),
    mongoDatabase: env.MONGO_DB ?? 'communication',
    redisUrl: url('REDIS_URL', ['redis:', 'rediss:']),
    jwt: {
      algorithm: algorithm === 'RS256' ? 'RS256' : 'HS256',
      key: key ?? '',
      issuer: env.JWT_ISSUER || undefined,
      audience: env.JWT_AUDIENCE || undefined,
    },
    mediaBaseUrl: url('MEDIA_BASE_URL', ['http:', 'https:']) ?? 'https://media.example.com/',
    readYourWritesTimeoutMs: integer('READ_YOUR_WRITES_TIMEOUT_MS', 2000, 0, 60000),
    logLevel: oneOf('LOG_LEVEL', LOG_LEVELS, nodeEnv === 'test' ? 'silent' : 'info'),
    roles: parseRoles(env.ROLES, problems),
    shutdownGraceMs: integer('SHUTDOWN_GRACE_MS', 10_000, 0, 60_000),
    readyMaxLagEvents: integer('READY_MAX_LAG_EVENTS', 1000, 0, 1_000_000),
    push: {
      webhookUrl: url('PUSH_WEBHOOK_URL', ['http:', 'https:']),
      webhookSecret: env.PUSH_WEBHOOK_SECRET || undefined,
      batchSize: integer('PUSH_BATCH_SIZE', 1000, 1, 100000),
      queuePrefix: env.PUSH_QUEUE_PREFIX || 'bull',
      keyPrefix: env.PUSH_KEY_PREFIX || (env.PUSH_QUEUE_PREFIX ? `${env.PUSH_QUEUE_PREFIX}-push` : 'push'),
    },
    limits: readLimits(env, problems),
    leases: {
      ttlMs: integer('LEASE_TTL_MS', 3000, 100, 600_000),
      renewMs: integer('LEASE_RENEW_MS', 1000, 10, 600_000),
      pollMs: integer('LEASE_POLL_MS', 500, 10, 600_000),
    },
  };
  if (config.push.webhookUrl && !config.push.webhookSecret) {
    problems.push('PUSH_WEBHOOK_SECRET is required when PUSH_WEBHOOK_URL is set');
  }
  if (config.leases.renewMs * 2 > config.leases.ttlMs) {
    problems.push('LEASE_RENEW_MS must be at most half of LEASE_TTL_MS (one late renewal must not lose the lease)');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
};
