import type { Document } from '../readModels/readModelStore';
import type { ProjectionWriter } from './projection';

export class MissingDocumentError extends Error {
  constructor(collection: string, key: string) {
    super(`no ${collection} document with key ${key}`);
    this.name = 'MissingDocumentError';
  }
}

/**
 * Rewrites the document an event refers to with `change`. A missing one means the log and
 * the read model disagree, so it throws.
 */
export const changeDocument = async <T extends Document>(
  writer: ProjectionWriter,
  collection: string,
  key: string,
  change: (doc: T) => T,
): Promise<void> => {
  const doc = await writer.get<T>(collection, key);
  if (doc === undefined) throw new MissingDocumentError(collection, key);
  await writer.put(collection, key, change(doc));
};
