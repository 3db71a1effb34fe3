import { chooseRebuildVersion } from '../../src/ops/rebuildProjection';
import { makeTempDir } from '../helpers/testApp';
import { runCommctl, spawnCommctl } from './cliHarness';

describe('Given the commctl executable', () => {
  it('When run with --help in its own process, then it lists every command and exits 0', async () => {
    const run = await spawnCommctl(['--help'], { dataDir: makeTempDir() });
    expect(run.code).toBe(0);
    for (const command of [
      'projections status',
      'projections rebuild',
      'projections drop-old',
      'history export',
      'history show',
      'channels state',
    ]) {
      expect(run.stdout).toContain(command);
    }
  });

  it('When the configuration is invalid, then it says which setting is wrong and exits 78', async () => {
    const run = await runCommctl(['history', 'export'], {
      dataDir: makeTempDir(),
      env: { EVENTSTORE_URL: 'http://nope' },
    });
    expect(run.code).toBe(78);
    expect(run.stderr).toContain('EVENTSTORE_URL');
  });

  it("When a command is unknown, then it exits non-zero with commander's message", async () => {
    const run = await runCommctl(['projections', 'explode'], { dataDir: makeTempDir() });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain("unknown command 'explode'");
  });
});

describe('Given the versions of a projection', () => {
  it.each([
    [[{ version: 1, active: true }], 1, 2],
    [
      [
        { version: 1, active: false },
        { version: 2, active: true },
      ],
      2,
      3,
    ],
    [
      [
        { version: 1, active: true },
        { version: 2, active: false },
      ],
      1,
      2,
    ],
    [
      [
        { version: 1, active: false },
        { version: 2, active: true },
        { version: 3, active: false },
      ],
      2,
      3,
    ],
    [[], 1, 2],
  ])(
    'When %j with v%i active, then the rebuild writes v%i (an unfinished one is resumed)',
    (versions, active, expected) => {
      expect(chooseRebuildVersion(versions, active)).toBe(expected);
    },
  );
});
