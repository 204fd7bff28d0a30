/** 8 bytes in hex, optionally grouped by `-` or `:` (as printed on labels and in ChirpStack). */
const ACCEPTED = /^[0-9a-fA-F]{2}(?:[-:]?[0-9a-fA-F]{2}){7}$/;

/** `70-B3-D5-47-50-10-0A-1B` → `70b3d54750100a1b`; undefined when it is not a devEUI. */
export function normaliseDevEui(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  if (!ACCEPTED.test(trimmed)) return undefined;
  return trimmed.replace(/[-:]/g, '').toLowerCase();
}

export const DEV_EUI_HINT = 'must be 16 hex digits (upper or lower case, optionally separated by "-" or ":")';
