/**
 * The platform's reference count sign (`count-display`), when it confirms what it shows: its
 * uplink on fPort 20 repeats the downlink frame it displays (version 0x01, free count u16be or
 * 0xFFFF, arrow, red, green, blue, blink, up to 12 ASCII characters). A display, not a sensor:
 * it says nothing about a bay. The frame is documented with the downlink service's codec.
 */
import { checkInput, requireLength, uint16be } from '../bytes';
import { CodecError, CodecId, DecodedReading, DecodeInput, SensorCodec } from '../types';

const ID: CodecId = 'count-display';
const ARROWS = ['none', 'left', 'right', 'up', 'down'];
const BLINKS = ['steady', 'slow', 'fast'];

function decode(input: DecodeInput): DecodedReading {
  checkInput(ID, input);
  if (input.fPort !== 20) throw new CodecError('unknown_port', ID, `fPort ${input.fPort}`);
  const b = input.bytes;
  if (b.length === 0) throw new CodecError('empty_payload', ID);
  requireLength(ID, b, 8, 20, 'frame');
  if (b[0] !== 0x01) throw new CodecError('unknown_frame', ID, `version ${b[0]}`);
  if (b[3] >= ARROWS.length || b[7] >= BLINKS.length || b.subarray(8).some((c) => c < 0x20 || c > 0x7e)) throw new CodecError('unknown_frame', ID, 'field out of range');
  const count = uint16be(b, 1);
  return {
    occupied: 'unknown',
    frameType: 'display_status',
    extra: {
      frame: Buffer.from(b).toString('hex'),
      count: count === 0xffff ? null : count,
      arrow: ARROWS[b[3]],
      colour: { red: b[4], green: b[5], blue: b[6] },
      blink: BLINKS[b[7]],
      text: Buffer.from(b.subarray(8)).toString('ascii'),
    },
  };
}

export const countDisplay: SensorCodec = {
  id: ID,
  name: 'Count display (reference frame), status echo',
  // Assumption: a sign confirms each frame and reports at least every 12 hours.
  defaultHeartbeatSeconds: 24 * 3600,
  decode,
};
