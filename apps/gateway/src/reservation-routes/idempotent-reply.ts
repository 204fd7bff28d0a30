import type { IdempotentReservationAnswer, ReservationView } from '@parking/contracts';
import type { FastifyReply } from 'fastify';
import { IDEMPOTENT_REPLAYED_HEADER } from '../http-params/idempotency-key';

/** The reservation of an answer under an Idempotency-Key; a replayed one says so in a header. */
export function idempotentReply(reply: FastifyReply, answer: IdempotentReservationAnswer): ReservationView {
  if (answer.replayed) void reply.header(IDEMPOTENT_REPLAYED_HEADER, 'true');
  return answer.reservation;
}
