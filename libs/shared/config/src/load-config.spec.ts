import { MaxLength } from 'class-validator';
import { ConfigError } from './config-error';
import { DatabaseEnv, HttpEnv } from './env-mixins';
import { EnvBoolean } from './env-validators';
import { loadConfig } from './load-config';
import { ServiceEnv } from './service-env';

class ExampleEnv extends DatabaseEnv(HttpEnv(ServiceEnv, 3001)) {
  @EnvBoolean()
  REGISTRATION_OPEN = false;
}

const database = { DATABASE_URL: 'postgres://app:pw@localhost:5432/parking' };

function configErrorFrom(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies the defaults of every building block', () => {
    const env = loadConfig(ExampleEnv, database);

    expect(env).toMatchObject({
      NATS_URL: 'nats://127.0.0.1:4222',
      NATS_NAMESPACE: '',
      LOG_LEVEL: 'info',
      SHUTDOWN_TIMEOUT_MS: 10000,
      HTTP_PORT: 3001,
      REGISTRATION_OPEN: false,
      DATABASE_URL: database.DATABASE_URL,
    });
    expect(env.OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
  });

  it('converts numbers and booleans and trims strings', () => {
    const env = loadConfig(ExampleEnv, {
      ...database,
      HTTP_PORT: ' 8080 ',
      SHUTDOWN_TIMEOUT_MS: '2500',
      REGISTRATION_OPEN: 'true',
      LOG_LEVEL: ' debug\n',
    });

    expect(env.HTTP_PORT).toBe(8080);
    expect(env.SHUTDOWN_TIMEOUT_MS).toBe(2500);
    expect(env.REGISTRATION_OPEN).toBe(true);
    expect(env.LOG_LEVEL).toBe('debug');
  });

  it('treats an empty variable as unset so the default applies', () => {
    const env = loadConfig(ExampleEnv, { ...database, HTTP_PORT: '', NATS_URL: '  ' });

    expect(env.HTTP_PORT).toBe(3001);
    expect(env.NATS_URL).toBe('nats://127.0.0.1:4222');
  });

  it('accepts a comma-separated list of NATS servers over nats:// and tls://', () => {
    const env = loadConfig(ExampleEnv, { ...database, NATS_URL: 'nats://a:4222, tls://b:4222' });

    expect(env.NATS_URL).toBe('nats://a:4222, tls://b:4222');
  });

  it('drops variables the class does not declare', () => {
    const env = loadConfig(ExampleEnv, { ...database, PATH: '/usr/bin', UNRELATED: 'x' });

    expect(env).not.toHaveProperty('PATH');
    expect(env).not.toHaveProperty('UNRELATED');
  });

  it('names every bad or missing variable in one message, with what it expects', () => {
    const error = configErrorFrom(() =>
      loadConfig(ExampleEnv, {
        HTTP_PORT: 'abc',
        NATS_URL: 'http://localhost:4222',
        NATS_NAMESPACE: 'Run-1',
        LOG_LEVEL: 'verbose',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'collector',
        SHUTDOWN_TIMEOUT_MS: '-5',
        REGISTRATION_OPEN: 'maybe',
      }),
    );

    expect(error.problems.map((p) => p.variable).sort()).toEqual([
      'DATABASE_URL',
      'HTTP_PORT',
      'LOG_LEVEL',
      'NATS_NAMESPACE',
      'NATS_URL',
      'OTEL_EXPORTER_OTLP_ENDPOINT',
      'REGISTRATION_OPEN',
      'SHUTDOWN_TIMEOUT_MS',
    ]);
    expect(error.message).toContain('Invalid configuration: 8 variables are missing or invalid.');
    expect(error.message).toContain('HTTP_PORT: must be an integer between 1 and 65535 (got "abc")');
    expect(error.message).toContain('DATABASE_URL: must be a postgres:// or postgresql:// URL (not set)');
    expect(error.message).toContain(
      'NATS_URL: must be a comma-separated list of nats:// or tls:// URLs (got "http://localhost:4222")',
    );
    expect(error.message).toContain('NATS_NAMESPACE: must be lower-case letters and digits only (got "Run-1")');
    expect(error.message).toContain('LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace (got "verbose")');
    expect(error.message).toContain('REGISTRATION_OPEN: must be true or false (got "maybe")');
    expect(error.message).toContain('SHUTDOWN_TIMEOUT_MS: must be an integer between 1 and 600000 (got "-5")');
  });

  it('reads a plain class-validator message without repeating the variable name', () => {
    class NamedEnv extends ServiceEnv {
      @MaxLength(3)
      SITE_CODE: string = 'AMS';
    }

    const error = configErrorFrom(() => loadConfig(NamedEnv, { SITE_CODE: 'AMSTERDAM' }));

    expect(error.message).toContain('SITE_CODE: must be shorter than or equal to 3 characters (got "AMSTERDAM")');
  });

  it('never echoes the value of a variable whose name looks secret', () => {
    class SecretEnv extends ServiceEnv {
      @EnvBoolean()
      JWT_SECRET_ROTATION!: boolean;
      @EnvBoolean()
      API_KEY!: boolean;
    }

    const error = configErrorFrom(() =>
      loadConfig(SecretEnv, { JWT_SECRET_ROTATION: 'hunter2', API_KEY: 'sk-live-123' }),
    );

    expect(error.message).toContain('JWT_SECRET_ROTATION: must be true or false (value hidden)');
    expect(error.message).toContain('API_KEY: must be true or false (value hidden)');
    expect(error.message).not.toContain('hunter2');
    expect(error.message).not.toContain('sk-live-123');
  });

  it('masks the credentials of a URL it echoes', () => {
    const error = configErrorFrom(() =>
      loadConfig(ExampleEnv, { DATABASE_URL: 'mysql://app:s3cret@db:3306/x?sslpassword=p4ss&mode=1' }),
    );

    expect(error.message).toContain('(got "mysql://app:***@db:3306/x?sslpassword=***&mode=1")');
    expect(error.message).not.toContain('s3cret');
    expect(error.message).not.toContain('p4ss');
  });
});
