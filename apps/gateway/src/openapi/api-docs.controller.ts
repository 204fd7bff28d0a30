import { Controller, Get, Header, Inject, Query } from '@nestjs/common';
import { ApiExcludeController, type OpenAPIObject } from '@nestjs/swagger';
import { Public } from '../auth/access-requirements';
import { NoQueryParams } from '../http-params/no-query-params';

export const OPENAPI_DOCUMENT = Symbol('OPENAPI_DOCUMENT');
export const SWAGGER_UI_ASSETS_PREFIX = '/docs/assets/';

// The UI loads only files from /docs (helmet's CSP forbids inline scripts).
const SWAGGER_UI_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Parking platform API</title>
<link rel="stylesheet" href="${SWAGGER_UI_ASSETS_PREFIX}swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="${SWAGGER_UI_ASSETS_PREFIX}swagger-ui-bundle.js"></script>
<script src="/docs/ui-init.js"></script></body>
</html>`;

const SWAGGER_UI_INIT = `window.ui = SwaggerUIBundle({ url: '/docs/openapi.json', dom_id: '#swagger-ui', deepLinking: true });`;

/** `/docs` (Swagger UI) and `/docs/openapi.json`, generated from the controllers at boot. */
@ApiExcludeController()
@Public()
@Controller('docs')
export class ApiDocsController {
  constructor(@Inject(OPENAPI_DOCUMENT) private readonly document: OpenAPIObject) {}

  @Get('openapi.json')
  openApi(@Query() _query: NoQueryParams): OpenAPIObject {
    return this.document;
  }

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  ui(): string {
    return SWAGGER_UI_PAGE;
  }

  @Get('ui-init.js')
  @Header('content-type', 'application/javascript; charset=utf-8')
  uiInit(): string {
    return SWAGGER_UI_INIT;
  }
}
