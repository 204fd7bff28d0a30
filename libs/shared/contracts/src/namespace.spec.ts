import { STREAMS } from './streams';
import { Namespace } from './namespace';

describe('Namespace', () => {
  it('prefixes subjects and stream names', () => {
    const ns = new Namespace('t1x-y');
    expect(ns.subject('identity.tenant.created.v1.a.b')).toBe('t1x-y.identity.tenant.created.v1.a.b');
    expect(ns.stream('IDENTITY')).toBe('T1X_Y_IDENTITY');
    expect(ns.streamSpec(STREAMS.DEADLETTER)).toMatchObject({ name: 'T1X_Y_DEADLETTER', subjects: ['t1x-y.deadletter.>'] });
    expect(ns.unqualify('t1x-y.identity.x')).toBe('identity.x');
  });

  it('maps everything to itself when empty', () => {
    const ns = new Namespace('');
    expect(ns.subject('identity.>')).toBe('identity.>');
    expect(ns.stream('IDENTITY')).toBe('IDENTITY');
  });

  it('refuses a prefix that would break subjects', () => {
    expect(() => new Namespace('a.b')).toThrow(/Namespace/);
  });
});
