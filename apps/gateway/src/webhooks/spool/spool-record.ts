import { crc32 } from './crc32';

/** One webhook waiting in the spool: what is needed to publish it exactly as it would have been. */
export interface SpooledWebhook {
  subject: string;
  msgId: string;
  headers: Record<string, string>;
  body: Buffer;
  /** Epoch milliseconds when it was spooled. */
  spooledAt: number;
}

/**
 * On disk: `u32 payloadLength | u32 crc32(payload) | payload`, big-endian, where payload is
 * `u32 metaLength | meta (JSON: subject, msgId, headers, spooledAt) | body`. A record whose
 * length runs past the end of the file or whose CRC does not match is a torn write.
 */
export const RECORD_HEADER_BYTES = 8;
/** No record is larger: a corrupt length field must not make the reader allocate gigabytes. */
export const MAX_RECORD_BYTES = 4 * 1024 * 1024;

interface RecordMeta {
  subject: string;
  msgId: string;
  headers: Record<string, string>;
  spooledAt: number;
}

export function encodeRecord(webhook: SpooledWebhook): Buffer {
  const meta: RecordMeta = { subject: webhook.subject, msgId: webhook.msgId, headers: webhook.headers, spooledAt: webhook.spooledAt };
  const metaBytes = Buffer.from(JSON.stringify(meta), 'utf8');
  const payloadLength = 4 + metaBytes.length + webhook.body.length;
  if (payloadLength > MAX_RECORD_BYTES) throw new RangeError(`a spool record holds at most ${MAX_RECORD_BYTES} bytes`);
  const record = Buffer.allocUnsafe(RECORD_HEADER_BYTES + payloadLength);
  record.writeUInt32BE(payloadLength, 0);
  record.writeUInt32BE(metaBytes.length, RECORD_HEADER_BYTES);
  metaBytes.copy(record, RECORD_HEADER_BYTES + 4);
  webhook.body.copy(record, RECORD_HEADER_BYTES + 4 + metaBytes.length);
  record.writeUInt32BE(crc32(record, RECORD_HEADER_BYTES), 4);
  return record;
}

/** The payload length a record header announces, or undefined if it cannot be a record. */
export function payloadLengthOf(header: Buffer): number | undefined {
  if (header.length < RECORD_HEADER_BYTES) return undefined;
  const length = header.readUInt32BE(0);
  return length >= 4 && length <= MAX_RECORD_BYTES ? length : undefined;
}

/** Decodes a whole record (header included); undefined when it is torn or corrupt. */
export function decodeRecord(record: Buffer): SpooledWebhook | undefined {
  const length = payloadLengthOf(record);
  if (length === undefined || record.length !== RECORD_HEADER_BYTES + length) return undefined;
  if (crc32(record, RECORD_HEADER_BYTES) !== record.readUInt32BE(4)) return undefined;
  const metaLength = record.readUInt32BE(RECORD_HEADER_BYTES);
  if (4 + metaLength > length) return undefined;
  try {
    const metaStart = RECORD_HEADER_BYTES + 4;
    const meta = JSON.parse(record.toString('utf8', metaStart, metaStart + metaLength)) as RecordMeta;
    return { ...meta, body: Buffer.from(record.subarray(metaStart + metaLength)) };
  } catch {
    return undefined;
  }
}
