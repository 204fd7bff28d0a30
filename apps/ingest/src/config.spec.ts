import { loadConfig } from '@parking/config';
import { parseStreamLimits } from '@parking/contracts';
import { generateProofKeyPair, trustedKeyEntry } from '@parking/rpc-proof';
import { IngestEnv, ingestConfigFrom } from './config';
import { receiptKeepMs } from './ingest.module';

const DAY = 86_400_000;
const BASE = { DATABASE_URL: 'postgres://parking_ingest@localhost/parking', RPC_TRUSTED_KEYS: trustedKeyEntry('gateway', generateProofKeyPair().publicKey) };

describe('ingest configuration', () => {
  it('keeps uplinks a week, device logs a month and published outbox rows 6 hours by default, with a round an hour', () => {
    const config = ingestConfigFrom(loadConfig(IngestEnv, BASE));
    expect(config.retention).toEqual({ outboxHours: 6, intervalMs: 3_600_000, uplinkDays: 7, deviceLogDays: 30 });
    expect(config.http.port).toBe(3002);
  });

  it('takes the retention variables, 0 keeping rows forever, and refuses a negative one', () => {
    const config = ingestConfigFrom(loadConfig(IngestEnv, { ...BASE, UPLINK_RETENTION_DAYS: '0', DEVICE_LOG_RETENTION_DAYS: '90', OUTBOX_RETENTION_HOURS: '1', RETENTION_INTERVAL_MINUTES: '5' }));
    expect(config.retention).toEqual({ outboxHours: 1, intervalMs: 300_000, uplinkDays: 0, deviceLogDays: 90 });
    expect(() => loadConfig(IngestEnv, { ...BASE, UPLINK_RETENTION_DAYS: '-1' })).toThrow(/UPLINK_RETENTION_DAYS/);
    expect(() => loadConfig(IngestEnv, { ...BASE, RETENTION_INTERVAL_MINUTES: '0' })).toThrow(/RETENTION_INTERVAL_MINUTES/);
  });

  it('keeps an event receipt while the webhook stream or the dead letters could bring its webhook again', () => {
    expect(receiptKeepMs()).toBe(30 * DAY);
    const limits = parseStreamLimits('DEADLETTER=1GiB/2d,WEBHOOKS=1GiB/5d');
    if (!limits.ok) throw new Error(limits.reason);
    expect(receiptKeepMs(limits.limits)).toBe(5 * DAY);
  });
});
