import { assertNatsToken } from './nats-token';

const LOWER_TOKEN = /^[a-z][a-z0-9_-]*$/;

/**
 * Request/reply subjects: `rpc.<service>.v<N>.<noun>.<verb>`. No stream captures `rpc.>`,
 * so commands and queries never get persisted by accident.
 *
 *   rpcSubject('reservations', 1, 'reservation', 'create') → 'rpc.reservations.v1.reservation.create'
 */
export function rpcSubject(service: string, version: number | `v${number}`, ...parts: string[]): string {
  const v = typeof version === 'number' ? `v${version}` : version;
  if (!/^v[1-9][0-9]*$/.test(v)) throw new Error(`RPC version "${v}" must look like v1, v2, …`);
  if (parts.length === 0) throw new Error('An RPC subject needs at least a noun and a verb');
  for (const token of [service, ...parts]) {
    assertNatsToken(token, 'RPC subject part');
    if (!LOWER_TOKEN.test(token)) throw new Error(`RPC subject part "${token}" must be lower case`);
  }
  return ['rpc', service, v, ...parts].join('.');
}
