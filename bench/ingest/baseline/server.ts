// A baseline endpoint in a process of its own, so its CPU time can be read from /proc the
// same way as the platform's. BASELINE_MODE picks what the endpoint does with an uplink:
//   b0: answer 200;  b2: validate, INSERT … ON CONFLICT DO NOTHING;  b3: validate, publish to JetStream, await the ack.
// The parent (launch.ts) forks it and learns its port over IPC.
import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import { headers as natsHeaders, type NatsConnection } from '@nats-io/nats-core';
import { Namespace } from '@parking/contracts';
import { connectNats } from '@parking/messaging';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { Pool } from 'pg';
import { validateUplink } from '../validate-uplink';
import { BENCH_SUBJECT_ROOT, BENCH_TABLE, type BaselineMode } from './modes';

const mode = process.env.BASELINE_MODE as BaselineMode;
const problem = (reply: FastifyReply, detail: string) =>
  reply.code(400).type('application/problem+json').send({ type: '/problems/validation-failed', title: 'Validation failed', status: 400, detail });

async function handlerFor(): Promise<{ handle: (body: Buffer, reply: FastifyReply) => Promise<unknown>; close: () => Promise<void> }> {
  if (mode === 'b0') return { handle: async (_body, reply) => reply.code(200).send({ ok: true }), close: async () => undefined };
  if (mode === 'b2') {
    const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.BASELINE_PG_POOL ?? 16) });
    const insert = `INSERT INTO ${BENCH_TABLE} (deduplication_id, dev_eui, f_cnt, body) VALUES ($1, $2, $3, $4::jsonb) ON CONFLICT (deduplication_id) DO NOTHING`;
    return {
      handle: async (body, reply) => {
        const check = validateUplink(body);
        if (!check.ok) return problem(reply, check.detail);
        const { deduplicationId, devEui, fCnt } = check.uplink;
        // A named statement is parsed and planned once per connection, as an ORM would.
        await pool.query({ name: 'insert-uplink', text: insert, values: [deduplicationId, devEui, fCnt, body.toString('utf8')] });
        return reply.code(200).send({ ok: true });
      },
      close: () => pool.end(),
    };
  }
  if (mode === 'b3') {
    const ns = new Namespace(process.env.NATS_NAMESPACE ?? '');
    const nc: NatsConnection = await connectNats({ url: process.env.NATS_URL || 'nats://127.0.0.1:4222', name: 'bench-baseline-b3' });
    const js: JetStreamClient = jetstream(nc);
    return {
      handle: async (body, reply) => {
        const check = validateUplink(body);
        if (!check.ok) return problem(reply, check.detail);
        const h = natsHeaders();
        h.set('Content-Type', 'application/json');
        await js.publish(ns.subject(`${BENCH_SUBJECT_ROOT}.${check.uplink.devEui}`), body, { msgID: check.uplink.deduplicationId, headers: h });
        return reply.code(200).send({ ok: true });
      },
      close: () => nc.close(),
    };
  }
  throw new Error(`BASELINE_MODE must be b0, b2 or b3, not ${mode}`);
}

async function main(): Promise<void> {
  const { handle, close } = await handlerFor();
  const app = Fastify({ logger: false });
  // Keep the raw bytes, as the gateway does: the body is what gets stored or published.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  app.post('/api/v1/webhooks/chirpstack', (request: FastifyRequest, reply: FastifyReply) => handle(request.body as Buffer, reply));
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  process.send?.({ port: Number(new URL(address).port) });
  const stop = async () => {
    await app.close();
    await close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('disconnect', () => void stop());
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
