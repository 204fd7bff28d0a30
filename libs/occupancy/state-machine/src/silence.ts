/** Heartbeats a sensor may miss before its space shows `unknown`, unless the site says otherwise. */
export const SILENT_AFTER_HEARTBEATS = 2;

/** The site's timeout when set, else 2 × the sensor's heartbeat. */
export function silenceTimeoutSeconds(siteTimeoutSeconds: number | null, sensorHeartbeatSeconds: number): number {
  return siteTimeoutSeconds ?? SILENT_AFTER_HEARTBEATS * sensorHeartbeatSeconds;
}

/** Silent: nothing heard for longer than the timeout. */
export function isSilent(lastReadingAt: Date, timeoutSeconds: number, now: Date): boolean {
  return now.getTime() - lastReadingAt.getTime() > timeoutSeconds * 1000;
}
