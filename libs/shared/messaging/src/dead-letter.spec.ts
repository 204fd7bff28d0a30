import type { JsMsg } from '@nats-io/jetstream';
import { headers } from '@nats-io/nats-core';
import { deadLetterRecord } from './dead-letter';
import { decodeEvent } from './decode-event';

function fakeMsg(data: Uint8Array): JsMsg {
  const h = headers();
  h.set('traceparent', '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
  return {
    subject: 'ns.identity.tenant.created.v1.t.a',
    seq: 42,
    data,
    headers: h,
    info: { stream: 'NS_IDENTITY', deliveryCount: 3 },
  } as unknown as JsMsg;
}

describe('dead letters', () => {
  it('keep a UTF-8 payload readable, with the headers and where it came from', () => {
    const record = deadLetterRecord(fakeMsg(Buffer.from('{"a":1}')), 'identity-projector', 'boom');
    expect(record).toMatchObject({
      originalSubject: 'ns.identity.tenant.created.v1.t.a',
      stream: 'NS_IDENTITY',
      consumer: 'identity-projector',
      streamSequence: 42,
      deliveries: 3,
      reason: 'boom',
      payload: '{"a":1}',
      payloadEncoding: 'utf8',
      headers: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
    });
  });

  it('keep a binary payload as base64', () => {
    const bytes = Uint8Array.from([0xff, 0xfe, 0x00, 0x01]);
    const record = deadLetterRecord(fakeMsg(bytes), 'c', 'r');
    expect(record.payloadEncoding).toBe('base64');
    expect(Buffer.from(record.payload, 'base64')).toEqual(Buffer.from(bytes));
  });
});

describe('decodeEvent', () => {
  it('names an unknown event type', () => {
    const envelope = {
      specversion: '1.0',
      id: '0b6a3c56-8f3e-4a49-9d0c-6c1e0f6a2b11',
      source: '/parking/identity',
      type: 'identity.tenant.vanished.v1',
      subject: 'x',
      time: '2025-01-01T00:00:00Z',
      tenantid: '0b6a3c56-8f3e-4a49-9d0c-6c1e0f6a2b11',
      datacontenttype: 'application/json',
      data: {},
    };
    expect(decodeEvent(fakeMsg(Buffer.from(JSON.stringify(envelope))))).toEqual({
      ok: false,
      kind: 'unknown_type',
      reason: 'unknown event type identity.tenant.vanished.v1',
    });
  });

  it('refuses an envelope published on a subject that is not its own', () => {
    const envelope = {
      specversion: '1.0',
      id: '0b6a3c56-8f3e-4a49-9d0c-6c1e0f6a2b11',
      source: '/parking/identity',
      type: 'identity.tenant.suspended.v1',
      subject: 'a',
      time: '2025-01-01T00:00:00Z',
      tenantid: '0b6a3c56-8f3e-4a49-9d0c-6c1e0f6a2b11',
      datacontenttype: 'application/json',
      data: { tenantId: '0b6a3c56-8f3e-4a49-9d0c-6c1e0f6a2b11', reason: 'unpaid', suspendedAt: '2025-01-01T00:00:00Z' },
    };
    expect(decodeEvent(fakeMsg(Buffer.from(JSON.stringify(envelope))))).toMatchObject({
      ok: false,
      kind: 'invalid_envelope',
      reason: 'envelope belongs on identity.tenant.suspended.v1.0b6a3c56-8f3e-4a49-9d0c-6c1e0f6a2b11.a, not on ns.identity.tenant.created.v1.t.a',
    });
  });

  it('takes a batch message ({data, subject}) and refuses a known type other than the expected one', () => {
    const envelope = {
      specversion: '1.0',
      id: '0b6a3c56-8f3e-4a49-9d0c-6c1e0f6a2b11',
      source: '/parking/identity',
      type: 'identity.tenant.suspended.v1',
      subject: 'a',
      time: '2025-01-01T00:00:00Z',
      tenantid: '0b6a3c56-8f3e-4a49-9d0c-6c1e0f6a2b11',
      datacontenttype: 'application/json',
      data: { tenantId: '0b6a3c56-8f3e-4a49-9d0c-6c1e0f6a2b11', reason: 'unpaid', suspendedAt: '2025-01-01T00:00:00Z' },
    };
    const message = { data: Buffer.from(JSON.stringify(envelope)), subject: 'ns.identity.tenant.suspended.v1.0b6a3c56-8f3e-4a49-9d0c-6c1e0f6a2b11.a' };
    expect(decodeEvent(message)).toEqual({ ok: true, envelope });
    expect(decodeEvent(message, 'identity.tenant.suspended.v1')).toEqual({ ok: true, envelope });
    expect(decodeEvent(message, 'ingest.uplink.received.v1')).toEqual({
      ok: false,
      kind: 'unknown_type',
      reason: 'unexpected event type identity.tenant.suspended.v1 (expected ingest.uplink.received.v1)',
    });
  });

  it('names every envelope problem', () => {
    const decoded = decodeEvent(fakeMsg(Buffer.from('{"specversion":"1.0"}')));
    expect(decoded).toMatchObject({ ok: false, kind: 'invalid_envelope' });
    expect(!decoded.ok && decoded.reason).toMatch(/\/id: must have required property 'id'/);
  });
});
