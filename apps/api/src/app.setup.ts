import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { DomainExceptionFilter } from './common/domain-exception.filter';
import { setAsideStreamedBody } from './common/streamed-body';
import { createValidationPipe } from './common/validation';

/** Everything the HTTP app needs beyond its modules; shared by main.ts and the e2e tests. */
export function configureApp(app: INestApplication): INestApplication {
  // Before the body parsers (installed when the app initialises): streamed routes read their own body.
  app.use(setAsideStreamedBody);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new DomainExceptionFilter());
  app.enableShutdownHooks();
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
  return app;
}
