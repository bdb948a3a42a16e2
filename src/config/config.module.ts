import { type DynamicModule, Global, Module } from '@nestjs/common';
import { CAVEAT_CONFIG, type CaveatConfig } from './config';

@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: CaveatConfig): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: CAVEAT_CONFIG, useValue: config }], exports: [CAVEAT_CONFIG] };
  }
}
