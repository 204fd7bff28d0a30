/**
 * Server-Sent Events framing (WHATWG HTML, "Server-sent events"): fields end with LF, an
 * empty line ends an event, and a line starting with ':' is a comment clients ignore.
 */

/** An event with its id; a payload spanning lines becomes one `data:` line each. */
export function sseEvent(id: number, event: string, data: string): string {
  return `id: ${id}\n${sseUnnumberedEvent(event, data)}`;
}

/** An event without an id: the client's Last-Event-ID stays that of the last event with one. */
export function sseUnnumberedEvent(event: string, data: string): string {
  const lines = data.split(/\r\n|\r|\n/).map((line) => `data: ${line}\n`);
  return `event: ${event}\n${lines.join('')}\n`;
}

/** A comment line: keeps proxies and clients from timing out an idle stream. */
export function sseComment(text: string): string {
  return `: ${text.replace(/[\r\n]+/g, ' ')}\n\n`;
}

/** How long a client waits before it reconnects after the stream drops. */
export function sseRetry(ms: number): string {
  return `retry: ${Math.round(ms)}\n\n`;
}

export type ResumePoint = { ok: true; after?: number } | { ok: false; reason: string };

const SEQUENCE = /^\d{1,15}$/;

/**
 * Where a stream resumes: after the `Last-Event-ID` header a reconnecting browser sends, or
 * the `lastEventId` query parameter (a first connection cannot set headers with EventSource).
 * The header wins when both are given; an empty header means "from now", as in the spec.
 */
export function resumePoint(header: string | string[] | undefined, query: string | undefined): ResumePoint {
  const value = (Array.isArray(header) ? header[0] : header)?.trim() || query?.trim();
  if (!value) return { ok: true };
  if (!SEQUENCE.test(value)) {
    return { ok: false, reason: `must be an OCCUPANCY stream sequence (the id of an event this stream sent, or a snapshot's streamSequence), not "${value.slice(0, 40)}"` };
  }
  return { ok: true, after: Number(value) };
}
