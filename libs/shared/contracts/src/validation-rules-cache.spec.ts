import { getMetadataStorage, IsInt, IsString, MaxLength, validateSync } from 'class-validator';
import { checkPayload } from './payload-check';
import { cacheValidationRules } from './validation-rules-cache';

class Vehicle {
  @IsString()
  plate!: string;
}

class Truck extends Vehicle {
  @IsInt()
  axles!: number;

  @MaxLength(3, { groups: ['short'] })
  code!: string;
}

const failing = (value: object, groups?: string[]) =>
  validateSync(value, { groups, forbidUnknownValues: false })
    .flatMap((error) => Object.keys(error.constraints ?? {}).map((rule) => `${error.property}:${rule}`))
    .sort();

function truck(fields: Partial<Truck>): Truck {
  return Object.assign(new Truck(), fields);
}

describe('cacheValidationRules', () => {
  it('keeps the rules a class inherits and its own, on every validation', () => {
    const bad = truck({ plate: 7 as unknown as string, axles: 2.5, code: 'abc' });
    expect(failing(bad)).toEqual(['axles:isInt', 'plate:isString']);
    expect(failing(bad)).toEqual(['axles:isInt', 'plate:isString']);
    expect(failing(Object.assign(new Vehicle(), { plate: 7 }))).toEqual(['plate:isString']);
  });

  it('keeps rules apart by the groups asked for', () => {
    const bad = truck({ plate: 'AB-1', axles: 2, code: 'toolong' });
    expect(failing(bad, ['short'])).toEqual(['code:maxLength']);
    expect(failing(bad, ['other'])).toEqual([]);
    expect(failing(bad, ['short'])).toEqual(['code:maxLength']);
    expect(failing(bad, ['other'])).toEqual([]);
  });

  it('answers a repeated lookup from memory', () => {
    const storage = getMetadataStorage();
    const first = storage.getTargetValidationMetadatas(Truck, '', false, false, undefined);
    expect(storage.getTargetValidationMetadatas(Truck, '', false, false, undefined)).toBe(first);
    expect(storage.groupByPropertyName(first)).toBe(storage.groupByPropertyName(first));
    expect(storage.getTargetValidationMetadatas(Truck, '', false, false, ['short'])).not.toBe(first);
  });

  it('sees a rule added after a lookup was kept', () => {
    class Bike {
      @IsString()
      frame!: string;
    }
    class Tandem extends Bike {
      seats!: number;
    }
    expect(failing(Object.assign(new Tandem(), { frame: 'X', seats: 'two' }))).toEqual([]);
    IsInt()(Tandem.prototype, 'seats');
    expect(failing(Object.assign(new Tandem(), { frame: 'X', seats: 'two' }))).toEqual(['seats:isInt']);
    // A rule added to a parent reaches the classes that inherit it.
    IsString()(Bike.prototype, 'owner');
    expect(failing(Object.assign(new Tandem(), { frame: 'X', seats: 2, owner: 5 }))).toEqual(['owner:isString']);
  });

  it('installs once, whatever the number of calls', () => {
    const storage = getMetadataStorage();
    const installed = storage.getTargetValidationMetadatas;
    cacheValidationRules();
    cacheValidationRules(storage);
    expect(storage.getTargetValidationMetadatas).toBe(installed);
  });

  it('still refuses unknown properties in checked payloads', () => {
    const { errors } = checkPayload(Vehicle, { plate: 'AB-1', colour: 'red' });
    expect(errors).toEqual([{ field: 'colour', message: 'property colour should not exist' }]);
  });
});
