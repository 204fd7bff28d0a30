import { ApiProperty, type ApiPropertyOptions } from '@nestjs/swagger';
import { IsEmail, IsIn, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { Each } from '../fields/compose';
import { PageQueryOf } from '../fields/paging';
import { LowerCase, TextField } from '../fields/text';
import { TENANT_ROLES } from './permissions';

/** A password being chosen: long enough to be a passphrase, short enough to hash quickly. */
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;
/** What a tenant is addressed by: lower-case words of letters and digits joined by single hyphens. */
export const TENANT_SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
export const TENANT_SLUG_HINT = 'must be lower-case letters and digits separated by single hyphens';
/** The longest address SMTP delivers. */
export const EMAIL_MAX = 254;
/** Identity's lists (users, API keys, integrations, tenants, audit) hold at most 200 per page. */
export const IDENTITY_PAGE_MAX = 200;

/** `cursor` and `limit` (1..200, default 50) of identity's lists. */
export class IdentityPageQuery extends PageQueryOf(IDENTITY_PAGE_MAX) {}

/** An email address; compared and stored lower case, since one address is one account. */
export function EmailField(example: string): PropertyDecorator {
  return Each(ApiProperty({ example, maxLength: EMAIL_MAX }), LowerCase(), IsEmail(), MaxLength(EMAIL_MAX));
}

/** A password being chosen (registration, invitation, reset); never trimmed: spaces belong to it. */
export function NewPasswordField(example = 'correct horse battery staple'): PropertyDecorator {
  return TextField({ min: PASSWORD_MIN, max: PASSWORD_MAX, trim: false, doc: { example } });
}

/**
 * A secret presented back (a sign-in password, a refresh, invitation or reset token, an API
 * key): only its shape is checked, so a wrong one is told apart from none; never trimmed.
 */
export function PresentedSecretField(max: number, doc: ApiPropertyOptions = {}): PropertyDecorator {
  return Each(ApiProperty({ maxLength: max, ...doc } as ApiPropertyOptions), IsString(), IsNotEmpty(), MaxLength(max));
}

/** A person's or a tenant's display name (trimmed; blank is no name). */
export function DisplayNameField(example: string): PropertyDecorator {
  return TextField({ max: 200, doc: { example } });
}

/** The slug a new tenant is registered under; unique on the platform. */
export function TenantSlugField(): PropertyDecorator {
  return TextField({ min: 3, max: 63, trim: false, pattern: TENANT_SLUG, hint: TENANT_SLUG_HINT, doc: { example: 'harbour-car-parks' } });
}

/** A role in the tenant. */
export function TenantRoleField(doc: { example: string; description?: string }): PropertyDecorator {
  return Each(ApiProperty({ enum: TENANT_ROLES, ...doc }), IsIn(TENANT_ROLES));
}
