import { upcastMessageEditedV1 } from '../commands/discussion/discussionEventsV1';
import { createUpcasterRegistry } from './upcasting';

/**
 * Every event type whose shape has changed since it was first written, with its current
 * schema version and the upcaster from each older one. A type not listed is at version 1.
 * How to change an event: docs/ARCHITECTURE.md, "Changing an event".
 */
export const eventVersions = createUpcasterRegistry({
  DiscussionMessageEdited: { current: 2, upcasters: { 1: upcastMessageEditedV1 } },
});
