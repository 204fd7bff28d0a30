import { randomBytes } from 'node:crypto';

/**
 * An API key of the shape identity issues (`pk_live_<8>_<43>`), named after `label` so a test
 * reads well: the gateway refuses other shapes before asking identity.
 */
export function testApiKey(label: string): string {
  const prefix = `${label.replace(/[^A-Za-z0-9]/g, '')}00000000`.slice(0, 8);
  return `pk_live_${prefix}_${randomBytes(32).toString('base64url')}`;
}
