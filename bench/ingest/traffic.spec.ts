import { parseChirpstackEvent } from '@parking/chirpstack-events';
import { nwaveNps405 } from '@parking/ingest/codecs';
import { benchDevices, UplinkTraffic } from './traffic';

/** A seeded generator (mulberry32) so shares are exact from run to run. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('UplinkTraffic', () => {
  const devices = benchDevices(10_000);

  it('makes distinct devices with 16-hex-digit EUIs', () => {
    expect(new Set(devices.map((d) => d.devEui)).size).toBe(10_000);
    expect(devices.every((d) => /^[0-9a-f]{16}$/.test(d.devEui) && /^[0-9a-f]{8}$/.test(d.devAddr))).toBe(true);
  });

  it('mixes about 2 % exact resends and 1 % invalid bodies into fresh uplinks', () => {
    const uplinks = new UplinkTraffic(devices, { duplicateShare: 0.02, invalidShare: 0.01, random: seeded(7) }).take(20_000);
    const share = (kind: string) => uplinks.filter((u) => u.kind === kind).length / uplinks.length;
    expect(share('duplicate')).toBeGreaterThan(0.015);
    expect(share('duplicate')).toBeLessThan(0.025);
    expect(share('invalid')).toBeGreaterThan(0.007);
    expect(share('invalid')).toBeLessThan(0.013);
    const valid = uplinks.filter((u) => u.kind === 'valid');
    expect(new Set(valid.map((u) => u.deduplicationId)).size).toBe(valid.length);
    const bodies = new Map(valid.map((u) => [u.deduplicationId, u.body]));
    // A resend is byte for byte an earlier body.
    for (const duplicate of uplinks.filter((u) => u.kind === 'duplicate')) expect(bodies.get(duplicate.deduplicationId)).toBe(duplicate.body);
  });

  it('sends real ChirpStack v4 up events that the platform parser accepts, NPS405 frames, fCnt counting up per device', () => {
    const traffic = new UplinkTraffic(benchDevices(3), { duplicateShare: 0, invalidShare: 0, random: seeded(1) });
    const lastFCnt = new Map<string, number>();
    for (const uplink of traffic.take(300)) {
      const parsed = parseChirpstackEvent({ event: 'up', contentType: 'application/json', body: uplink.body });
      if (!parsed.ok || parsed.event.kind !== 'up') throw new Error(`not accepted: ${JSON.stringify(parsed)}`);
      const { devEui, fCnt, fPort, deduplicationId } = parsed.event;
      expect(deduplicationId).toBe(uplink.deduplicationId);
      expect([1, 2]).toContain(fPort);
      expect(fCnt).toBe((lastFCnt.get(devEui) ?? -1) + 1);
      lastFCnt.set(devEui, fCnt);
    }
    expect(lastFCnt.size).toBe(3);
  });

  it('makes invalid bodies the platform parser refuses', () => {
    const traffic = new UplinkTraffic(devices, { duplicateShare: 0, invalidShare: 1 });
    for (const uplink of traffic.take(30)) {
      expect(uplink.kind).toBe('invalid');
      expect(parseChirpstackEvent({ event: 'up', contentType: 'application/json', body: uplink.body }).ok).toBe(false);
    }
  });

  it('with alternateOccupancy turns each device occupied, free, occupied … over its valid uplinks, refused bodies left out', () => {
    const traffic = new UplinkTraffic(benchDevices(5), { duplicateShare: 0, invalidShare: 0.3, alternateOccupancy: true, random: seeded(3) });
    const said = new Map<string, boolean[]>();
    for (const uplink of traffic.take(400).filter((u) => u.kind === 'valid')) {
      const parsed = parseChirpstackEvent({ event: 'up', contentType: 'application/json', body: uplink.body });
      if (!parsed.ok || parsed.event.kind !== 'up') throw new Error(`not accepted: ${JSON.stringify(parsed)}`);
      const { devEui, fPort, payload } = parsed.event;
      const reading = nwaveNps405.decode({ fPort: fPort ?? 0, bytes: payload });
      said.set(devEui, [...(said.get(devEui) ?? []), reading.occupied as boolean]);
    }
    expect(said.size).toBe(5);
    for (const states of said.values()) expect(states).toEqual(states.map((_, i) => i % 2 === 0));
  });

  it('freeEach has every device report free once, and the next uplink of each turns it occupied', () => {
    const devices = benchDevices(4);
    const traffic = new UplinkTraffic(devices, { duplicateShare: 0, invalidShare: 0, alternateOccupancy: true, random: seeded(5) });
    const reading = (uplink: { body: Buffer }) => {
      const parsed = parseChirpstackEvent({ event: 'up', contentType: 'application/json', body: uplink.body });
      if (!parsed.ok || parsed.event.kind !== 'up') throw new Error('not accepted');
      return { devEui: parsed.event.devEui, fCnt: parsed.event.fCnt, occupied: nwaveNps405.decode({ fPort: parsed.event.fPort ?? 0, bytes: parsed.event.payload }).occupied };
    };
    const freed = traffic.freeEach().map(reading);
    expect(freed.map((r) => r.devEui)).toEqual(devices.map((d) => d.devEui));
    expect(freed.every((r) => r.occupied === false && r.fCnt === 0)).toBe(true);
    const next = traffic.take(4).map(reading);
    expect(next.every((r) => r.occupied === true && r.fCnt === 1)).toBe(true);
  });

  it('with alternateOccupancy sends each device once per round, in a different order each round', () => {
    const devices = benchDevices(5);
    const traffic = new UplinkTraffic(devices, { duplicateShare: 0, invalidShare: 0, alternateOccupancy: true, random: seeded(7) });
    const devEuis = traffic.take(40).map((u) => (JSON.parse(u.body.toString()) as { deviceInfo: { devEui: string } }).deviceInfo.devEui);
    const rounds = Array.from({ length: 8 }, (_, r) => devEuis.slice(r * 5, r * 5 + 5));
    for (const round of rounds) expect([...round].sort()).toEqual(devices.map((d) => d.devEui).sort());
    expect(new Set(rounds.map((round) => round.join())).size).toBeGreaterThan(1);
  });
});
