import { ConfigError } from './config-error';
import { DatabaseEnv, databaseUrl } from './env-mixins';
import { loadConfig } from './load-config';
import { ServiceEnv } from './service-env';

class DataEnv extends DatabaseEnv(ServiceEnv) {}

describe('DATABASE_PASSWORD', () => {
  it("puts the role's own secret into DATABASE_URL, replacing any password there", () => {
    const env = loadConfig(DataEnv, { DATABASE_URL: 'postgres://parking_ingest:old@db:5432/parking', DATABASE_PASSWORD: 'n3w/secret%41@' });

    const url = databaseUrl(env);

    expect(url).toBe('postgres://parking_ingest:n3w%2Fsecret%2541%40@db:5432/parking');
    expect(decodeURIComponent(new URL(url).password)).toBe('n3w/secret%41@');
  });

  it('leaves DATABASE_URL as it is without one', () => {
    const env = loadConfig(DataEnv, { DATABASE_URL: 'postgres://parking_ingest:pw@db:5432/parking' });

    expect(databaseUrl(env)).toBe('postgres://parking_ingest:pw@db:5432/parking');
  });

  it('never echoes a bad password in the configuration error', () => {
    let error: unknown;
    try {
      loadConfig(DataEnv, { DATABASE_URL: 'postgres://parking_ingest@db/parking', DATABASE_PASSWORD: 'two words' });
    } catch (caught) {
      error = caught;
    }

    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain('DATABASE_PASSWORD');
    expect((error as ConfigError).message).not.toContain('two words');
  });
});
