/**
 * Sending mail: the port, and its SMTP adapter through nodemailer. The server is HP_SMTP_URL
 * (smtp://relay.example:587, or smtps:// for TLS from the start; a user name may be in it),
 * the sender HP_MAIL_FROM and the password HP_SMTP_PASSWORD, which is a secret (Secret Manager
 * in the cloud, an environment variable locally) and never part of the URL. Messages are
 * plain text; nodemailer is told never to read a file or fetch a URL for a message.
 */
import { HpError } from "../shared/errors.js";

export interface OutgoingMail {
  to: string[];
  subject: string;
  text: string;
}

export interface SentMail {
  messageId: string;
  accepted: string[];
  /** Recipients the server refused, with its answer. */
  rejected: { email: string; reason: string }[];
}

export interface Mailer {
  /** Where mail goes, as a person should read it (no password). */
  readonly describe: string;
  send(mail: OutgoingMail): Promise<SentMail>;
  close(): void;
}

export interface MailSettings {
  smtpUrl: string | undefined;
  from: string | undefined;
  password: string | undefined;
}

/** An SMTP mailer, or an HpError that says which setting is missing. */
export async function smtpMailer(settings: MailSettings): Promise<Mailer> {
  if (!settings.smtpUrl) throw new HpError("usage", "HP_SMTP_URL saknas: ange e-postservern, till exempel smtp://relay.example:587 (eller kör med --dry-run).");
  if (!settings.from) throw new HpError("usage", "HP_MAIL_FROM saknas: ange avsändaradressen för påminnelserna.");
  const url = new URL(settings.smtpUrl);
  const { createTransport } = await import("nodemailer");
  const user = url.username ? decodeURIComponent(url.username) : undefined;
  const transport = createTransport({
    host: url.hostname.replace(/^\[|\]$/g, ""),
    port: url.port ? Number(url.port) : url.protocol === "smtps:" ? 465 : 587,
    secure: url.protocol === "smtps:",
    ...(user ? { auth: { user, pass: settings.password ?? "" } } : {}),
    disableFileAccess: true,
    disableUrlAccess: true,
    connectionTimeout: 60_000,
    greetingTimeout: 60_000,
    socketTimeout: 120_000,
  });
  const from = settings.from;
  return {
    describe: `${url.protocol}//${url.host}`,
    async send(mail) {
      const info = await transport.sendMail({
        from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        headers: { "Auto-Submitted": "auto-generated" },
      });
      const address = (a: unknown) => String(typeof a === "string" ? a : (a as { address?: string }).address);
      const rejected = ((info.rejected ?? []) as unknown[]).map(address);
      const errors = (info as { rejectedErrors?: { recipient?: string; response?: string; message: string }[] }).rejectedErrors ?? [];
      return {
        messageId: info.messageId,
        accepted: ((info.accepted ?? []) as unknown[]).map(address),
        rejected: rejected.map((email) => ({ email, reason: errors.find((e) => e.recipient === email)?.response ?? "servern tog inte emot adressen" })),
      };
    },
    close: () => transport.close(),
  };
}
