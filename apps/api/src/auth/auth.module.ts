import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { EntityManager } from '@mikro-orm/postgresql';
import { ThrottlerModule } from '@nestjs/throttler';
import { APP_CONFIG, type AppConfig } from '@wholesail/config';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { LoginThrottle, LoginThrottlerGuard, loginThrottlerOptions } from './throttling/login-throttle';

@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        secret: config.jwt.secret,
        signOptions: { algorithm: 'HS256', issuer: 'wholesail' },
        verifyOptions: { algorithms: ['HS256'], issuer: 'wholesail' },
      }),
    }),
    ThrottlerModule.forRootAsync({ inject: [APP_CONFIG, EntityManager], useFactory: loginThrottlerOptions }),
  ],
  controllers: [AuthController],
  providers: [AuthService, LoginThrottle, LoginThrottlerGuard, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [AuthService],
})
export class AuthModule {}
