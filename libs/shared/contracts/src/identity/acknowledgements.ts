import { ApiProperty } from '@nestjs/swagger';

/** The answer of commands that have nothing else to say. */
export class OkView {
  @ApiProperty({ enum: [true], example: true })
  ok!: true;
}

/** The answer of a request that is taken on, whatever comes of it (a reset mail to an unknown address). */
export class AcceptedView {
  @ApiProperty({ enum: [true], example: true })
  accepted!: true;
}
