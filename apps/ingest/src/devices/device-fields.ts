import { CODEC_IDS, isCodecId } from '@parking/ingest/codecs';
import type { FieldError } from '@parking/problem-details';
import { checkPayload, RegisterDeviceRequest, type DeviceKind, type UpdateDeviceBody } from '@parking/contracts';

/** A device's registry fields as stored: a registration's, with the defaults filled in. */
export interface DeviceFields {
  devEui: string;
  kind: DeviceKind;
  codec: string;
  name: string;
  chirpstackApplicationId: string | null;
  chirpstackProfileId: string | null;
  heartbeatSeconds: number | null;
  tags: Record<string, string>;
  description: string | null;
  joinEui: string | null;
}

export const UPDATABLE_FIELDS = ['name', 'kind', 'codec', 'heartbeatSeconds', 'tags', 'chirpstackApplicationId', 'chirpstackProfileId', 'description', 'joinEui'] as const;

/** The codec must be one ingest can decode: the payload class checks only its shape. */
export function codecProblem(codec: string | undefined): FieldError | undefined {
  if (codec === undefined || isCodecId(codec)) return undefined;
  return { field: 'codec', message: `"${codec.slice(0, 64)}" is not a known codec; must be one of ${CODEC_IDS.join(', ')}` };
}

export function newDeviceFields(request: RegisterDeviceRequest): DeviceFields {
  return {
    devEui: request.devEui,
    kind: request.kind,
    codec: request.codec,
    name: request.name,
    chirpstackApplicationId: request.chirpstackApplicationId ?? null,
    chirpstackProfileId: request.chirpstackProfileId ?? null,
    heartbeatSeconds: request.heartbeatSeconds ?? null,
    tags: request.tags ?? {},
    description: request.description ?? null,
    joinEui: request.joinEui ?? null,
  };
}

/** The fields a PATCH names (null included: it clears them); only those change. */
export function deviceChanges(body: UpdateDeviceBody): Partial<Omit<DeviceFields, 'devEui'>> {
  return Object.fromEntries(UPDATABLE_FIELDS.filter((field) => body[field] !== undefined).map((field) => [field, body[field]]));
}

/**
 * One import row checked as a registration, codec included; `devEui` when it could be read.
 * A row lists one problem per field: thousands of rows must stay readable.
 */
export function checkNewDevice(row: unknown): { fields: DeviceFields | undefined; devEui: string | undefined; errors: FieldError[] } {
  const { value, errors: all } = checkPayload(RegisterDeviceRequest, row);
  const errors = all.filter((error, i) => all.findIndex((e) => e.field === error.field) === i);
  const codec = typeof value.codec === 'string' && !errors.some((e) => e.field === 'codec') ? codecProblem(value.codec) : undefined;
  if (codec) errors.push(codec);
  const devEui = errors.some((e) => e.field === 'devEui') || typeof value.devEui !== 'string' ? undefined : value.devEui;
  return { fields: errors.length === 0 ? newDeviceFields(value) : undefined, devEui, errors };
}
