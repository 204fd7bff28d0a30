import { ConfigError } from './config-error';
import { loadConfig, type EnvClass } from './load-config';

/** EX_CONFIG from sysexits.h: the orchestrator sees a configuration fault, not a crash. */
export const EXIT_CONFIG_ERROR = 78;

export type DeepReadonly<T> = T extends (...args: never[]) => unknown
  ? T
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/**
 * For the first lines of `main.ts`: loads and validates `EnvClass`, builds the app's nested
 * configuration with `map` (which may throw ConfigError for rules across variables) and
 * freezes it. On a ConfigError the one message goes to stderr and the process exits 78.
 */
export function bootConfig<E extends object, C extends object>(
  EnvClass: EnvClass<E>,
  map: (env: E) => C,
  env: NodeJS.ProcessEnv = process.env,
): DeepReadonly<C> {
  try {
    return deepFreeze(map(loadConfig(EnvClass, env)));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return process.exit(EXIT_CONFIG_ERROR);
  }
}

function deepFreeze<T>(value: T): DeepReadonly<T> {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value as DeepReadonly<T>;
}
