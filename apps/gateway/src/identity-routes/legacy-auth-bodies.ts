import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsString, Length, Matches, MaxLength, ValidateIf } from 'class-validator';
import {
  EMAIL_MAX,
  EmailField,
  LowerCase,
  NewPasswordField,
  PASSWORD_MAX,
  PresentedSecretField,
  TENANT_SLUG,
  TENANT_SLUG_HINT,
  type LoginRequest,
  type RegisterRequest,
} from '@parking/contracts';

// The previous platform's auth bodies, kept for its clients: each maps onto the contracts'
// request, which identity checks again (and normalises: trimmed names, lower-case email).

/** The body of the old `POST /api/auth/register`: snake case and `username` for the name. */
export class LegacyRegisterBody {
  @EmailField('ada@example.com') email!: string;
  @NewPasswordField() password!: string;

  @ApiPropertyOptional({ example: 'Ada Lovelace', description: 'Old name of `name`' })
  @ValidateIf((body: LegacyRegisterBody) => body.name === undefined)
  @IsString()
  @Length(1, 200)
  username?: string;

  @ApiPropertyOptional({ example: 'Ada Lovelace' })
  @ValidateIf((body: LegacyRegisterBody) => body.username === undefined)
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ example: 'Harbour Car Parks', description: 'Old name of `tenantName`' })
  @ValidateIf((body: LegacyRegisterBody) => body.tenantName === undefined)
  @IsString()
  @Length(1, 200)
  tenant_name?: string;

  @ApiPropertyOptional({ example: 'Harbour Car Parks' })
  @ValidateIf((body: LegacyRegisterBody) => body.tenant_name === undefined)
  @IsString()
  @Length(1, 200)
  tenantName?: string;

  @ApiPropertyOptional({ example: 'harbour-car-parks', description: 'Old name of `tenantSlug`' })
  @ValidateIf((body: LegacyRegisterBody) => body.tenantSlug === undefined)
  @Matches(TENANT_SLUG, { message: `tenant_slug ${TENANT_SLUG_HINT}` })
  @Length(3, 63)
  tenant_slug?: string;

  @ApiPropertyOptional({ example: 'harbour-car-parks' })
  @ValidateIf((body: LegacyRegisterBody) => body.tenant_slug === undefined)
  @Matches(TENANT_SLUG, { message: `tenantSlug ${TENANT_SLUG_HINT}` })
  @Length(3, 63)
  tenantSlug?: string;
}

/** The registration a legacy body asks for; the validator guarantees one of each pair. */
export function registerRequestOf(body: LegacyRegisterBody): RegisterRequest {
  return {
    email: body.email,
    password: body.password,
    name: (body.name ?? body.username) as string,
    tenantName: (body.tenantName ?? body.tenant_name) as string,
    tenantSlug: (body.tenantSlug ?? body.tenant_slug) as string,
  };
}

/**
 * The login body: JSON `{email, password}`, or the form-encoded OAuth2 password grant
 * `username` (the email), `password` (`grant_type`, `scope` and client fields of that grant
 * are accepted and ignored).
 */
export class LoginBody {
  @ApiPropertyOptional({ example: 'ada@example.com', maxLength: EMAIL_MAX })
  @ValidateIf((body: LoginBody) => body.username === undefined)
  @LowerCase()
  @IsEmail()
  @MaxLength(EMAIL_MAX)
  email?: string;

  @ApiPropertyOptional({ example: 'ada@example.com', maxLength: EMAIL_MAX, description: 'The email, as form-encoded clients send it' })
  @ValidateIf((body: LoginBody) => body.email === undefined)
  @LowerCase()
  @IsEmail()
  @MaxLength(EMAIL_MAX)
  username?: string;

  @PresentedSecretField(PASSWORD_MAX, { example: 'correct horse battery staple' })
  password!: string;

  @ApiPropertyOptional({ enum: ['password'], description: 'OAuth2 form clients only' })
  @IsOptional()
  @IsIn(['password'])
  grant_type?: 'password';

  @ApiPropertyOptional({ description: 'OAuth2 form clients only; ignored' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  scope?: string;

  @ApiPropertyOptional({ description: 'OAuth2 form clients only; ignored' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  client_id?: string;
}

/** The sign-in a login body asks for; the validator guarantees `email` or `username`. */
export function loginRequestOf(body: LoginBody): LoginRequest {
  return { email: (body.email ?? body.username) as string, password: body.password };
}
