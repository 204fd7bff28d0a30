import { EnvInt, EnvUrl } from './env-validators';

// TypeScript only accepts a mixin base whose constructor takes `any[]`.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type EnvBase = new (...args: any[]) => object;

/** Adds `HTTP_PORT` with the app's own default: `class IdentityEnv extends HttpEnv(ServiceEnv, 3001) {}`. */
export function HttpEnv<TBase extends EnvBase>(Base: TBase, defaultPort: number) {
  class WithHttpPort extends Base {
    @EnvInt({ min: 1, max: 65535 })
    HTTP_PORT: number = defaultPort;
  }
  return WithHttpPort;
}

/** Adds the required `DATABASE_URL`: `class IdentityEnv extends DatabaseEnv(HttpEnv(ServiceEnv, 3001)) {}`. */
export function DatabaseEnv<TBase extends EnvBase>(Base: TBase) {
  class WithDatabase extends Base {
    @EnvUrl(['postgres', 'postgresql'])
    DATABASE_URL!: string;
  }
  return WithDatabase;
}
