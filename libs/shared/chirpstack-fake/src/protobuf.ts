// Import the well-known types from the top-level google-protobuf, the copy the generated
// service definitions load, or their `instanceof` checks reject the responses.
import { Empty } from 'google-protobuf/google/protobuf/empty_pb';
import { Timestamp } from 'google-protobuf/google/protobuf/timestamp_pb';

export function timestamp(date: Date): Timestamp {
  return Timestamp.fromDate(date);
}

export function empty(): Empty {
  return new Empty();
}
