// The chaos run's steady load, as clients send it: ChirpStack `up` webhooks from the sensors
// and the count signs, and bookings through the REST API. Every request is sent again as it
// was (same body, same deduplicationId or Idempotency-Key) until the platform answers it for
// good, and the ledger records every 2xx.
import { randomUUID } from 'node:crypto';
import type { ZoneTraffic } from '../e2e/zone-traffic';
import type { BenchDevice } from '../ingest/traffic';
import type { AcceptedBooking, AcceptedFrame, SpaceState } from './verify';

/** How long a request is tried again before the driver gives up on it (and it counts as unanswered). */
const GIVE_UP_MS = 180_000;
const RETRY_MS = 250;
const REQUEST_TIMEOUT_MS = 10_000;
/** Nwave NPS405 Parking Status: bit 0 is occupied. */
const OCCUPIED_BIT = 0x01;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What one answer means for the request: done (2xx or a final 4xx), or send it again later. */
type Outcome = { done: true; status: number; body: string } | { done: false; why: string };

/** Where the load goes: the gateway's origin may not change, but the process behind it does. */
export interface LoadTarget {
  origin: string;
  webhookHeaders: Record<string, string>;
  accessToken: string;
}

/** Counts of answers the platform gave while it was being hurt (a window per fault). */
export interface AnswerCounts {
  accepted: number;
  /** 503 (not durable now: the spool is full or the service behind is down) and 5xx, then sent again. */
  unavailable: number;
  /** No answer at all (connection refused or reset, a timeout), then sent again. */
  unreachable: number;
  /** 503 whose problem says the spool is full. */
  spoolFull: number;
}

const noAnswers = (): AnswerCounts => ({ accepted: 0, unavailable: 0, unreachable: 0, spoolFull: 0 });

export class ChaosLedger {
  readonly frames: AcceptedFrame[] = [];
  /** `devEui:fCnt` of every webhook answered 2xx (sensor and sign frames). */
  readonly webhooks: string[] = [];
  readonly bookings: AcceptedBooking[] = [];
  /** Bookings refused with a final 4xx (409: the space is taken then). */
  readonly bookingsRefused = new Map<number, number>();
  /** Requests never answered 2xx or 4xx within GIVE_UP_MS. */
  unansweredWebhooks = 0;
  unansweredBookings = 0;
  /** 4xx answers to valid webhooks: there must be none. */
  readonly refusedWebhooks: string[] = [];
  /** 5xx other than 503: there must be none but a 504 for a booking in flight when the reservations service was killed. */
  readonly serverErrors: Array<{ status: number; during: string; body: string }> = [];
  private window = noAnswers();
  private during = 'the steady load';

  /** Starts a new window of answer counts (`during`: what happens meanwhile) and returns the one that ended. */
  nextWindow(during = 'the steady load'): AnswerCounts {
    const ended = this.window;
    this.window = noAnswers();
    this.during = during;
    return ended;
  }

  /** A 5xx other than 503, with what was happening when it came. */
  serverError(status: number, body: string): void {
    this.serverErrors.push({ status, during: this.during, body: body.slice(0, 300) });
  }

  /** The answer counts of the window so far. */
  peek(): AnswerCounts {
    return { ...this.window };
  }

  count(what: keyof AnswerCounts): void {
    this.window[what]++;
  }
}

/** One request sent until it is answered for good; 2xx and 4xx are final, 429, 503 and no answer are not. */
async function untilAnswered(ledger: ChaosLedger, send: () => Promise<Response>): Promise<(Outcome & { done: true }) | undefined> {
  const giveUpAt = Date.now() + GIVE_UP_MS;
  while (Date.now() < giveUpAt) {
    const outcome = await send()
      .then(async (response): Promise<Outcome> => {
        const body = await response.text();
        if (response.status < 500 && response.status !== 429) return { done: true, status: response.status, body };
        if (response.status === 503) {
          ledger.count('unavailable');
          if (/spool is full/.test(body)) ledger.count('spoolFull');
        } else if (response.status === 429) ledger.count('unavailable');
        else ledger.serverError(response.status, body);
        return { done: false, why: `${response.status}` };
      })
      .catch((error: Error): Outcome => {
        ledger.count('unreachable');
        return { done: false, why: error.message };
      });
    if (outcome.done) return outcome;
    await pause(RETRY_MS);
  }
  return undefined;
}

/** Who sent an `up` body and which frame it is. */
function frameOf(body: Buffer): { devEui: string; fCnt: number; data: string } {
  const up = JSON.parse(body.toString('utf8')) as { deviceInfo: { devEui: string }; fCnt: number; data: string };
  return { devEui: up.deviceInfo.devEui, fCnt: up.fCnt, data: up.data };
}

/**
 * Sensor webhooks from `traffic` at `rate` a second, at most `concurrency` waiting for their
 * answer at once (a sender stuck on an outage holds its slot, as a network server's queue does),
 * and each count sign's own report every `signEveryMs`.
 */
export class WebhookLoad {
  private stopping = false;
  private readonly running: Promise<void>[] = [];
  private inFlight = 0;
  private burst = 0;

  constructor(
    private readonly target: LoadTarget,
    private readonly traffic: ZoneTraffic,
    private readonly signs: ReadonlyArray<{ sign: BenchDevice; gatewayId: string }>,
    readonly ledger: ChaosLedger,
    private readonly options: { rate: number; concurrency: number; signEveryMs: number },
  ) {}

  start(): void {
    this.running.push(this.sensorLoop(), ...this.signs.map((sign, i) => this.signLoop(sign, i)));
  }

  /** Sends these sensor webhooks, a few at a time, through the ledger like the load's own. */
  async sendEach(bodies: readonly Buffer[]): Promise<void> {
    let next = 0;
    const worker = async () => {
      for (let index = next++; index < bodies.length; index = next++) await this.send(bodies[index], true);
    };
    await Promise.all(Array.from({ length: this.options.concurrency }, worker));
  }

  /** Sends `count` more sensor webhooks at once, beside the steady rate (to fill the spool). */
  addBurst(count: number): void {
    this.burst += count;
  }

  /** Waits for every webhook sent so far to be answered (or given up), then stops. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.running);
  }

  private async sensorLoop(): Promise<void> {
    const sends: Promise<void>[] = [];
    const interval = 1000 / this.options.rate;
    let next = Date.now();
    while (!this.stopping) {
      const extra = Math.min(this.burst, 64);
      this.burst -= extra;
      for (let i = 0; i < extra; i++) sends.push(this.sendSensor(this.traffic.take(1)[0].body));
      if (this.inFlight < this.options.concurrency) sends.push(this.sendSensor(this.traffic.take(1)[0].body));
      next += interval;
      await pause(Math.max(0, next - Date.now()));
      if (Date.now() - next > 1_000) next = Date.now();
    }
    await Promise.all(sends);
  }

  private async signLoop(sign: { sign: BenchDevice; gatewayId: string }, index: number): Promise<void> {
    await pause((index * this.options.signEveryMs) / Math.max(1, this.signs.length));
    while (!this.stopping) {
      await this.send(this.traffic.signReport(sign.sign, sign.gatewayId), false);
      await pause(this.options.signEveryMs);
    }
  }

  private sendSensor(body: Buffer): Promise<void> {
    return this.send(body, true);
  }

  /** `parkingStatus`: a sensor's frame, whose state the ledger keeps. */
  private async send(body: Buffer, parkingStatus: boolean): Promise<void> {
    const frame = frameOf(body);
    const key = `${frame.devEui}:${frame.fCnt}`;
    this.inFlight++;
    try {
      const answer = await untilAnswered(
        this.ledger,
        () =>
          fetch(`${this.target.origin}/api/v1/webhooks/chirpstack?event=up`, {
            method: 'POST',
            headers: this.target.webhookHeaders,
            body,
            signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
          }),
      );
      if (!answer) {
        this.ledger.unansweredWebhooks++;
        return;
      }
      if (answer.status >= 300) {
        this.ledger.refusedWebhooks.push(`${key}: ${answer.status} ${answer.body.slice(0, 300)}`);
        return;
      }
      this.ledger.count('accepted');
      this.ledger.webhooks.push(key);
      if (parkingStatus) {
        const occupied = (Buffer.from(frame.data, 'base64')[0] & OCCUPIED_BIT) === OCCUPIED_BIT;
        this.ledger.frames.push({ devEui: frame.devEui, fCnt: frame.fCnt, state: (occupied ? 'occupied' : 'free') satisfies SpaceState });
      }
    } finally {
      this.inFlight--;
    }
  }
}

/**
 * A booking every `everyMs` on one of `spaceIds` for one to three hours within the next two
 * days from tomorrow (so bookings collide and some are refused 409), each with an
 * Idempotency-Key of its own, sent again with it until answered.
 */
export class BookingLoad {
  private stopping = false;
  private running?: Promise<void>;

  constructor(
    private readonly target: LoadTarget,
    private readonly spaceIds: readonly string[],
    readonly ledger: ChaosLedger,
    private readonly options: { everyMs: number; concurrency: number },
  ) {}

  start(): void {
    this.running = this.loop();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.running;
  }

  private async loop(): Promise<void> {
    const sends: Promise<void>[] = [];
    let inFlight = 0;
    const tomorrow = new Date();
    tomorrow.setUTCHours(24, 0, 0, 0);
    while (!this.stopping) {
      if (inFlight < this.options.concurrency) {
        inFlight++;
        const spaceId = this.spaceIds[Math.floor(Math.random() * this.spaceIds.length)];
        const start = new Date(tomorrow.getTime() + Math.floor(Math.random() * 48) * 3_600_000);
        const end = new Date(start.getTime() + (1 + Math.floor(Math.random() * 3)) * 3_600_000);
        sends.push(this.book(spaceId, start.toISOString(), end.toISOString()).finally(() => inFlight--));
      }
      await pause(this.options.everyMs);
    }
    await Promise.all(sends);
  }

  private async book(spaceId: string, start: string, end: string): Promise<void> {
    const body = JSON.stringify({ spaceId, startTime: start, endTime: end });
    const key = randomUUID();
    const answer = await untilAnswered(
      this.ledger,
      () =>
        fetch(`${this.target.origin}/api/v1/reservations`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${this.target.accessToken}`, 'idempotency-key': key },
          body,
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        }),
    );
    if (!answer) {
      this.ledger.unansweredBookings++;
      return;
    }
    if (answer.status === 201) {
      const id = (JSON.parse(answer.body) as { id: string }).id;
      this.ledger.bookings.push({ id, spaceId, start, end });
      return;
    }
    this.ledger.bookingsRefused.set(answer.status, (this.ledger.bookingsRefused.get(answer.status) ?? 0) + 1);
  }
}
