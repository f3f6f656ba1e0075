import { Module } from '@nestjs/common';
import { EffectiveDatePolicy } from './effective-date-policy';

/** Provides the EffectiveDatePolicy to whoever writes versioned records. */
@Module({ providers: [EffectiveDatePolicy], exports: [EffectiveDatePolicy] })
export class VersioningModule {}
