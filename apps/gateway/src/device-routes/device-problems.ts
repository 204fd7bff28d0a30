import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { problemTypeFor, type ErrorCode } from '@parking/contracts';

/** A problem+json response specific to device routes, with its example. */
export function ApiDeviceProblem(status: number, code: ErrorCode, description: string, detail: string, extras: Record<string, unknown> = {}): MethodDecorator {
  return applyDecorators(
    ApiResponse({
      status,
      description,
      content: {
        'application/problem+json': {
          schema: { $ref: '#/components/schemas/Problem' },
          example: { type: problemTypeFor(code), title: description, status, detail, code, instance: '/api/v1/devices', requestId: '4f0c1f5e-2b7e-4c61-93c9-0c3c5b0d8a11', ...extras },
        },
      },
    }),
  );
}

export const ApiDeviceNotFound = () =>
  ApiDeviceProblem(404, 'NOT_FOUND', 'No such device in the caller’s tenant', 'Device "70b3d54750100a1b" does not exist.');

export const ApiDeviceExists = () =>
  ApiDeviceProblem(409, 'DEVICE_EXISTS', 'The devEUI is registered already (in this or another tenant)', 'The devEUI 70b3d54750100a1b is already registered; remove it there first, or check the label.');

export const ApiDeviceLimit = () =>
  ApiDeviceProblem(403, 'LIMIT_EXCEEDED', "The tenant's plan limit of devices is reached (or the caller lacks devices:write)", "The tenant's plan allows 50 devices, and 50 are registered, so one more would exceed it; remove devices or ask for a larger plan.", {
    limit: 'devices',
    max: 50,
    used: 50,
    errors: [{ field: 'limits.devices', message: 'at most 50' }],
  });
