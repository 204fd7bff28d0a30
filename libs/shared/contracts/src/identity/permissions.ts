/**
 * Who may do what. A tenant role grants a fixed set of permissions; an API key carries a
 * subset of them as its scopes. Every route names the one permission it needs, so the
 * same check serves users and keys. This table is the documented permission matrix.
 */
export const TENANT_ROLES = ['owner', 'admin', 'operator', 'viewer'] as const;
export type TenantRole = (typeof TENANT_ROLES)[number];

export const PERMISSIONS = [
  'tenant:read',
  'tenant:write',
  'users:read',
  'users:write',
  'api-keys:read',
  'api-keys:write',
  'integrations:read',
  'integrations:write',
  'sites:read',
  'sites:write',
  'spaces:read',
  'spaces:write',
  'devices:read',
  'devices:write',
  'reservations:read',
  'reservations:write',
  // API keys of partners' apps: create, read and change only the bookings the key made.
  'reservations:own',
  'tariffs:write',
  'revenue:read',
  'displays:read',
  'displays:write',
  // ChirpStack connections (their URLs and where devices go; never their tokens) and reconciliation.
  'chirpstack:read',
  'chirpstack:write',
  // LoRa gateways: tied to a site, provisioned into ChirpStack, their health and statistics.
  'gateways:read',
  'gateways:write',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const READ = PERMISSIONS.filter((p) => p.endsWith(':read'));
// Revenue is for who runs the car park, and the network server's setup for who runs the sensors: not for every viewer.
const VIEW: Permission[] = READ.filter((p) => p !== 'revenue:read' && p !== 'chirpstack:read');
const OPERATE: Permission[] = ['spaces:write', 'devices:write', 'gateways:write', 'reservations:write', 'displays:write'];

export const ROLE_PERMISSIONS: Record<TenantRole, readonly Permission[]> = {
  owner: PERMISSIONS,
  // Everything but the tenant itself (name, plan, deletion) and ownership.
  admin: PERMISSIONS.filter((p) => p !== 'tenant:write'),
  operator: [...READ, ...OPERATE, 'sites:write'],
  viewer: VIEW,
};

/** The permissions an API key may be given: a role's, never more than its creator holds. */
export function isPermission(value: unknown): value is Permission {
  return typeof value === 'string' && (PERMISSIONS as readonly string[]).includes(value);
}
