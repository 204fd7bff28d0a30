// A fixture of the one-definition check: an app-side payload class it must find.
import { ApiProperty } from '@nestjs/swagger';
import { IsString } from 'class-validator';

export class ProbeBody {
  @IsString()
  name!: string;
}

export class ProbeView {
  @ApiProperty() id!: string;
}

/** Not a payload: no decorators on its members. */
export class ProbeHelper {
  name = 'x';
}
