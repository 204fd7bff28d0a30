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

const DEVICE_EXISTS_DETAIL =
  'The devEUI 70b3d54750100a1b is already registered; remove it there first, or check the label. If the device is yours and you did not register it, ask a platform admin to transfer it to your tenant.';

/** Registration's two conflicts, one 409 response with an example of each. */
export const ApiDeviceConflicts = (): MethodDecorator => {
  const example = (code: ErrorCode, title: string, detail: string) => ({
    summary: code,
    value: { type: problemTypeFor(code), title, status: 409, detail, code, instance: '/api/v1/devices', requestId: '4f0c1f5e-2b7e-4c61-93c9-0c3c5b0d8a11', devEui: '70b3d54750100a1b' },
  });
  return applyDecorators(
    ApiResponse({
      status: 409,
      description: 'DEVICE_EXISTS: the devEUI is registered already (in this or another tenant); DEVICE_CLAIM_REQUIRED: another tenant’s integration sends it, so a platform admin must assign it',
      content: {
        'application/problem+json': {
          schema: { $ref: '#/components/schemas/Problem' },
          examples: {
            exists: example('DEVICE_EXISTS', 'The devEUI is already registered', DEVICE_EXISTS_DETAIL),
            claim: example(
              'DEVICE_CLAIM_REQUIRED',
              "Another tenant's integration sends this devEUI; a platform admin must approve the claim",
              "The devEUI 70b3d54750100a1b reaches the platform through another tenant's ChirpStack integration, so registering it needs a platform admin's approval: ask your platform admin to assign the orphan 70b3d54750100a1b to your tenant (with proof that the device is yours), or check the label.",
            ),
          },
        },
      },
    }),
  );
};

export const ApiDeviceLimit = () =>
  ApiDeviceProblem(403, 'LIMIT_EXCEEDED', "The tenant's plan limit of devices is reached (or the caller lacks devices:write)", "The tenant's plan allows 50 devices, and 50 are registered, so one more would exceed it; remove devices or ask for a larger plan.", {
    limit: 'devices',
    max: 50,
    used: 50,
    errors: [{ field: 'limits.devices', message: 'at most 50' }],
  });
