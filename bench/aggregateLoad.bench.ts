import { type DiscussionEvent } from '../src/commands/discussion/discussionEvents';
import {
  evolveDiscussion,
  initialDiscussionState,
  type MessageState,
} from '../src/commands/discussion/discussionState';
import type { BenchDefinition, BenchResult } from './benchTypes';

/**
 * A cold load of a busy discussion: folding MESSAGES DiscussionMessagePosted events with
 * the decider's pure `evolve` (what the command handler does after a restart or a cache
 * eviction, all on the event loop). Baseline: the same messages put into one mutable Map,
 * the least any in-memory fold can do.
 */
const MESSAGES = Number(process.env.BENCH_AGGREGATE_MESSAGES ?? 100_000);
const ROUNDS = 3;

const created: DiscussionEvent = {
  type: 'DiscussionCreated',
  data: {
    discussionId: 1,
    channelId: 1,
    title: 'Busy',
    isEnabled: true,
    requiredFeatureKey: null,
    slowModeEnabled: false,
    slowModeIntervalSeconds: null,
    createdByAdminId: 'admin',
    createdAt: '2026-01-01T00:00:00.000Z',
  },
};
const posted = (messageId: number): DiscussionEvent => ({
  type: 'DiscussionMessagePosted',
  data: {
    messageId,
    discussionId: 1,
    channelId: 1,
    authorType: 'USER',
    authorUserId: `user-${messageId % 500}`,
    authorAdminId: null,
    body: `message ${messageId} `.padEnd(200, '.'),
    createdAt: '2026-01-01T00:00:00.000Z',
  },
});
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export const bench: BenchDefinition = {
  name: 'aggregate load',
  run: async (progress) => {
    const events = Array.from({ length: MESSAGES }, (_, index) => posted(index + 1));
    const folds: number[] = [];
    const baselines: number[] = [];
    const tick = progress.phase(`folding ${MESSAGES.toLocaleString('en-US')} messages, ${ROUNDS} rounds`, ROUNDS);
    for (let round = 0; round < ROUNDS; round++) {
      let started = performance.now();
      let state = evolveDiscussion(initialDiscussionState(), created);
      for (const event of events) state = evolveDiscussion(state, event);
      folds.push(performance.now() - started);
      if (!state.exists || state.lastMessageId !== MESSAGES) throw new Error('fold lost messages');

      started = performance.now();
      const plain = new Map<number, MessageState>();
      for (const event of events) {
        if (event.type !== 'DiscussionMessagePosted') continue;
        const { messageId, discussionId: _d, channelId: _c, ...message } = event.data;
        plain.set(messageId, {
          messageId,
          ...message,
          isDeleted: false,
          deletedAt: null,
          deletedByUserId: null,
          deletedByAdminId: null,
          editedAt: null,
          editedByUserId: null,
          editedByAdminId: null,
          updatedAt: message.createdAt,
        });
      }
      baselines.push(performance.now() - started);
      tick();
    }
    const rate = MESSAGES / (median(folds) / 1000);
    const baseline = MESSAGES / (median(baselines) / 1000);
    const result: BenchResult = {
      name: `cold load of a discussion with ${MESSAGES.toLocaleString('en-US')} messages (pure evolve)`,
      value: rate,
      unit: 'events/s',
      baseline: { name: 'the same messages into one mutable Map', value: baseline },
      ratio: rate / baseline,
      notes: `median of ${ROUNDS}: ${median(folds).toFixed(0)} ms on the event loop (baseline ${median(baselines).toFixed(0)} ms)`,
    };
    return [result];
  },
};
