import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { crc32 } from './crc32';
import { decodeRecord, encodeRecord } from './spool-record';
import { SpoolFullError, WebhookSpool, type SpoolEntry } from './webhook-spool';

const webhook = (n: number, body = `{"n":${n}}`) => ({
  subject: `webhook.chirpstack.up.t${n}`,
  msgId: `up:${n}`,
  headers: { 'Nats-Msg-Id': `up:${n}`, 'Parking-Event': 'up' },
  body: Buffer.from(body),
});

async function drain(spool: WebhookSpool): Promise<SpoolEntry[]> {
  const entries: SpoolEntry[] = [];
  for (let entry = await spool.next(); entry; entry = await spool.next()) {
    entries.push(entry);
    spool.advance(entry);
  }
  return entries;
}

describe('crc32', () => {
  it('matches the standard check value', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(Buffer.alloc(0))).toBe(0);
  });
});

describe('spool records', () => {
  it('round-trip the subject, headers and body byte for byte', () => {
    const body = Buffer.from([0, 255, 10, 13, 0x7b]);
    const record = encodeRecord({ ...webhook(1), body, spooledAt: 1234 });
    expect(decodeRecord(record)).toEqual({ ...webhook(1), body, spooledAt: 1234 });
  });

  it('are refused when a byte is flipped or cut off', () => {
    const record = encodeRecord({ ...webhook(1), spooledAt: 1 });
    const flipped = Buffer.from(record);
    flipped[record.length - 1] ^= 1;
    expect(decodeRecord(flipped)).toBeUndefined();
    expect(decodeRecord(record.subarray(0, record.length - 1))).toBeUndefined();
  });
});

describe('WebhookSpool', () => {
  let dir: string;
  const opened: WebhookSpool[] = [];
  const openSpool = async (options: { maxBytes?: number; maxBytesPerOwner?: number; segmentBytes?: number; warn?: (m: string) => void } = {}) => {
    const spool = await WebhookSpool.open({
      dir,
      maxBytes: options.maxBytes ?? 1024 * 1024,
      maxBytesPerOwner: options.maxBytesPerOwner,
      ownerOf: (spooled) => spooled.headers['Parking-Tenant-Id'] ?? '_platform',
      segmentBytes: options.segmentBytes,
      warn: options.warn,
    });
    opened.push(spool);
    return spool;
  };

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'webhook-spool-'));
  });

  afterEach(async () => {
    for (const spool of opened.splice(0)) await spool.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('replays appended webhooks in order and counts what waits', async () => {
    const spool = await openSpool();
    for (let n = 0; n < 5; n++) await spool.append(webhook(n));
    expect(spool.stats).toMatchObject({ events: 5, capacityBytes: 1024 * 1024, oldestSpooledAt: expect.any(Number) });
    expect(spool.stats.bytes).toBeGreaterThan(5 * 30);

    const entries = await drain(spool);
    expect(entries.map((e) => e.webhook.msgId)).toEqual(['up:0', 'up:1', 'up:2', 'up:3', 'up:4']);
    expect(entries[2].webhook.body.toString()).toBe('{"n":2}');
    expect(spool.stats).toEqual({ events: 0, bytes: 0, capacityBytes: 1024 * 1024 });
    expect(spool.isEmpty).toBe(true);
  });

  it('creates its directory, parents included', async () => {
    const nested = path.join(dir, 'a', 'b');
    const spool = await WebhookSpool.open({ dir: nested, maxBytes: 1024 * 1024 });
    opened.push(spool);
    await spool.append(webhook(1));
    expect(readdirSync(nested)).toContain('cursor.json');
  });

  it('writes concurrent appends together, each durable when it resolves', async () => {
    const spool = await openSpool();
    await Promise.all(Array.from({ length: 200 }, (_, n) => spool.append(webhook(n))));
    expect(spool.stats.events).toBe(200);
    // The first append is written alone; the 199 that queued behind it share the next write.
    expect(spool.syncCount).toBeLessThanOrEqual(2);
    const entries = await drain(spool);
    expect(entries.map((e) => e.webhook.msgId)).toEqual(Array.from({ length: 200 }, (_, n) => `up:${n}`));
  });

  it('keeps what was not replayed across a restart, from the persisted cursor', async () => {
    const first = await openSpool();
    for (let n = 0; n < 4; n++) await first.append(webhook(n));
    const entry = await first.next();
    first.advance(entry!);
    await first.persistCursor();
    // Advanced but not persisted when the process dies: replayed again (JetStream drops the duplicate).
    first.advance((await first.next())!);

    const second = await openSpool();
    expect(second.stats.events).toBe(3);
    expect((await drain(second)).map((e) => e.webhook.msgId)).toEqual(['up:1', 'up:2', 'up:3']);
  });

  it('persists the cursor when closed', async () => {
    const first = await openSpool();
    for (let n = 0; n < 2; n++) await first.append(webhook(n));
    first.advance((await first.next())!);
    await first.close();
    opened.splice(0);
    const second = await openSpool();
    expect((await drain(second)).map((e) => e.webhook.msgId)).toEqual(['up:1']);
  });

  it('skips a torn last record after a crash and keeps the ones before it', async () => {
    const warnings: string[] = [];
    const first = await openSpool();
    for (let n = 0; n < 3; n++) await first.append(webhook(n));
    await first.close();
    opened.splice(0);
    const segment = readdirSync(dir).filter((f) => f.endsWith('.seg')).sort().at(-1)!;
    const file = path.join(dir, segment);
    // A crash in the middle of writing a fourth record.
    appendFileSync(file, encodeRecord({ ...webhook(3), spooledAt: 1 }).subarray(0, 20));

    const second = await openSpool({ warn: (m) => warnings.push(m) });
    expect(second.stats.events).toBe(3);
    expect(warnings.join('\n')).toMatch(/torn record/);
    await second.append(webhook(4));
    expect((await drain(second)).map((e) => e.webhook.msgId)).toEqual(['up:0', 'up:1', 'up:2', 'up:4']);
  });

  it('skips a record whose bytes were damaged', async () => {
    const first = await openSpool();
    for (let n = 0; n < 2; n++) await first.append(webhook(n));
    await first.close();
    opened.splice(0);
    const segment = readdirSync(dir).filter((f) => f.endsWith('.seg')).sort().at(-1)!;
    const file = path.join(dir, segment);
    truncateSync(file, statSync(file).size - 1);
    appendFileSync(file, Buffer.from('x'));

    const second = await openSpool();
    expect((await drain(second)).map((e) => e.webhook.msgId)).toEqual(['up:0']);
  });

  it('refuses appends beyond its capacity and takes them again once replay made room', async () => {
    const size = encodeRecord({ ...webhook(0), spooledAt: Date.now() }).length;
    const spool = await openSpool({ maxBytes: size * 3 });
    for (let n = 0; n < 3; n++) await spool.append(webhook(n));
    await expect(spool.append(webhook(3))).rejects.toBeInstanceOf(SpoolFullError);
    expect(spool.stats.events).toBe(3);

    spool.advance((await spool.next())!);
    await spool.append(webhook(3));
    expect((await drain(spool)).map((e) => e.webhook.msgId)).toEqual(['up:1', 'up:2', 'up:3']);
  });

  it('rolls to new segments and deletes the ones fully replayed', async () => {
    const spool = await openSpool({ segmentBytes: 200 });
    for (let n = 0; n < 20; n++) await spool.append(webhook(n));
    expect(readdirSync(dir).filter((f) => f.endsWith('.seg')).length).toBeGreaterThan(3);

    expect((await drain(spool)).length).toBe(20);
    await spool.persistCursor();
    expect(readdirSync(dir).filter((f) => f.endsWith('.seg'))).toHaveLength(1);
    const cursor = JSON.parse(readFileSync(path.join(dir, 'cursor.json'), 'utf8')) as { segment: number; offset: number };
    expect(readdirSync(dir)).toContain(`${String(cursor.segment).padStart(20, '0')}.seg`);
  });

  it('replays across restarts with several segments, each event once', async () => {
    const first = await openSpool({ segmentBytes: 150 });
    for (let n = 0; n < 10; n++) await first.append(webhook(n));
    for (let i = 0; i < 4; i++) first.advance((await first.next())!);
    await first.persistCursor();
    await first.close();
    opened.splice(0);

    const second = await openSpool({ segmentBytes: 150 });
    await second.append(webhook(10));
    expect((await drain(second)).map((e) => e.webhook.msgId)).toEqual(['up:4', 'up:5', 'up:6', 'up:7', 'up:8', 'up:9', 'up:10']);
  });

  describe("each tenant's share", () => {
    const ofTenant = (tenant: string, n: number) => {
      // Records of one length, so shares count in whole records.
      const id = `up:${String(n).padStart(4, '0')}`;
      const base = webhook(n, `{"n":"${id}"}`);
      return { ...base, subject: `webhook.chirpstack.up.${tenant}`, msgId: id, headers: { 'Nats-Msg-Id': id, 'Parking-Event': 'up', 'Parking-Tenant-Id': tenant } };
    };
    const appendAll = async (spool: WebhookSpool, webhooks: Array<ReturnType<typeof ofTenant>>) =>
      Promise.all(webhooks.map((spooled) => spool.append(spooled).then(() => 'stored' as const, (error: unknown) => error)));

    it("lets one tenant's flood fill its own share, never the whole spool: another tenant is still taken", async () => {
      const size = encodeRecord({ ...ofTenant('tenant-a', 0), spooledAt: Date.now() }).length;
      const spool = await openSpool({ maxBytes: size * 10, maxBytesPerOwner: size * 4 });
      // Tenant A floods (concurrently, as requests arrive): four are taken, the rest refused.
      const flood = await appendAll(spool, Array.from({ length: 12 }, (_, n) => ofTenant('tenant-a', n)));
      expect(flood.filter((outcome) => outcome === 'stored')).toHaveLength(4);
      const refused = flood.filter((outcome) => outcome !== 'stored');
      expect(refused.every((error) => error instanceof SpoolFullError && error.scope === 'owner')).toBe(true);
      expect(spool.stats.events).toBe(4);

      // Tenant B and the platform secret's webhooks still have room.
      await spool.append(ofTenant('tenant-b', 100));
      await spool.append(webhook(200));
      expect(spool.stats.events).toBe(6);

      // Replay frees tenant A's share again.
      spool.advance((await spool.next())!);
      await spool.append(ofTenant('tenant-a', 12));
      await expect(spool.append(ofTenant('tenant-a', 13))).rejects.toBeInstanceOf(SpoolFullError);
    });

    it('still refuses everyone once the spool itself is full', async () => {
      const size = encodeRecord({ ...ofTenant('tenant-a', 0), spooledAt: Date.now() }).length;
      const spool = await openSpool({ maxBytes: size * 4, maxBytesPerOwner: size * 2 });
      for (const tenant of ['tenant-a', 'tenant-b']) for (let n = 0; n < 2; n++) await spool.append(ofTenant(tenant, n));
      const error = await spool.append(ofTenant('tenant-c', 0)).catch((refusal: unknown) => refusal);
      expect(error).toBeInstanceOf(SpoolFullError);
      expect((error as SpoolFullError).scope).toBe('spool');
    });

    it("counts each tenant's share again after a restart", async () => {
      const size = encodeRecord({ ...ofTenant('tenant-a', 0), spooledAt: Date.now() }).length;
      const first = await openSpool({ maxBytes: size * 10, maxBytesPerOwner: size * 3 });
      for (let n = 0; n < 3; n++) await first.append(ofTenant('tenant-a', n));
      await first.close();
      opened.splice(0);

      const second = await openSpool({ maxBytes: size * 10, maxBytesPerOwner: size * 3 });
      await expect(second.append(ofTenant('tenant-a', 3))).rejects.toBeInstanceOf(SpoolFullError);
      await second.append(ofTenant('tenant-b', 0));
      second.advance((await second.next())!);
      await second.append(ofTenant('tenant-a', 3));
    });
  });
});
