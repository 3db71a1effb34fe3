import { ConfigError, loadConfig } from '../../src/config';

describe('Given the ROLES setting', () => {
  it('When it is not set, then the process runs every role', () => {
    expect([...loadConfig({}).roles].sort()).toEqual(['api', 'projector', 'push']);
  });

  it('When it lists some roles, then the process runs those only', () => {
    expect([...loadConfig({ ROLES: 'api, push' }).roles].sort()).toEqual(['api', 'push']);
  });

  it('When it names an unknown role, then start-up fails naming the setting', () => {
    expect(() => loadConfig({ ROLES: 'api,worker' })).toThrow(ConfigError);
    expect(() => loadConfig({ ROLES: 'api,worker' })).toThrow(/ROLES/);
  });

  it('When EVENTSTORE_URL uses kurrent+discover://, then it is accepted', () => {
    const url = 'kurrent+discover://node1:2113,node2:2113?tls=true';
    expect(loadConfig({ EVENTSTORE_URL: url }).eventStoreUrl).toBe(url);
  });
});
