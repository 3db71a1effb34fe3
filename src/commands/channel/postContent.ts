import { ValidationError } from '../../errors';
import type { Attachment, PostType } from './channelEvents';

export type PostContent = {
  type: PostType;
  bodyText: string | null;
  linkUrl: string | null;
  chartPayloadJson: unknown;
  attachments: Attachment[];
};

/** What each post type must carry; checked on publish and on the merged result of an edit. */
export const assertPostContent = (content: PostContent): void => {
  const missing = (() => {
    switch (content.type) {
      case 'TEXT':
        return content.bodyText === null || content.bodyText.trim() === '' ? 'bodyText' : null;
      case 'LINK':
        return content.linkUrl === null ? 'linkUrl' : null;
      case 'CHART':
        return content.chartPayloadJson === null ? 'chartPayloadJson' : null;
      case 'MEDIA':
        return content.attachments.length === 0 ? 'attachments' : null;
      default: {
        const unexpected: never = content.type;
        return unexpected;
      }
    }
  })();
  if (missing !== null) {
    throw new ValidationError(`A ${content.type} post needs ${missing}`, [
      { path: `/${missing}`, message: 'is required' },
    ]);
  }
};
