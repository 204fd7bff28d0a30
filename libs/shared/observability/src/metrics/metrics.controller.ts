import { Controller, Get, Header } from '@nestjs/common';
import { metricsRegistry } from './instruments';

/** `GET /metrics` in the Prometheus text exposition format. */
@Controller('metrics')
export class MetricsController {
  @Get()
  @Header('Content-Type', metricsRegistry.contentType)
  @Header('Cache-Control', 'no-store')
  scrape(): Promise<string> {
    return metricsRegistry.metrics();
  }
}
