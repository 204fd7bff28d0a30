import { credentials, type ChannelCredentials } from '@grpc/grpc-js';

/** Where a connection's gRPC calls go, and whether over TLS. */
export interface ChirpStackTarget {
  /** host:port for grpc-js. */
  address: string;
  secure: boolean;
}

/** ChirpStack's API listens on 8080 unless told otherwise; behind TLS, on 443. */
const DEFAULT_PORT = { 'http:': 8080, 'https:': 443 } as const;

/**
 * The target of a connection's API URL: `https://` means TLS (the system's roots),
 * `http://` plaintext. Anything else is a configuration error, named as such.
 */
export function targetOf(apiUrl: string): ChirpStackTarget {
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch {
    throw new TypeError(`the API URL ${JSON.stringify(apiUrl)} is not a URL; use http://host:port or https://host`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`the API URL must start with http:// or https:// (TLS), not ${url.protocol}//`);
  }
  if (url.pathname !== '/' && url.pathname !== '') throw new TypeError('the API URL names a host and port only; gRPC takes no path');
  const port = url.port || String(DEFAULT_PORT[url.protocol]);
  return { address: `${url.hostname}:${port}`, secure: url.protocol === 'https:' };
}

export function channelCredentialsOf(target: ChirpStackTarget): ChannelCredentials {
  return target.secure ? credentials.createSsl() : credentials.createInsecure();
}
