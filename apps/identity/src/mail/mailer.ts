import { Inject, Injectable, Logger } from '@nestjs/common';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { createTransport, Transporter } from 'nodemailer';
import { IDENTITY_CONFIG, IdentityConfig } from '../config/identity-config';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
}

/**
 * Sends mail through SMTP when SMTP_URL is set; otherwise writes one JSON file per mail
 * (`{to, from, subject, text, sentAt}`) into MAIL_DIR, for local runs and tests.
 * Logs name the recipient and subject only: the text carries single-use tokens.
 */
@Injectable()
export class Mailer {
  private readonly logger = new Logger(Mailer.name);
  private readonly transport: Transporter | null;

  constructor(@Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig) {
    this.transport = config.mail.smtpUrl ? createTransport(config.mail.smtpUrl) : null;
  }

  async send(mail: OutgoingMail): Promise<void> {
    const from = this.config.mail.from;
    if (this.transport) {
      await this.transport.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text });
    } else {
      const dir = path.resolve(this.config.mail.dir);
      await mkdir(dir, { recursive: true });
      const file = path.join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID()}.json`);
      await writeFile(file, JSON.stringify({ ...mail, from, sentAt: new Date().toISOString() }, null, 2), { mode: 0o600 });
    }
    this.logger.log(`mail "${mail.subject}" sent`);
  }

  link(route: string, token: string): string {
    return `${this.config.mail.publicBaseUrl}${route}?token=${encodeURIComponent(token)}`;
  }
}
