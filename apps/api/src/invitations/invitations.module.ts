import { Module } from '@nestjs/common';
import { PartyWritesModule } from '@wholesail/parties';
import { InvitationsController } from './invitations.controller';

/** The invitation page; invitations are issued and redeemed by libs/parties (`Invitations`). */
@Module({ imports: [PartyWritesModule], controllers: [InvitationsController] })
export class InvitationsModule {}
