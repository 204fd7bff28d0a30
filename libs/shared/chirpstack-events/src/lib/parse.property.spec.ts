import fc from 'fast-check';
import { parseChirpstackEvent, EVENT_KINDS, type ParseResult } from '../index';
import { v4 } from '../test/docs-examples';
import { toProtobuf } from '../test/pb-builder';

const CODES = ['UNSUPPORTED_MEDIA_TYPE', 'BAD_REQUEST', 'VALIDATION_FAILED'];
const kinds = Object.keys(v4) as (keyof typeof v4)[];

function wellFormed(r: ParseResult): boolean {
  return r.ok ? typeof r.event.kind === 'string' : CODES.includes(r.problem.code) && typeof r.problem.detail === 'string';
}

const junk = fc.oneof(
  fc.integer(),
  fc.constant(1e308),
  fc.constant(-1e308),
  fc.constant(2 ** 53 + 1),
  fc.constant('9'.repeat(400)),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.string(),
  fc.constant('!!not base64!!'),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.object({ maxDepth: 1 }),
);

/** The required field of each v4 example and a value that must make it invalid. */
const requiredBreak: Record<string, fc.Arbitrary<[string, unknown]>> = {
  devEui: fc.oneof(fc.integer(), fc.constant('zz'), fc.constant(''), fc.object({ maxDepth: 0 }), fc.constant(1e308)).map((v) => ['devEui', v]),
};

// A valid example with one required field broken (wrong type, missing or bad value),
// plus random extra keys including `__proto__`.
const brokenV4 = fc
  .tuple(
    fc.constantFrom(...kinds),
    requiredBreak['devEui'],
    fc.dictionary(fc.oneof(fc.string(), fc.constant('__proto__'), fc.constant('constructor')), junk, { maxKeys: 3 }),
    fc.boolean(),
  )
  .map(([kind, [, bad], extra, drop]) => {
    const example = JSON.parse(JSON.stringify(v4[kind])) as Record<string, Record<string, unknown>>;
    if (drop) delete example['deviceInfo']['devEui'];
    else example['deviceInfo']['devEui'] = bad;
    // Build the text by hand so `__proto__` ends up as a real JSON key.
    const extras = Object.entries(extra).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v) ?? 'null'}`);
    const text = JSON.stringify(example).replace(/^\{/, extras.length ? `{${extras.join(',')},` : '{');
    return { event: kind as string, contentType: 'application/json', body: Buffer.from(text) };
  });

// Up bodies with a bad value in a typed field.
const badUpField = fc
  .tuple(
    fc.constantFrom('fCnt', 'fPort', 'data', 'devAddr', 'deduplicationId', 'rxInfo', 'time', 'object', 'deviceInfo'),
    fc.oneof(fc.constant(1e308), fc.constant(-5), fc.constant('%%%'), fc.constant(true), fc.constant(2 ** 40), fc.constant([1])),
  )
  .map(([field, value]) => {
    const body = { ...v4.up, [field]: value } as Record<string, unknown>;
    return { event: 'up', contentType: 'application/json', body: Buffer.from(JSON.stringify(body)) };
  });

const badContentType = fc
  .tuple(fc.constantFrom(...kinds), fc.oneof(fc.constant(undefined), fc.constant(''), fc.constantFrom('text/plain', 'application/xml', 'multipart/form-data'), fc.string()))
  .filter(([, ct]) => {
    const t = (ct ?? '').split(';')[0].trim().toLowerCase();
    return !['application/json', 'text/json', 'application/octet-stream', 'application/protobuf', 'application/x-protobuf'].includes(t) && !t.endsWith('+json');
  })
  .map(([kind, ct]) => ({ event: kind as string, contentType: ct, body: Buffer.from(JSON.stringify(v4[kind])) }));

const notJsonObject = fc
  .oneof(fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)), fc.jsonValue().filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)).map((v) => Buffer.from(JSON.stringify(v) ?? '')), fc.string().map((s) => Buffer.from(s)))
  .filter((b) => {
    try {
      const v: unknown = JSON.parse(b.toString('utf8'));
      return typeof v !== 'object' || v === null || Array.isArray(v);
    } catch {
      return true;
    }
  })
  .map((body) => ({ event: 'up', contentType: 'application/json', body }));

const badEvent = fc
  .string()
  .filter((e) => !(EVENT_KINDS as readonly string[]).includes(e) && e !== 'error')
  .map((event) => ({ event, contentType: 'application/json', body: Buffer.from(JSON.stringify(v4.up)) }));

const invalid = fc.oneof(brokenV4, badUpField, badContentType, notJsonObject, badEvent);

// Anything at all, including truncated/corrupted protobuf (which may still decode to something).
const pbBodies = kinds.map((k) => Buffer.from(toProtobuf(k, v4[k])));
const truncatedPb = fc
  .tuple(fc.nat(kinds.length - 1), fc.nat(), fc.option(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }))))
  .map(([i, cut, flip]) => {
    const full = Buffer.from(pbBodies[i]);
    if (flip) full[flip[0] % full.length] = flip[1];
    return { event: kinds[i] as string, contentType: 'application/octet-stream', body: full.subarray(0, cut % full.length) };
  });
const randomPb = fc
  .tuple(fc.constantFrom(...kinds), fc.uint8Array({ maxLength: 128 }))
  .map(([k, b]) => ({ event: k as string, contentType: 'application/octet-stream', body: Buffer.from(b) }));

describe('parseChirpstackEvent property', () => {
  it('answers ok:false with a known problem code for invalid bodies (never throws)', () => {
    fc.assert(
      fc.property(invalid, (input) => {
        const r = parseChirpstackEvent(input);
        expect(r.ok).toBe(false);
        if (!r.ok) expect(CODES).toContain(r.problem.code);
      }),
      { numRuns: 2500 },
    );
  });

  it('never throws on truncated, corrupted or random protobuf and arbitrary input', () => {
    fc.assert(
      fc.property(fc.oneof(truncatedPb, randomPb, invalid), (input) => {
        expect(wellFormed(parseChirpstackEvent(input))).toBe(true);
      }),
      { numRuns: 2500 },
    );
  });

  it('truncated protobuf of an uplink is never accepted as that same complete uplink', () => {
    // A cut at a field boundary may still decode; it must then be reported, or differ.
    const full = pbBodies[kinds.indexOf('up')];
    for (let n = 1; n < 12; n++) {
      const r = parseChirpstackEvent({ event: 'up', contentType: 'application/octet-stream', body: full.subarray(0, n) });
      expect(r.ok).toBe(false);
    }
  });

  it('does not throw on inputs that are not even the right shape', () => {
    for (const input of [undefined, null, {}, { event: 'up' }, { event: 'up', contentType: 'application/json', body: 'str' }]) {
      expect(wellFormed(parseChirpstackEvent(input as never))).toBe(true);
    }
  });
});
