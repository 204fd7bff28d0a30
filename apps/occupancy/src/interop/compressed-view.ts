import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { CompressedView } from '@parking/contracts';

const gzipAsync = promisify(gzip);

/** A view as it travels to the gateway (see CompressedView); compressed off the event loop. */
export async function compressView(view: unknown): Promise<CompressedView> {
  const compressed = await gzipAsync(Buffer.from(JSON.stringify(view), 'utf8'));
  return { contentEncoding: 'gzip', data: compressed.toString('base64') };
}
