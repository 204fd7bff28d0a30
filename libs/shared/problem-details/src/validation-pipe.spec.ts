import { Type } from 'class-transformer';
import { IsInt, IsString, ValidateNested } from 'class-validator';
import { DomainError, ValidationFailedError } from './domain-error';
import { createValidationPipe } from './validation-pipe';

class SlotDto {
  @IsInt()
  minutes!: number;
}

class ScheduleDto {
  @ValidateNested({ each: true })
  @Type(() => SlotDto)
  slots!: SlotDto[];
}

class CreateZoneDto {
  @IsString()
  name!: string;

  @ValidateNested()
  @Type(() => ScheduleDto)
  schedule!: ScheduleDto;
}

describe('createValidationPipe', () => {
  const pipe = createValidationPipe();
  const validate = (value: unknown) => pipe.transform(value, { type: 'body', metatype: CreateZoneDto });

  it('flattens nested errors into a.b[0].c paths in a VALIDATION_FAILED DomainError', async () => {
    const error = await validate({ name: 3, schedule: { slots: [{ minutes: 'ten' }] } }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ValidationFailedError);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({
      code: 'VALIDATION_FAILED',
      detail: 'The request has 2 invalid fields: name, schedule.slots[0].minutes.',
      errors: [
        { field: 'name', message: 'name must be a string' },
        { field: 'schedule.slots[0].minutes', message: 'minutes must be an integer number' },
      ],
    });
  });

  it('refuses properties the DTO does not declare', async () => {
    const error = await validate({ name: 'A', schedule: { slots: [] }, tenantId: 'x' }).catch((e: unknown) => e);

    expect(error).toMatchObject({
      detail: 'The request has 1 invalid field: tenantId.',
      errors: [{ field: 'tenantId', message: 'property tenantId should not exist' }],
    });
  });

  it('returns a DTO instance when the payload is valid', async () => {
    const dto = await validate({ name: 'Level 2', schedule: { slots: [{ minutes: 30 }] } });

    expect(dto).toBeInstanceOf(CreateZoneDto);
    expect(dto.schedule.slots[0]).toBeInstanceOf(SlotDto);
  });
});
