/** How a service's data access connects: its runtime role's URL and pool size. */
export interface DatabaseConnectionOptions {
  url: string;
  /** Connections in the pool; default 10. */
  poolMax?: number;
}

export const DEFAULT_POOL_MAX = 10;
