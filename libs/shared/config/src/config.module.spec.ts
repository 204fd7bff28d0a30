import { Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { CONFIG, ConfigModule, InjectConfig } from './config.module';

interface AppConfig {
  http: { port: number };
}

@Injectable()
class NeedsConfig {
  constructor(@InjectConfig() readonly config: AppConfig) {}
}

describe('ConfigModule', () => {
  it('provides the already-loaded object under CONFIG to any module', async () => {
    const config: AppConfig = Object.freeze({ http: { port: 3001 } });
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(config)],
      providers: [NeedsConfig],
    }).compile();

    expect(moduleRef.get(CONFIG)).toBe(config);
    expect(moduleRef.get(NeedsConfig).config).toBe(config);
  });
});
