import { Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@wholesail/config';
import { MailModule, MailRenderer, MailSender } from '@wholesail/mail';
import { BillingDocumentRenderer } from './billing-document-renderer';

/** The sender billing documents go through: pooled, so a month's e-mails reuse a few SMTP connections. */
export const BILLING_MAIL_SENDER = 'BILLING_MAIL_SENDER';

/** SMTP connections the billing sender keeps open at most (nodemailer's default). */
export const BILLING_MAIL_CONNECTIONS = 5;

/** Billing e-mails carry long tables: base64 encodes them at a fraction of quoted-printable's CPU. */
export const BILLING_MAIL_TEXT_ENCODING = 'base64';

@Injectable()
class BillingMailSenderShutdown implements OnApplicationShutdown {
  constructor(@Inject(BILLING_MAIL_SENDER) private readonly sender: MailSender) {}

  onApplicationShutdown(): void {
    this.sender.close();
  }
}

/**
 * The document renderer (the mail templates, the operator's time zone for dates, PUBLIC_URL for
 * the footer) and a pooled sender for billing documents. Needs ConfigModule (global).
 */
@Module({
  imports: [MailModule],
  providers: [
    {
      provide: BillingDocumentRenderer,
      useFactory: (mail: MailRenderer, config: AppConfig) =>
        new BillingDocumentRenderer(mail, { timeZone: config.operatorTimeZone, publicUrl: config.publicUrl }),
      inject: [MailRenderer, APP_CONFIG],
    },
    {
      provide: BILLING_MAIL_SENDER,
      useFactory: (config: AppConfig) =>
        new MailSender({
          smtpUrl: config.smtpUrl,
          defaultFrom: config.mailFrom,
          pool: true,
          maxConnections: BILLING_MAIL_CONNECTIONS,
          textEncoding: BILLING_MAIL_TEXT_ENCODING,
        }),
      inject: [APP_CONFIG],
    },
    BillingMailSenderShutdown,
  ],
  exports: [BillingDocumentRenderer, BILLING_MAIL_SENDER],
})
export class BillingDocumentsModule {}
