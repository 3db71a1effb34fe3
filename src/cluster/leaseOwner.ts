import { randomUUID } from 'node:crypto';
import os from 'node:os';

/** A lease owner name unique to this process (and readable in the store: host and pid). */
export const leaseOwner = (): string => `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
