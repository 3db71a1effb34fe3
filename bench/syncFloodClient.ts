import { io } from 'socket.io-client';

/**
 * The flooding client of `syncFlood.bench.ts`, in a process of its own so that parsing its
 * answers (up to 512 KB each) does not stall the process that times the other clients' probes.
 * Argument: JSON { url, token, channelId, cursor, syncs, phaseMs }. Prints one JSON line with
 * the answer counts and how the socket ended.
 */
type Plan = { url: string; token: string; channelId: number; cursor: string; syncs: number; phaseMs: number };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const main = async () => {
  const plan = JSON.parse(process.argv[2]) as Plan;
  const socket = io(plan.url, {
    auth: { token: plan.token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  let ended = 'stayed connected';
  socket.once('disconnect', (reason, details) => {
    const code = (details as { context?: { code?: number } } | undefined)?.context?.code;
    ended = `disconnected by the server (${reason}${code ? `, close code ${code}` : ''})`;
  });
  const answers = { ok: 0, limited: 0, other: 0 };
  const perBurst = plan.syncs / 10;
  for (let burst = 0; burst < 10; burst += 1) {
    for (let i = 0; i < perBurst; i += 1) {
      socket.emit(
        'communication:sync_channel_posts',
        { channelId: plan.channelId, sinceEventId: plan.cursor, limit: 1000 },
        (ack: { ok: boolean; error?: { code: string } }) => {
          if (ack.ok) answers.ok += 1;
          else if (ack.error?.code === 'RATE_LIMITED') answers.limited += 1;
          else answers.other += 1;
        },
      );
    }
    await sleep(plan.phaseMs / 10);
  }
  await sleep(1000);
  socket.disconnect();
  process.stdout.write(`${JSON.stringify({ ...answers, ended })}\n`);
};

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
