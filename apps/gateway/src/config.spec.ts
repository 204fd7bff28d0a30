import { ConfigError, loadConfig } from '@parking/config';
import { generateProofKeyPair } from '@parking/rpc-proof';
import { generateSecretsKey } from '@parking/secret-box';
import { gatewayConfigFrom, GatewayEnv } from './config';

const BASE = { NATS_URL: 'nats://127.0.0.1:4222', RPC_SIGNING_KEY: generateProofKeyPair().privateKey };
const configFrom = (env: NodeJS.ProcessEnv) => gatewayConfigFrom(loadConfig(GatewayEnv, env));

describe('gateway configuration: the keys it holds', () => {
  it('opens webhook HMAC secrets with INTEGRATION_SECRETS_KEY (and its previous value during a rotation)', () => {
    const key = generateSecretsKey();
    const previous = generateSecretsKey();
    expect(configFrom({ ...BASE, INTEGRATION_SECRETS_KEY: key, INTEGRATION_SECRETS_KEY_PREVIOUS: previous }).webhookIntegrations).toEqual({
      secretsKey: key,
      secretsKeyPrevious: previous,
    });
    expect(configFrom(BASE).webhookIntegrations).toEqual({ secretsKey: undefined, secretsKeyPrevious: undefined });
  });

  it('refuses to start with SECRETS_KEY: identity’s own key (it seals the signing keys) has no business on the gateway', () => {
    const load = () => loadConfig(GatewayEnv, { ...BASE, SECRETS_KEY: generateSecretsKey() });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/SECRETS_KEY: must not be set on the gateway/);
    // The message never echoes the key.
    expect(() => loadConfig(GatewayEnv, { ...BASE, SECRETS_KEY: 'x'.repeat(43) })).not.toThrow(/x{43}/);
  });

  it('checks the shape of INTEGRATION_SECRETS_KEY without echoing it', () => {
    expect(() => loadConfig(GatewayEnv, { ...BASE, INTEGRATION_SECRETS_KEY: 'too-short-secret' })).toThrow(/INTEGRATION_SECRETS_KEY/);
    expect(() => loadConfig(GatewayEnv, { ...BASE, INTEGRATION_SECRETS_KEY: 'too-short-secret' })).not.toThrow(/too-short-secret/);
  });
});

describe('gateway configuration: live stream caps', () => {
  it('caps live streams per process, tenant and principal, with defaults that leave a tenant room for dashboards', () => {
    expect(configFrom(BASE).liveStreams).toEqual({ heartbeatMs: 15_000, maxStreams: 1_000, maxPerTenant: 100, maxPerPrincipal: 10 });
    expect(configFrom({ ...BASE, SSE_MAX_STREAMS: '50', SSE_MAX_STREAMS_PER_TENANT: '20', SSE_MAX_STREAMS_PER_PRINCIPAL: '2' }).liveStreams).toMatchObject({
      maxStreams: 50,
      maxPerTenant: 20,
      maxPerPrincipal: 2,
    });
  });

  it('refuses a cap below one, naming the variable', () => {
    expect(() => loadConfig(GatewayEnv, { ...BASE, SSE_MAX_STREAMS_PER_TENANT: '0' })).toThrow(/SSE_MAX_STREAMS_PER_TENANT/);
    expect(() => loadConfig(GatewayEnv, { ...BASE, SSE_MAX_STREAMS_PER_PRINCIPAL: 'many' })).toThrow(/SSE_MAX_STREAMS_PER_PRINCIPAL/);
  });
});
