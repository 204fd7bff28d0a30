import { open, readFile, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { CURSOR_FILE, ensureDirectory, listSegments, segmentFileName, syncDirectory, writeFileDurably } from './spool-files';
import { decodeRecord, encodeRecord, payloadLengthOf, RECORD_HEADER_BYTES, type SpooledWebhook } from './spool-record';

export interface SpoolPosition {
  segment: number;
  offset: number;
}

/** A record read for replay: acknowledge it with `advance(entry)` once JetStream acked it. */
export interface SpoolEntry {
  webhook: SpooledWebhook;
  /** Where the next record starts. */
  next: SpoolPosition;
  size: number;
}

export interface SpoolStats {
  events: number;
  bytes: number;
  capacityBytes: number;
  /** Epoch ms of the oldest event not yet replayed. */
  oldestSpooledAt?: number;
}

export interface WebhookSpoolOptions {
  dir: string;
  /** Most bytes of events waiting for replay; an append beyond it is refused. */
  maxBytes: number;
  /**
   * Most bytes of one owner's events (see `ownerOf`): one tenant's flood during a NATS outage
   * fills its own share, and the rest of the spool stays free for the others. Default: maxBytes.
   */
  maxBytesPerOwner?: number;
  /** Whose share an event counts against (the gateway: its tenant). Default: one owner for all. */
  ownerOf?: (webhook: Pick<SpooledWebhook, 'subject' | 'headers'>) => string;
  /** A segment is closed and a new one started once it holds this much. */
  segmentBytes?: number;
  warn?: (message: string) => void;
}

/**
 * The spool holds `maxBytes` of events already (`scope: 'spool'`), or the event's owner holds its
 * share (`scope: 'owner'`): the caller answers 503 and alerts.
 */
export class SpoolFullError extends Error {
  override readonly name = 'SpoolFullError';
  constructor(
    message: string,
    readonly scope: 'spool' | 'owner' = 'spool',
  ) {
    super(message);
  }
}

export class SpoolClosedError extends Error {
  override readonly name = 'SpoolClosedError';
}

interface Segment {
  seq: number;
  /** End of the last complete, synced record; a reader never goes past it. */
  end: number;
  sealed: boolean;
  reader?: FileHandle;
}

interface PendingAppend {
  record: Buffer;
  owner: string;
  spooledAt: number;
  resolve: () => void;
  reject: (error: Error) => void;
}

const DEFAULT_SEGMENT_BYTES = 16 * 1024 * 1024;

/**
 * The webhooks that could not reach JetStream, in an append-only log of segment files under
 * `dir` (`<20-digit seq>.seg`), and how far replay got (`cursor.json`, replaced atomically).
 *
 * - `append` resolves only after the record is written and fdatasync'ed. Appends that arrive
 *   while a write is under way are written together by the next one (group commit): one write
 *   and one fdatasync for all of them.
 * - Every boot starts a new segment, so a torn record (crash in the middle of a write) can only
 *   be the last one of a sealed segment; the boot scan finds it by length and CRC and skips it.
 * - Replay reads records in order from the cursor (`next`), and `advance` moves the cursor
 *   past a record once it is published; the cursor is persisted by `persistCursor` (callers
 *   batch it: replaying a record twice is harmless, msgID dedup and the consumer's dedup drop it).
 *   A segment is deleted once the persisted cursor has left it.
 *
 * One process per directory: every gateway replica needs its own SPOOL_DIR.
 */
export class WebhookSpool {
  private readonly segments: Segment[] = [];
  private active!: Segment & { writer: FileHandle };
  private cursor: SpoolPosition = { segment: 0, offset: 0 };
  private persistedCursor = '';
  private queue: PendingAppend[] = [];
  private queuedBytes = 0;
  private flushing?: Promise<void>;
  private closed = false;
  private events = 0;
  private syncs = 0;
  private bytes = 0;
  /** spooledAt of every event not yet replayed, oldest first from `timesHead`. */
  private times: number[] = [];
  private timesHead = 0;
  private readonly listeners = new Set<() => void>();
  private readonly segmentBytes: number;
  private readonly warn: (message: string) => void;
  /** Bytes each owner holds, appends under way included. */
  private readonly held = new Map<string, number>();
  private readonly maxBytesPerOwner: number;
  private readonly ownerOf: (webhook: Pick<SpooledWebhook, 'subject' | 'headers'>) => string;

  private constructor(private readonly options: WebhookSpoolOptions) {
    this.segmentBytes = options.segmentBytes ?? DEFAULT_SEGMENT_BYTES;
    this.warn = options.warn ?? (() => undefined);
    this.maxBytesPerOwner = Math.min(options.maxBytesPerOwner ?? options.maxBytes, options.maxBytes);
    this.ownerOf = options.ownerOf ?? (() => '');
  }

  static async open(options: WebhookSpoolOptions): Promise<WebhookSpool> {
    const spool = new WebhookSpool(options);
    await spool.load();
    return spool;
  }

  get stats(): SpoolStats {
    const oldest = this.times[this.timesHead];
    return { events: this.events, bytes: this.bytes, capacityBytes: this.options.maxBytes, ...(oldest === undefined ? {} : { oldestSpooledAt: oldest }) };
  }

  /** fdatasync calls so far: with group commit, far fewer than appends under concurrency. */
  get syncCount(): number {
    return this.syncs;
  }

  get isEmpty(): boolean {
    return this.events === 0;
  }

  /** Called after each group of appends became durable (wakes the replayer). */
  onAppended(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Resolves once the webhook is on disk and synced; rejects with SpoolFullError when the spool,
   * or its owner's share of it, is full. The owner's bytes are counted when the append is
   * queued, so concurrent appends cannot overrun a share.
   */
  append(webhook: Omit<SpooledWebhook, 'spooledAt'> & { spooledAt?: number }): Promise<void> {
    if (this.closed) return Promise.reject(new SpoolClosedError('the spool is closed'));
    const spooledAt = webhook.spooledAt ?? Date.now();
    const record = encodeRecord({ ...webhook, spooledAt });
    if (this.bytes + this.queuedBytes + record.length > this.options.maxBytes) {
      return Promise.reject(new SpoolFullError(`the spool holds ${this.bytes} bytes of webhooks; its limit is ${this.options.maxBytes}`));
    }
    const owner = this.ownerOf(webhook);
    const held = this.held.get(owner) ?? 0;
    if (held + record.length > this.maxBytesPerOwner) {
      return Promise.reject(new SpoolFullError(`the sender's share of the spool is full (${held} bytes; a share is ${this.maxBytesPerOwner})`, 'owner'));
    }
    this.held.set(owner, held + record.length);
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ record, owner, spooledAt, resolve, reject });
      this.queuedBytes += record.length;
      this.flushing ??= this.flush();
    });
  }

  /** The record at the cursor, or undefined when everything durable has been replayed. */
  async next(): Promise<SpoolEntry | undefined> {
    for (;;) {
      const segment = this.segments.find((s) => s.seq === this.cursor.segment);
      if (!segment) throw new Error(`spool segment ${this.cursor.segment} is missing`);
      if (this.cursor.offset < segment.end) {
        const entry = await this.read(segment, this.cursor.offset);
        if (entry) return entry;
        this.warn(`spool segment ${segmentFileName(segment.seq)} holds an unreadable record at byte ${this.cursor.offset}; skipping the rest of it`);
        this.dropRest(segment);
        continue;
      }
      const following = this.segments.find((s) => s.seq > segment.seq);
      // The segment being written to, or one sealed after a failed write whose successor is not there yet.
      if (!segment.sealed || !following) return undefined;
      await this.leave(segment, following);
    }
  }

  /** Moves the cursor past a replayed record (in memory; see persistCursor). */
  advance(entry: SpoolEntry): void {
    this.cursor = entry.next;
    this.events -= 1;
    this.bytes -= entry.size;
    this.release(this.ownerOf(entry.webhook), entry.size);
    // Nothing waits and nothing is being written: every share is empty (whatever a skipped corrupt record left counted).
    if (this.events === 0 && this.queuedBytes === 0) this.held.clear();
    this.timesHead += 1;
    if (this.timesHead > 4096 && this.timesHead * 2 > this.times.length) {
      this.times = this.times.slice(this.timesHead);
      this.timesHead = 0;
    }
  }

  /** Makes the cursor durable (a no-op when it did not move). */
  async persistCursor(): Promise<void> {
    const content = JSON.stringify(this.cursor);
    if (content === this.persistedCursor) return;
    await writeFileDurably(path.join(this.options.dir, CURSOR_FILE), content);
    this.persistedCursor = content;
  }

  /** Waits for appends under way, persists the cursor and closes the files. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.flushing;
    await this.persistCursor().catch((error: Error) => this.warn(`cannot persist the spool cursor: ${error.message}`));
    await this.active.writer.close().catch(() => undefined);
    for (const segment of this.segments) await segment.reader?.close().catch(() => undefined);
  }

  private async load(): Promise<void> {
    const { dir } = this.options;
    await ensureDirectory(dir);
    this.cursor = await this.readCursor();
    for (const seq of await listSegments(dir)) {
      if (seq < this.cursor.segment) {
        // Replayed before a crash that came before its removal.
        await rm(path.join(dir, segmentFileName(seq)), { force: true });
        continue;
      }
      this.segments.push(await this.scan(seq, seq === this.cursor.segment ? this.cursor.offset : 0));
    }
    const first = this.segments[0];
    if (first && first.seq !== this.cursor.segment) this.cursor = { segment: first.seq, offset: 0 };
    const last = this.segments.at(-1);
    this.active = await this.createSegment(Math.max(last?.seq ?? 0, this.cursor.segment) + 1);
    if (!first) this.cursor = { segment: this.active.seq, offset: 0 };
    await this.persistCursor();
  }

  private async readCursor(): Promise<SpoolPosition> {
    const file = path.join(this.options.dir, CURSOR_FILE);
    try {
      const value = JSON.parse(await readFile(file, 'utf8')) as Partial<SpoolPosition>;
      if (Number.isSafeInteger(value.segment) && Number.isSafeInteger(value.offset) && value.segment! >= 0 && value.offset! >= 0) {
        this.persistedCursor = JSON.stringify(value);
        return { segment: value.segment!, offset: value.offset! };
      }
      this.warn(`${file} is not a spool cursor; replaying the spool from its start`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.warn(`cannot read ${file} (${(error as Error).message}); replaying the spool from its start`);
    }
    return { segment: 0, offset: 0 };
  }

  /** Counts the valid records of a segment from `from`, and where the valid part ends. */
  private async scan(seq: number, from: number): Promise<Segment> {
    const file = path.join(this.options.dir, segmentFileName(seq));
    const content = await readFile(file);
    let offset = Math.min(from, content.length);
    while (offset + RECORD_HEADER_BYTES <= content.length) {
      const length = payloadLengthOf(content.subarray(offset, offset + RECORD_HEADER_BYTES));
      const end = offset + RECORD_HEADER_BYTES + (length ?? 0);
      if (length === undefined || end > content.length) break;
      const webhook = decodeRecord(content.subarray(offset, end));
      if (!webhook) break;
      this.events += 1;
      this.bytes += end - offset;
      const owner = this.ownerOf(webhook);
      this.held.set(owner, (this.held.get(owner) ?? 0) + end - offset);
      this.times.push(webhook.spooledAt);
      offset = end;
    }
    if (offset < content.length) {
      this.warn(`spool segment ${segmentFileName(seq)} ends with ${content.length - offset} bytes of a torn record (a crash during a write); skipping them`);
    }
    return { seq, end: offset, sealed: true };
  }

  private async createSegment(seq: number): Promise<Segment & { writer: FileHandle }> {
    const writer = await open(path.join(this.options.dir, segmentFileName(seq)), 'a', 0o600);
    try {
      await syncDirectory(this.options.dir);
    } catch (error) {
      await writer.close().catch(() => undefined);
      throw error;
    }
    const segment = { seq, end: 0, sealed: false, writer };
    this.segments.push(segment);
    return segment;
  }

  /** Clears `flushing` in the same tick in which it sees the queue empty, so no append is left behind. */
  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      const size = batch.reduce((sum, pending) => sum + pending.record.length, 0);
      try {
        if (this.active.end >= this.segmentBytes || this.active.sealed) await this.roll();
        await writeAll(this.active.writer, batch.map((pending) => pending.record), size);
        await this.active.writer.datasync();
        this.syncs += 1;
        this.active.end += size;
        this.events += batch.length;
        this.bytes += size;
        for (const pending of batch) this.times.push(pending.spooledAt);
        this.queuedBytes -= size;
        for (const pending of batch) pending.resolve();
        for (const listener of this.listeners) listener();
      } catch (error) {
        this.queuedBytes -= size;
        for (const pending of batch) this.release(pending.owner, pending.record.length);
        for (const pending of batch) pending.reject(error as Error);
        // The segment may now hold part of this batch: readers stop at its last synced end, and
        // the next write goes to a new segment.
        this.active.sealed = true;
      }
    }
    this.flushing = undefined;
  }

  private release(owner: string, size: number): void {
    const left = (this.held.get(owner) ?? 0) - size;
    if (left > 0) this.held.set(owner, left);
    else this.held.delete(owner);
  }

  private async roll(): Promise<void> {
    const previous = this.active;
    previous.sealed = true;
    this.active = await this.createSegment(previous.seq + 1);
    await previous.writer.close().catch(() => undefined);
  }

  private async read(segment: Segment, offset: number): Promise<SpoolEntry | undefined> {
    segment.reader ??= await open(path.join(this.options.dir, segmentFileName(segment.seq)), 'r');
    const header = Buffer.alloc(RECORD_HEADER_BYTES);
    await segment.reader.read(header, 0, RECORD_HEADER_BYTES, offset);
    const length = payloadLengthOf(header);
    if (length === undefined || offset + RECORD_HEADER_BYTES + length > segment.end) return undefined;
    const record = Buffer.alloc(RECORD_HEADER_BYTES + length);
    const { bytesRead } = await segment.reader.read(record, 0, record.length, offset);
    const webhook = bytesRead === record.length ? decodeRecord(record) : undefined;
    if (!webhook) return undefined;
    return { webhook, next: { segment: segment.seq, offset: offset + record.length }, size: record.length };
  }

  /** A corrupt record in the middle of a segment: what follows it cannot be trusted (nor counted). */
  private dropRest(segment: Segment): void {
    segment.end = this.cursor.offset;
    // The next write rolls to a new segment.
    segment.sealed = true;
  }

  /** The cursor has passed the end of a sealed segment: persist that, then delete the file. */
  private async leave(segment: Segment, following: Segment): Promise<void> {
    this.cursor = { segment: following.seq, offset: 0 };
    await this.persistCursor();
    this.segments.splice(this.segments.indexOf(segment), 1);
    await segment.reader?.close().catch(() => undefined);
    await rm(path.join(this.options.dir, segmentFileName(segment.seq)), { force: true });
  }
}

async function writeAll(handle: FileHandle, buffers: Buffer[], size: number): Promise<void> {
  const { bytesWritten } = await handle.writev(buffers);
  if (bytesWritten === size) return;
  // Short writes are rare on regular files; finish the batch in one piece.
  const rest = Buffer.concat(buffers).subarray(bytesWritten);
  let written = 0;
  while (written < rest.length) written += (await handle.write(rest, written)).bytesWritten;
}
