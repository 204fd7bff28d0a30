import { Injectable, type PipeTransform } from '@nestjs/common';
import { ValidationFailedError } from '@parking/problem-details';

/** `@Param('seq', SeqParam)`: a dead-letter stream sequence, else a 400 naming `seq`. */
@Injectable()
export class SeqParam implements PipeTransform<string, number> {
  transform(value: string): number {
    if (!/^[1-9][0-9]{0,15}$/.test(value)) throw new ValidationFailedError([{ field: 'seq', message: 'must be a positive integer (a seq from the dead-letter list)' }]);
    return Number(value);
  }
}
