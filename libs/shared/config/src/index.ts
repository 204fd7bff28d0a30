export { loadConfig, type EnvClass } from './load-config';
export { bootConfig, EXIT_CONFIG_ERROR, type DeepReadonly } from './boot-config';
export { ConfigError, type ConfigProblem } from './config-error';
export { ServiceEnv, LOG_LEVELS, type LogLevel } from './service-env';
export { HttpEnv, DatabaseEnv, databaseUrl, RpcServerEnv, RpcCallerEnv, SecretsKeyEnv, secretsKeysFrom, type SecretsKeys } from './env-mixins';
export { EnvInt, EnvOneOf, EnvPattern, EnvSecretsKey, EnvUrl, EnvBoolean, splitList } from './env-validators';
export { isSecretName, maskCredentials } from './mask-value';
export { CONFIG, InjectConfig, ConfigModule } from './config.module';
