/**
 * Benches drive one server from one address with a few tokens: the per-client budgets
 * (README, "Limits and hostile clients") would measure the limiter, not the service.
 */
export const BENCH_WITHOUT_CLIENT_LIMITS = {
  RATE_LIMIT_IP_PER_MINUTE: '0',
  RATE_LIMIT_USER_PER_MINUTE: '0',
  RATE_LIMIT_ADMIN_PER_MINUTE: '0',
  RATE_LIMIT_SERVICE_PER_MINUTE: '0',
  SOCKET_MAX_IN_FLIGHT: '1000',
  SOCKET_POINTS_PER_10S: '1000000',
  SOCKET_USER_POINTS_PER_10S: '1000000',
};
