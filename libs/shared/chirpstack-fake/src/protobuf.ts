// Import the well-known types from the top-level google-protobuf, the copy the generated
// service definitions load, or their `instanceof` checks reject the responses.
import type { Map as PbMap } from 'google-protobuf';
import { Empty } from 'google-protobuf/google/protobuf/empty_pb';
import { Timestamp } from 'google-protobuf/google/protobuf/timestamp_pb';

export function timestamp(date: Date): Timestamp {
  return Timestamp.fromDate(date);
}

export function empty(): Empty {
  return new Empty();
}

export function readMap(map: PbMap<string, string>): Record<string, string> {
  return Object.fromEntries(map.toArray());
}

export function fillMap(map: PbMap<string, string>, values: Record<string, string>): void {
  for (const [key, value] of Object.entries(values)) map.set(key, value);
}
