import { IDENTITY_RPC } from '@parking/contracts';
import { DeliveryReporter } from './delivery-reporter';

const A = '1d4f0c8e-2a7b-4c61-9e3f-5b8a7d6c4e21';
const TENANT = '6f1f7e52-3b0a-4d8e-9a53-2f6b0c1d9e41';

describe('DeliveryReporter', () => {
  it('sends what was counted per integration in one call, then nothing until there is more', async () => {
    const call = jest.fn().mockResolvedValue({ ok: true });
    const reporter = new DeliveryReporter({ call }, { intervalMs: 60_000, warn: () => undefined });
    reporter.accepted(A, TENANT, new Date('2026-11-23T10:00:00.000Z'));
    reporter.accepted(A, TENANT, new Date('2026-11-23T10:00:05.000Z'));
    reporter.rejected(A, TENANT, 'bad-signature', new Date('2026-11-23T10:00:06.000Z'));
    await reporter.flush();
    await reporter.flush();
    expect(call).toHaveBeenCalledTimes(1);
    expect(call).toHaveBeenCalledWith(
      IDENTITY_RPC.reportIntegrationDeliveries,
      { reports: [{ integrationId: A, tenantId: TENANT, lastReceivedAt: '2026-11-23T10:00:05.000Z', rejections: [{ at: '2026-11-23T10:00:06.000Z', reason: 'bad-signature' }] }] },
      {},
      { timeoutMs: 5_000 },
    );
  });

  it('logs and drops a report identity did not take, and never throws', async () => {
    const warnings: string[] = [];
    const call = jest.fn().mockRejectedValue(new Error('no responders'));
    const reporter = new DeliveryReporter({ call }, { intervalMs: 60_000, warn: (m) => warnings.push(m) });
    reporter.rejected(A, TENANT, 'bad-token', new Date());
    await expect(reporter.flush()).resolves.toBeUndefined();
    expect(warnings).toEqual([expect.stringMatching(/dropped: no responders/)]);
    await reporter.flush();
    expect(call).toHaveBeenCalledTimes(1);
  });

  it('keeps the latest 100 refusals of an integration between reports', async () => {
    const call = jest.fn().mockResolvedValue({ ok: true });
    const reporter = new DeliveryReporter({ call }, { intervalMs: 60_000, warn: () => undefined });
    for (let i = 0; i < 150; i++) reporter.rejected(A, TENANT, 'bad-payload', new Date(Date.UTC(2026, 0, 1, 0, 0, i)));
    await reporter.flush();
    const { reports } = call.mock.calls[0][1] as { reports: Array<{ rejections: Array<{ at: string }> }> };
    expect(reports[0].rejections).toHaveLength(100);
    expect(reports[0].rejections[0].at).toBe('2026-01-01T00:00:50.000Z');
  });
});
