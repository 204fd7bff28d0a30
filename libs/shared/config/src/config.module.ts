import { Global, Inject, Module, type DynamicModule } from '@nestjs/common';

/** Injection token for the app's configuration object, loaded once by `bootConfig`. */
export const CONFIG = Symbol('CONFIG');

/** `constructor(@InjectConfig() private readonly config: IdentityConfig)`. */
export const InjectConfig = (): PropertyDecorator & ParameterDecorator => Inject(CONFIG);

/** Hands the already-loaded configuration to Nest; it never reads the environment itself. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: object): DynamicModule {
    return {
      module: ConfigModule,
      global: true,
      providers: [{ provide: CONFIG, useValue: config }],
      exports: [CONFIG],
    };
  }
}
