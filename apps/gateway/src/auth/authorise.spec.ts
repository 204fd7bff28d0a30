import fc from 'fast-check';
import { PERMISSIONS, ROLE_PERMISSIONS, TENANT_ROLES, type Principal } from '@parking/contracts';
import { DomainError } from '@parking/problem-details';
import { authorise } from './authorise';

const user = (role: (typeof TENANT_ROLES)[number], isPlatformAdmin = false): Principal => ({
  kind: 'user',
  tenantId: 't',
  actor: 'user:u',
  userId: 'u',
  role,
  permissions: [...ROLE_PERMISSIONS[role]],
  isPlatformAdmin,
});

function refusal(run: () => void): DomainError | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return error as DomainError;
  }
}

describe('authorise (the permission matrix)', () => {
  it('lets a role through exactly when ROLE_PERMISSIONS grants the permission, else names it', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TENANT_ROLES), fc.constantFrom(...PERMISSIONS), (role, permission) => {
        const error = refusal(() => authorise(user(role), { permissions: [permission] }));
        if (ROLE_PERMISSIONS[role].includes(permission)) return error === undefined;
        return error instanceof DomainError && error.status === 403 && error.extras?.missingPermission === permission;
      }),
    );
  });

  it('lets an API key through exactly when it carries the scope', () => {
    fc.assert(
      fc.property(fc.subarray([...PERMISSIONS]), fc.constantFrom(...PERMISSIONS), (scopes, permission) => {
        const key: Principal = { kind: 'api-key', tenantId: 't', actor: 'api-key:k', apiKeyId: 'k', permissions: scopes, isPlatformAdmin: false };
        const error = refusal(() => authorise(key, { permissions: [permission] }));
        return scopes.includes(permission) ? error === undefined : error?.detail === `This API key lacks the scope ${permission}.`;
      }),
    );
  });

  it('never lets a viewer write anything', () => {
    for (const permission of PERMISSIONS.filter((p) => p.endsWith(':write'))) {
      expect(refusal(() => authorise(user('viewer'), { permissions: [permission] }))).toMatchObject({ code: 'FORBIDDEN' });
    }
  });

  it('lets a caller through a route naming several permissions when it holds any one of them, else names them all', () => {
    fc.assert(
      fc.property(fc.subarray([...PERMISSIONS]), fc.subarray([...PERMISSIONS], { minLength: 2 }), (scopes, anyOf) => {
        const key: Principal = { kind: 'api-key', tenantId: 't', actor: 'api-key:k', apiKeyId: 'k', permissions: scopes, isPlatformAdmin: false };
        const error = refusal(() => authorise(key, { permissions: anyOf }));
        if (anyOf.some((permission) => scopes.includes(permission))) return error === undefined;
        return error?.status === 403 && error.extras?.missingPermission === anyOf[0] && error.extras?.anyOf === anyOf && anyOf.every((permission) => error.detail.includes(permission));
      }),
    );
    const refused = refusal(() => authorise(user('viewer'), { permissions: ['reservations:write', 'reservations:own'] }));
    expect(refused).toMatchObject({ code: 'FORBIDDEN', detail: 'The role viewer grants none of the permissions reservations:write, reservations:own; any one of them will do.' });
    expect(refusal(() => authorise(user('operator'), { permissions: ['reservations:write', 'reservations:own'] }))).toBeUndefined();
  });

  it('keeps platform-admin routes for platform admins, whatever their tenant role', () => {
    expect(refusal(() => authorise(user('owner'), { platformAdmin: true }))).toMatchObject({ code: 'FORBIDDEN' });
    expect(refusal(() => authorise(user('viewer', true), { platformAdmin: true }))).toBeUndefined();
    const key: Principal = { kind: 'api-key', tenantId: 't', actor: 'api-key:k', permissions: [...PERMISSIONS], isPlatformAdmin: true };
    expect(refusal(() => authorise(key, { platformAdmin: true }))).toMatchObject({ code: 'FORBIDDEN' });
  });
});
