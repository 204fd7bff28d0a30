import fc from 'fast-check';
import { CODECS, CODEC_IDS, CodecError, codecById } from './index';

describe('codec registry', () => {
  it('lists every codec under its own id', () => {
    expect(CODEC_IDS.sort()).toEqual(
      ['bosch-tps110', 'browan-tbdw100', 'chirpstack-object', 'count-display', 'dingtek-do201', 'kuando-busylight', 'nwave-nps310', 'nwave-nps405'].sort(),
    );
    for (const id of CODEC_IDS) {
      expect(CODECS[id].id).toBe(id);
      expect(codecById(id)).toBe(CODECS[id]);
      expect(CODECS[id].defaultHeartbeatSeconds).toBeGreaterThan(0);
    }
  });

  it('unknown id => undefined (also for prototype keys)', () => {
    expect(codecById('nope')).toBeUndefined();
    expect(codecById('toString')).toBeUndefined();
  });

  it('CodecError carries a reason and codec id', () => {
    const e = new CodecError('wrong_length', 'bosch-tps110', 'x');
    expect(e).toBeInstanceOf(Error);
    expect(e.reason).toBe('wrong_length');
    expect(e.message).toContain('bosch-tps110');
  });

  it('property: every codec only ever throws CodecError on random bytes, ports and objects', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CODEC_IDS),
        fc.integer({ min: -1, max: 256 }),
        fc.uint8Array({ maxLength: 40 }),
        fc.option(fc.dictionary(fc.string(), fc.jsonValue()), { nil: undefined }),
        (id, fPort, bytes, object) => {
          try {
            CODECS[id].decode({ fPort, bytes, object });
          } catch (e) {
            if (!(e instanceof CodecError)) throw e;
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});
