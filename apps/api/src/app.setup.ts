import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { APP_CONFIG, type AppConfig } from '@wholesail/config';
import helmet from 'helmet';
import { ControlCharactersGuard } from './common/control-characters.guard';
import { DomainExceptionFilter } from './common/domain-exception.filter';
import { jsonBodyParser } from './common/json-body';
import { setAsideStreamedBody } from './common/streamed-body';
import { createValidationPipe } from './common/validation';

/** Everything the HTTP app needs beyond its modules; shared by main.ts and the e2e tests. */
export function configureApp(app: INestApplication): INestApplication {
  // Before the body parsers (installed when the app initialises): streamed routes read their own body.
  app.use(setAsideStreamedBody);
  const config = app.get<AppConfig>(APP_CONFIG);
  const express = app as NestExpressApplication;
  express.set('trust proxy', config.http.trustProxy);
  express.disable('x-powered-by');
  // Helmet's defaults suit the API and the Swagger UI page (its scripts are same-origin files, its
  // inline styles are allowed); upgrading to https only makes sense where the API is served so.
  express.use(
    helmet({
      contentSecurityPolicy: { directives: { upgradeInsecureRequests: config.publicUrl.startsWith('https:') ? [] : null } },
    }),
  );
  // Registered before Nest's own, which is then skipped: size and nesting limits for JSON bodies.
  express.use(jsonBodyParser(config.http.bodyLimitBytes, config.http.bodyMaxDepth));
  // Control characters are refused before route guards, pipes and handlers read the input.
  app.useGlobalGuards(new ControlCharactersGuard());
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new DomainExceptionFilter());
  app.enableShutdownHooks();
  if (config.http.docsEnabled) {
    const document = SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('Wholesail API')
        .setDescription(
          'Wholesale cloud back-office for the IT channel. Errors are `{code, message, fields?}`. Lists page with `page` and `pageSize`. POSTs that start workflows honour `Idempotency-Key`.',
        )
        .setVersion('0.1.0')
        .addBearerAuth()
        .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, 'api-key')
        .build(),
    );
    SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  }
  return app;
}
