import type { RouteProblem } from '../openapi/api-docs.decorators';

/** The OpenAPI pieces the signage routes share. */

export const DISPLAY_ID_PARAM = { name: 'id', format: 'uuid', example: '3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f', description: 'The display' } as const;

const problem = (code: RouteProblem['code'], when: string, detail: string, extras?: Record<string, unknown>, instance = '/api/v1/displays'): RouteProblem => ({ code, when, detail, instance, extras });

export const DISPLAY_NOT_FOUND = problem('NOT_FOUND', 'No such display in the caller’s tenant', `Display "${DISPLAY_ID_PARAM.example}" does not exist.`);
export const DISPLAY_TARGET_NOT_FOUND = problem('NOT_FOUND', 'The device, or the space, zone or site named, is not one of the caller’s tenant', 'Space "0b8f3a52-8a44-4d8f-9a51-3f7f2c1e5d10" does not exist.');
export const DISPLAY_VERSION_CONFLICT = problem('CONFLICT', 'The version given is not the current one', 'The display is at version 3, not 2; read it again and retry.', { version: 3 });
export const DEVICE_BOUND = problem('CONFLICT', 'The device is bound already', 'Device 70b3d54750100a1b is bound already, as display 3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f; change or unbind that one.', {
  displayId: DISPLAY_ID_PARAM.example,
});
export const SCOPE_NOT_FOUND = problem('NOT_FOUND', 'No such site or zone in the caller’s tenant', 'Zone "0b8f3a52-8a44-4d8f-9a51-3f7f2c1e5d10" does not exist.', undefined, '/api/v1/zones');
export const SETTINGS_VERSION_CONFLICT = problem('CONFLICT', 'The version given is not the current one', 'The settings are at version 2, not 1; read them again and retry.', { version: 2 }, '/api/v1/signage/settings');
export const POLICY_VERSION_CONFLICT = problem('CONFLICT', 'The version given is not the current one', 'The policy is at version 2, not 1; read it again and retry.', { version: 2 }, '/api/v1/signage/policy');

/** What a display shows, in one sentence every route may point to. */
export const HOW_SIGNS_DECIDE =
  'A display shows its override while one lasts; else a bay light shows its space\'s state in the policy\'s colours (its space type\'s first), and a count sign its zone\'s or site\'s free spaces after the offset, with the full text at the threshold.';
