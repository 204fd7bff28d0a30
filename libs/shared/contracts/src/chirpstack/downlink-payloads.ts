import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, Max, Min, ValidateBy } from 'class-validator';
import { Each } from '../fields/compose';
import { DevEuiField, UuidField } from '../fields/identifiers';
import { TextField } from '../fields/text';
import { InstantField } from '../fields/time-range';

/** LoRaWAN application ports are 1..223 (0 is MAC commands, 224 the test protocol). */
export const DOWNLINK_FPORT_MAX = 223;
/** The largest LoRaWAN application payload any region allows (at the fastest data rate). */
export const DOWNLINK_PAYLOAD_MAX_BYTES = 242;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const DownlinkData = () =>
  Each(
    ApiProperty({ type: 'string', format: 'byte', example: 'AAD//wA=', description: `The frame's payload, base64; at most ${DOWNLINK_PAYLOAD_MAX_BYTES} bytes` }),
    ValidateBy({
      name: 'isDownlinkPayload',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && BASE64.test(value) && Buffer.from(value, 'base64').length <= DOWNLINK_PAYLOAD_MAX_BYTES,
        defaultMessage: () => `data must be base64 of at most ${DOWNLINK_PAYLOAD_MAX_BYTES} bytes`,
      },
    }),
  );

/** A downlink for ChirpStack's queue of one device, as the downlink service sends it. */
export class EnqueueDownlinkRequest {
  @UuidField() tenantId!: string;
  @DevEuiField() devEui!: string;

  @ApiProperty({ minimum: 1, maximum: DOWNLINK_FPORT_MAX, example: 15 })
  @IsInt()
  @Min(1)
  @Max(DOWNLINK_FPORT_MAX)
  fPort!: number;

  @DownlinkData() data!: string;

  @ApiProperty({ example: false, description: 'Ask the device to acknowledge the frame' })
  @IsBoolean()
  confirmed!: boolean;

  @ApiPropertyOptional({ example: false, description: "Empty the device's queue before this frame goes in (the newest wish wins)" })
  @IsOptional()
  @IsBoolean()
  flushQueue?: boolean;

  @InstantField({ example: '2026-12-06T18:30:00Z', description: 'ChirpStack drops the frame if it has not gone out by then' })
  expiresAt?: string;

  @TextField({
    max: 128,
    pattern: /^[\x21-\x7e]+$/,
    hint: 'must be printable ASCII without spaces',
    doc: { example: 'sign-42:colour:17', description: 'The caller\'s id of this command: a repeat with the same id (after a timeout) never queues the frame twice' },
  })
  commandId!: string;
}

export class EnqueueDownlinkAnswer {
  @ApiProperty({ format: 'uuid', description: "ChirpStack's id of the queue item (its txack and ack events name it)" }) queueItemId!: string;
  @ApiProperty({ example: false, description: 'true when the command had been queued before and nothing was sent again' }) replayed!: boolean;
}

export class FlushDownlinkQueueRequest {
  @UuidField() tenantId!: string;
  @DevEuiField() devEui!: string;
}

export class FlushDownlinkQueueAnswer {
  @ApiProperty({ example: true }) flushed!: boolean;
}
