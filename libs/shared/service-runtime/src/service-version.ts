import { readFileSync } from 'node:fs';
import path from 'node:path';

let cached: string | undefined;

/** The platform version from package.json in the working directory (the image's root). */
export function serviceVersion(): string {
  if (cached) return cached;
  try {
    const manifest = JSON.parse(readFileSync(path.join(process.cwd(), 'package.json'), 'utf8')) as { version?: string };
    cached = process.env.SERVICE_VERSION ?? manifest.version ?? 'unknown';
  } catch {
    cached = process.env.SERVICE_VERSION ?? 'unknown';
  }
  return cached;
}
