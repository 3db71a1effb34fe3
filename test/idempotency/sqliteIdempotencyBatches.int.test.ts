import path from 'node:path';
import Database from 'better-sqlite3';
import { openIdempotencyRecords, type IdempotencyOperation } from '../../src/idempotency/sqliteIdempotencyRecords';
import { makeTempDir } from '../helpers/testApp';

const at = Date.now();
const claim = (key: string): IdempotencyOperation => ({
  type: 'claim',
  id: { scope: 'user:u1', key },
  fingerprint: 'f',
  at,
  lockMs: 60_000,
  ttlMs: 600_000,
});
const outcomes = (results: ReturnType<ReturnType<typeof openIdempotencyRecords>['run']>) =>
  results.map((result) => (result.ok ? result.claim?.outcome : `failed: ${result.message}`));

describe('Given the idempotency records, whose operations run in batches of one transaction', () => {
  let records: ReturnType<typeof openIdempotencyRecords>;
  beforeEach(() => {
    const file = path.join(makeTempDir('idempotency-batches-'), 'idempotency.sqlite');
    records = openIdempotencyRecords(file);
    // Stands in for an error SQLite answers by rolling the whole transaction back (disk full, I/O error).
    const other = new Database(file);
    other.exec(`CREATE TRIGGER disk_full BEFORE UPDATE ON idempotency_keys WHEN NEW.status = 599
                BEGIN SELECT RAISE(ROLLBACK, 'disk full'); END`);
    other.close();
  });
  afterEach(() => records.close());

  it('When claims for several keys arrive in one batch, then each is claimed, and a repeat within the batch sees the claim before it', () => {
    expect(outcomes(records.run([claim('k1'), claim('k2'), claim('k1')]))).toEqual(['claimed', 'claimed', 'inFlight']);
  });

  it('When an operation of a batch rolls the transaction back, then the batch fails and none of its operations is kept', () => {
    const [first] = records.run([claim('k0')]);
    const token = first.ok && first.claim?.outcome === 'claimed' ? first.claim.token : '';

    const failing = [
      claim('before'),
      { type: 'complete', id: { scope: 'user:u1', key: 'k0' }, token, answer: { status: 599, body: {} } },
      claim('after'),
    ] satisfies IdempotencyOperation[];
    expect(() => records.run(failing)).toThrow('disk full');

    expect(outcomes(records.run([claim('before'), claim('after')]))).toEqual(['claimed', 'claimed']);
  });
});
