import { bootConfig, EXIT_CONFIG_ERROR } from './boot-config';
import { ConfigError } from './config-error';
import { HttpEnv } from './env-mixins';
import { ServiceEnv } from './service-env';

class ExampleEnv extends HttpEnv(ServiceEnv, 3004) {}

const toConfig = (env: ExampleEnv) => ({
  http: { port: env.HTTP_PORT },
  nats: { url: env.NATS_URL, namespace: env.NATS_NAMESPACE },
});

class ExitCalled extends Error {}

describe('bootConfig', () => {
  afterEach(() => jest.restoreAllMocks());

  it('returns the nested configuration built by map, frozen all the way down', () => {
    const config = bootConfig(ExampleEnv, toConfig, { HTTP_PORT: '9000', NATS_NAMESPACE: 'run42' });

    expect(config).toEqual({ http: { port: 9000 }, nats: { url: 'nats://127.0.0.1:4222', namespace: 'run42' } });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.http)).toBe(true);
  });

  it('writes the one message to stderr and exits with EX_CONFIG on bad variables', () => {
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const exit = jest.spyOn(process, 'exit').mockImplementation(() => {
      throw new ExitCalled();
    });

    expect(() => bootConfig(ExampleEnv, toConfig, { HTTP_PORT: '0', LOG_LEVEL: 'loud' })).toThrow(ExitCalled);

    expect(exit).toHaveBeenCalledWith(EXIT_CONFIG_ERROR);
    expect(EXIT_CONFIG_ERROR).toBe(78);
    expect(stderr).toHaveBeenCalledTimes(1);
    const message = String(stderr.mock.calls[0][0]);
    expect(message).toContain('HTTP_PORT: must be an integer between 1 and 65535 (got "0")');
    expect(message).toContain('LOG_LEVEL: must be one of');
  });

  it('treats a ConfigError thrown by map (a rule across variables) the same way', () => {
    jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const exit = jest.spyOn(process, 'exit').mockImplementation(() => {
      throw new ExitCalled();
    });
    const refuse = () => {
      throw new ConfigError([{ variable: 'NATS_NAMESPACE', expected: 'must be set in CI', actual: 'not set' }]);
    };

    expect(() => bootConfig(ExampleEnv, refuse, {})).toThrow(ExitCalled);
    expect(exit).toHaveBeenCalledWith(78);
  });

  it('lets any other error from map through', () => {
    const exit = jest.spyOn(process, 'exit');

    expect(() =>
      bootConfig(ExampleEnv, () => {
        throw new TypeError('bug in map');
      }, {}),
    ).toThrow('bug in map');
    expect(exit).not.toHaveBeenCalled();
  });
});
