import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { HeldCredentials } from './integration-directory';

export const INTEGRATIONS_FILE = 'integrations.json';
const FORMAT = 1;

interface SpoolContent {
  format: number;
  writtenAt: string;
  integrations: HeldCredentials[];
}

/**
 * The directory's last known content in `<SPOOL_DIR>/integrations.json`, for a boot while
 * identity does not answer. Holds SHA-256 digests and sealed secrets only; mode 0600;
 * replaced atomically (temporary file, fsync, rename, fsync of the directory).
 */
export class IntegrationSpoolFile {
  readonly path: string;

  constructor(private readonly dir: string) {
    this.path = path.join(dir, INTEGRATIONS_FILE);
  }

  async write(integrations: HeldCredentials[]): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const content: SpoolContent = { format: FORMAT, writtenAt: new Date().toISOString(), integrations };
    const temporary = `${this.path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      const file = await open(temporary, 'wx', 0o600);
      try {
        await file.writeFile(JSON.stringify(content), 'utf8');
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(temporary, this.path);
    } catch (error) {
      await rm(temporary, { force: true }).catch(() => undefined);
      throw error;
    }
    // The rename itself is durable only once the directory is synced (not supported everywhere).
    const dir = await open(this.dir, 'r').catch(() => undefined);
    await dir?.sync().catch(() => undefined);
    await dir?.close();
  }

  /** The integrations written last, or null if there is no usable file. */
  async read(): Promise<HeldCredentials[] | null> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    const content = JSON.parse(text) as Partial<SpoolContent>;
    if (content.format !== FORMAT || !Array.isArray(content.integrations)) throw new Error(`${this.path} is not a format ${FORMAT} integrations file`);
    return content.integrations.filter(isHeldCredentials);
  }
}

function isHeldCredentials(value: unknown): value is HeldCredentials {
  const v = value as Partial<HeldCredentials> | null;
  return (
    typeof v === 'object' && v !== null && typeof v.id === 'string' && typeof v.tenantId === 'string' && typeof v.enabled === 'boolean' &&
    Array.isArray(v.tokens) && v.tokens.every((t) => typeof t?.prefix === 'string' && /^[0-9a-f]{64}$/.test(t?.sha256)) &&
    Array.isArray(v.hmacSecrets) && v.hmacSecrets.every((s) => typeof s?.sealed === 'string')
  );
}
