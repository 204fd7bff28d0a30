import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { ConfigError, type ConfigProblem } from './config-error';
import { describeValue } from './mask-value';

export type EnvClass<T extends object> = new () => T;

/**
 * Reads `EnvClass` from the environment: strings are trimmed, an empty variable counts as
 * unset (so the class default applies), numbers are converted from their declared type,
 * and every property is validated. Variables the class does not declare are dropped.
 * Throws one ConfigError naming every missing or invalid variable.
 */
export function loadConfig<T extends object>(EnvClass: EnvClass<T>, env: NodeJS.ProcessEnv = process.env): T {
  const present = presentVariables(env);
  const instance = plainToInstance(EnvClass, present, {
    enableImplicitConversion: true,
    exposeDefaultValues: true,
  });
  const errors = validateSync(instance, { whitelist: true, forbidUnknownValues: true });
  if (errors.length > 0) {
    throw new ConfigError(errors.map((error) => toProblem(error, present)));
  }
  return instance;
}

function presentVariables(env: NodeJS.ProcessEnv): Record<string, string> {
  const present: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    const trimmed = value?.trim();
    if (trimmed) present[name] = trimmed;
  }
  return present;
}

function toProblem(error: ValidationError, present: Record<string, string>): ConfigProblem {
  // Our decorators say `must be …`; class-validator's own messages start with the name.
  const prefix = `${error.property} `;
  const messages = Object.values(error.constraints ?? {}).map((m) => (m.startsWith(prefix) ? m.slice(prefix.length) : m));
  const expectations = [...new Set(messages)];
  return {
    variable: error.property,
    expected: expectations.join('; ') || 'is invalid',
    actual: describeValue(error.property, present[error.property]),
  };
}
