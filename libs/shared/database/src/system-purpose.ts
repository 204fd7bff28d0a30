/**
 * Why code runs without a tenant (`TenantDatabase.asSystem`). Each purpose unlocks the
 * SECURITY DEFINER functions that reach tenant rows, so adding one is a reviewed change:
 * extend this union and say in the review which functions the new purpose will call.
 */
export type SystemPurpose =
  | 'outbox-relay'
  | 'timer'
  | 'token-lookup'
  | 'device-lookup'
  | 'integration-cache'
  // occupancy: every tenant's sites, zones and spaces for another service's read model (occupancy.inventory_snapshot).
  | 'inventory-snapshot'
  // every schema: deleting rows past their retention (<schema>.purge_retained), one batch a transaction.
  | 'retention'
  // identity: sign-in by email, throttling counters, signing keys, first admin and demo seed.
  | 'sign-in'
  | 'bootstrap';

export const SYSTEM_PURPOSES: readonly SystemPurpose[] = Object.freeze([
  'outbox-relay',
  'timer',
  'token-lookup',
  'device-lookup',
  'integration-cache',
  'inventory-snapshot',
  'retention',
  'sign-in',
  'bootstrap',
]);
