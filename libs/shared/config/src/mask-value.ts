// Configuration errors end up in container logs and CI output, so a value is only echoed
// when it cannot be a credential.
const SECRET_NAME = /PASSWORD|PASSPHRASE|SECRET|TOKEN|KEY|CREDENTIAL/i;
const URL_USERINFO = /\/\/([^/@\s]*)@/g;
const SECRET_QUERY_PARAM = /([?&][^=&#]*(?:password|pass|pwd|secret|token|key)[^=&#]*=)[^&#]*/gi;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** `postgres://app:pw@db/x?sslpassword=y` → `postgres://app:***@db/x?sslpassword=***`. */
export function maskCredentials(value: string): string {
  return value
    .replace(URL_USERINFO, (_match, userinfo: string) => {
      const colon = userinfo.indexOf(':');
      return colon === -1 ? '//***@' : `//${userinfo.slice(0, colon)}:***@`;
    })
    .replace(SECRET_QUERY_PARAM, '$1***');
}

/** How a bad value is shown in a configuration error: `not set`, `got "abc"` or hidden. */
export function describeValue(name: string, raw: string | undefined): string {
  if (raw === undefined) return 'not set';
  if (isSecretName(name)) return 'value hidden';
  return `got ${JSON.stringify(maskCredentials(raw))}`;
}
