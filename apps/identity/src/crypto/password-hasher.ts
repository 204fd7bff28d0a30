import { Injectable, OnModuleInit } from '@nestjs/common';
import * as argon2 from 'argon2';

/** OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane. Each PHC hash records its own parameters. */
export const ARGON2_PARAMS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export interface PasswordCheck {
  ok: boolean;
  /** The password matched a hash made with weaker (older) parameters: store a new one. */
  needsRehash: boolean;
}

@Injectable()
export class PasswordHasher implements OnModuleInit {
  // Verified when the email is unknown, so that such a sign-in costs as much as a real one.
  private dummyHash = '';

  async onModuleInit(): Promise<void> {
    this.dummyHash = await this.hash('not-a-password-anyone-has');
  }

  hash(password: string): Promise<string> {
    return argon2.hash(password, ARGON2_PARAMS);
  }

  /** Always runs one argon2 verify, against `hash` or the dummy when there is none. */
  async check(password: string, hash: string | null): Promise<PasswordCheck> {
    const ok = await argon2.verify(hash ?? this.dummyHash, password).catch(() => false);
    if (!ok || hash === null) return { ok: false, needsRehash: false };
    return { ok: true, needsRehash: argon2.needsRehash(hash, ARGON2_PARAMS) };
  }
}
