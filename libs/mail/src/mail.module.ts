import { Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@wholesail/config';
import { MailRenderer } from './mail-renderer';
import { MailSender } from './mail-sender';

/** Closes the sender's transport when the application stops (matters only with pooling on). */
@Injectable()
class MailSenderShutdown implements OnApplicationShutdown {
  constructor(@Inject(MailSender) private readonly sender: MailSender) {}

  onApplicationShutdown(): void {
    this.sender.close();
  }
}

/**
 * MailRenderer (templates read once, at boot) and MailSender (SMTP_URL, MAIL_FROM) from the
 * validated configuration. Needs ConfigModule (global) for APP_CONFIG.
 */
@Module({
  providers: [
    {
      provide: MailRenderer,
      useFactory: (config: AppConfig): MailRenderer => new MailRenderer({ defaultTimeZone: config.operatorTimeZone, publicUrl: config.publicUrl }),
      inject: [APP_CONFIG],
    },
    {
      provide: MailSender,
      useFactory: (config: AppConfig): MailSender => new MailSender({ smtpUrl: config.smtpUrl, defaultFrom: config.mailFrom }),
      inject: [APP_CONFIG],
    },
    MailSenderShutdown,
  ],
  exports: [MailRenderer, MailSender],
})
export class MailModule {}
