/**
 * Publishes rows with up to `maxInFlight` acks outstanding and takes the acks in row
 * order: only the acked prefix counts as published, and the first failure ends the batch.
 * Publishes from one connection reach the stream in order, so a window keeps the order;
 * a row after a failure may already be stored, and its later republication is dropped by
 * JetStream's duplicate window (or the consumers' inboxes).
 */
export interface InOrderSteps<Row> {
  publish(row: Row): Promise<unknown>;
  /** Runs before each publish; a throw aborts the batch (fault injection). */
  before?(row: Row): Promise<void>;
  /** Runs after each ack, in order; a throw aborts the batch (fault injection). */
  after?(row: Row): Promise<void>;
}

export interface InOrderOutcome<Row> {
  published: Row[];
  failure?: { row: Row; error: unknown };
}

export async function publishInOrder<Row>(rows: readonly Row[], maxInFlight: number, steps: InOrderSteps<Row>): Promise<InOrderOutcome<Row>> {
  const outcome: InOrderOutcome<Row> = { published: [] };
  const inFlight: Array<{ row: Row; ack: Promise<unknown> }> = [];
  const settleOldest = async (): Promise<void> => {
    const { row, ack } = inFlight.shift() as { row: Row; ack: Promise<unknown> };
    try {
      await ack;
    } catch (error) {
      outcome.failure = { row, error };
      return;
    }
    await steps.after?.(row);
    outcome.published.push(row);
  };
  for (const row of rows) {
    if (inFlight.length >= maxInFlight) await settleOldest();
    if (outcome.failure) break;
    // Only awaited when there is a hook: every await lets the client flush, and publishes queued
    // in one go leave in one socket write instead of one each.
    if (steps.before) await steps.before(row);
    const ack = steps.publish(row);
    ack.catch(() => undefined); // settled in order below, or abandoned after a failure
    inFlight.push({ row, ack });
  }
  while (!outcome.failure && inFlight.length > 0) await settleOldest();
  return outcome;
}
