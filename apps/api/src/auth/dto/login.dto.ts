import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';

export class LoginDto {
  @ApiProperty({ example: 'admin@wholesail.demo' })
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(320)
  email!: string;

  @ApiProperty({ example: 'wholesail-demo' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  password!: string;
}

export class PrincipalView {
  @ApiProperty({ enum: ['user', 'api-key'] }) type!: string;
  @ApiProperty() id!: string;
  @ApiProperty({ required: false }) email?: string;
  @ApiProperty() partyId!: string;
  @ApiProperty() partyKind!: string;
  @ApiProperty({ type: [String] }) roles!: string[];
}

export class TokenView {
  @ApiProperty() accessToken!: string;
  @ApiProperty({ example: 'Bearer' }) tokenType!: string;
  @ApiProperty({ description: 'seconds until the token expires' }) expiresIn!: number;
  @ApiProperty({ type: PrincipalView }) principal!: PrincipalView;
}
