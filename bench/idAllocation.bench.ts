import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { measureIds, runWriters, setUpChannels, type IdOutcome } from '../test/helpers/idWorkload';
import type { BenchDefinition, BenchResult } from './benchTypes';

/**
 * Issue 11's id bookkeeping: WRITERS processes on one SQLite DATA_DIR publish posts and
 * discussion messages into the same CHANNELS channels (and their discussions) at once.
 * Reported: the share of the log spent on id blocks (`sequence-*` events) and the largest id
 * over the number of ids handed out, per sequence; also checked: ids unique and strictly
 * increasing in each stream. Sizes come from the environment so a shared machine can run it small.
 */
const numberFromEnv = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const workload = {
  writers: numberFromEnv('BENCH_ID_WRITERS', 4),
  channels: numberFromEnv('BENCH_ID_CHANNELS', 2),
  posts: numberFromEnv('BENCH_ID_POSTS', 750),
  messages: numberFromEnv('BENCH_ID_MESSAGES', 750),
  inFlight: numberFromEnv('BENCH_ID_IN_FLIGHT', 4),
};

/** Streams whose ids are not strictly increasing in append order, and ids used twice in a sequence. */
const violations = (outcome: IdOutcome) => {
  const seen = { post: new Set<number>(), message: new Set<number>() };
  let unordered = 0;
  let duplicates = 0;
  for (const [stream, ids] of outcome.idsByStream) {
    if (ids.some((id, i) => i > 0 && id <= ids[i - 1])) unordered += 1;
    const sequence = stream.startsWith('channel-') ? seen.post : seen.message;
    for (const id of ids) {
      if (sequence.has(id)) duplicates += 1;
      sequence.add(id);
    }
  }
  return { unordered, duplicates };
};

const run: BenchDefinition['run'] = async (progress) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-ids-'));
  try {
    const channelIds = await setUpChannels(dataDir, workload.channels);
    const writes = workload.writers * (workload.posts + workload.messages);
    progress.log(
      `${workload.writers} writer processes × (${workload.posts} posts + ${workload.messages} messages) into ${workload.channels} channels and their discussions, ${workload.inFlight} in flight each`,
    );
    const started = Date.now();
    const { failures, contended } = await runWriters(dataDir, workload, channelIds);
    const seconds = (Date.now() - started) / 1000;
    const outcome = await measureIds(dataDir);
    const { unordered, duplicates } = violations(outcome);
    const share = (100 * outcome.bookkeeping) / outcome.events;
    const postRatio = outcome.maxPostId / outcome.posts;
    const messageRatio = outcome.maxMessageId / outcome.messages;
    const notes = `${writes} writes in ${seconds.toFixed(1)} s, ${failures.length} failed, ${contended} refused as contended (503) and sent again; ${outcome.bookkeeping} id-block events of ${outcome.events}; posts ${outcome.posts} (max id ${outcome.maxPostId}), messages ${outcome.messages} (max id ${outcome.maxMessageId}); ${unordered} streams out of order, ${duplicates} duplicate ids`;
    progress.log(notes);
    [...new Set(failures)].slice(0, 5).forEach((failure) => progress.log(`failed: ${failure}`));
    const correct = failures.length === 0 && unordered === 0 && duplicates === 0;
    const results: BenchResult[] = [
      {
        name: `id bookkeeping share of the log, ${workload.writers} writer processes`,
        value: share,
        unit: '%',
        target: '<= 1%, ids unique and increasing per stream',
        met: share <= 1 && correct,
        notes,
      },
      {
        name: 'largest post id / posts',
        value: postRatio,
        unit: 'x',
        target: '<= 2x',
        met: postRatio <= 2 && correct,
      },
      {
        name: 'largest message id / messages',
        value: messageRatio,
        unit: 'x',
        target: '<= 2x',
        met: messageRatio <= 2 && correct,
      },
    ];
    return results;
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
};

export const bench: BenchDefinition = { name: 'id allocation', run };
