import { DomainError } from '@parking/problem-details';
import { authorised, principalOf } from './rpc-principal';

const user = {
  kind: 'user',
  tenantId: '6f1f7e52-3b0a-4d8e-9a53-2f6b0c1d9e41',
  actor: 'user:6d0f0b7e-4a7c-4f55-9d1f-0c8d6c1b2a33',
  userId: '6d0f0b7e-4a7c-4f55-9d1f-0c8d6c1b2a33',
  role: 'operator',
  permissions: ['spaces:read'],
  isPlatformAdmin: false,
};
const apiKey = { kind: 'api-key', tenantId: user.tenantId, actor: 'api-key:0c8d6c1b-4a7c-4f55-9d1f-6d0f0b7e2a33', apiKeyId: '0c8d6c1b-4a7c-4f55-9d1f-6d0f0b7e2a33', permissions: ['spaces:read'], isPlatformAdmin: false };

const codeOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return (error as DomainError).code;
  }
  return 'accepted';
};

describe('principalOf (the one principal check of every service)', () => {
  it('accepts a user with its UUID userId and an API key', () => {
    expect(principalOf({ principal: user })).toBe(user);
    expect(principalOf({ principal: apiKey })).toBe(apiKey);
  });

  it.each([
    ['no principal', undefined],
    ['an empty actor', { ...user, actor: '' }],
    ['a user without a userId', { ...user, userId: undefined }],
    ['a user whose userId is no UUID', { ...user, userId: 'ada' }],
    ['a tenant that is no UUID', { ...user, tenantId: 'acme' }],
    ['an unknown permission', { ...user, permissions: ['spaces:read', 'everything'] }],
    ['an unknown kind', { ...user, kind: 'service' }],
  ])('refuses %s as UNAUTHENTICATED', (_case, principal) => {
    expect(codeOf(() => principalOf({ principal }))).toBe('UNAUTHENTICATED');
  });

  it('answers FORBIDDEN, naming the permission, when the principal lacks it', () => {
    expect(codeOf(() => authorised({ principal: user }, 'spaces:write'))).toBe('FORBIDDEN');
    expect(authorised({ principal: user }, 'spaces:read')).toBe(user);
  });
});
