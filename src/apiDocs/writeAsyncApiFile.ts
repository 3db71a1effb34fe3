import fs from 'node:fs';
import path from 'node:path';
import { buildAsyncApiDocument } from './asyncApiDocument';

/** docs/asyncapi.json as the code generates it; a test fails while the file differs. */
export const ASYNCAPI_FILE = path.join(__dirname, '..', '..', 'docs', 'asyncapi.json');
export const renderAsyncApiFile = (): string => `${JSON.stringify(buildAsyncApiDocument(), null, 2)}\n`;

if (require.main === module) {
  fs.writeFileSync(ASYNCAPI_FILE, renderAsyncApiFile());
  console.log(`wrote ${ASYNCAPI_FILE}`);
}
