import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { mailDirVar } from "./env";

/** Mail is one message the mail catcher received, decoded. */
export type Mail = {
  to: string;
  subject: string;
  /** text is the text/plain body, decoded. */
  text: string;
};

/**
 * waitForMail returns the first message to `to` whose subject matches,
 * waiting for it to arrive for at most timeoutMs. It throws, naming what
 * did arrive, when none comes.
 */
export async function waitForMail(to: string, subject: RegExp, timeoutMs = 30_000): Promise<Mail> {
  const dir = process.env[mailDirVar];
  if (!dir) {
    throw new Error(`${mailDirVar} is not set: run the tests with playwright.config.ts, whose global setup starts the mail catcher`);
  }
  const deadline = Date.now() + timeoutMs;
  let seen: Mail[] = [];
  for (;;) {
    seen = readMails(dir);
    const found = seen.find((m) => m.to.toLowerCase().includes(to.toLowerCase()) && subject.test(m.subject));
    if (found) {
      return found;
    }
    if (Date.now() > deadline) {
      const got = seen.map((m) => `"${m.subject}" to ${m.to}`).join(", ") || "nothing";
      throw new Error(`no email to ${to} with a subject matching ${subject} within ${timeoutMs} ms; received: ${got}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** readMails returns every message in dir, oldest first. */
function readMails(dir: string): Mail[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith(".eml"))
    .sort((a, b) => parseInt(a, 10) - parseInt(b, 10))
    .map((name) => parseMail(readFileSync(path.join(dir, name))));
}

/** parseMail decodes the parts of an RFC 5322 message that the tests read. */
export function parseMail(raw: Buffer): Mail {
  const { headers, body } = splitEntity(raw.toString("latin1"));
  return {
    to: decodeWords(headers.get("to") ?? ""),
    subject: decodeWords(headers.get("subject") ?? ""),
    text: textOf(headers, body) ?? "",
  };
}

/** splitEntity separates a MIME entity's headers (unfolded, names in lower
 * case) from its body. The text is latin1: one character per byte. */
function splitEntity(entity: string): { headers: Map<string, string>; body: string } {
  const end = entity.search(/\r?\n\r?\n/);
  const head = end < 0 ? entity : entity.slice(0, end);
  const body = end < 0 ? "" : entity.slice(end).replace(/^\r?\n\r?\n/, "");
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, " ").split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon > 0) {
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
  }
  return { headers, body };
}

/** textOf returns the first text/plain body of an entity, decoded, looking
 * into multipart ones; or undefined. */
function textOf(headers: Map<string, string>, body: string): string | undefined {
  const type = headers.get("content-type") ?? "text/plain";
  if (/^multipart\//i.test(type)) {
    const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
    if (!boundary) {
      return undefined;
    }
    const parts = body.split(`--${boundary}`).slice(1);
    for (const part of parts) {
      if (part.startsWith("--")) {
        break;
      }
      const inner = splitEntity(part.replace(/^\r?\n/, ""));
      const text = textOf(inner.headers, inner.body);
      if (text !== undefined) {
        return text;
      }
    }
    return undefined;
  }
  if (!/^text\/plain/i.test(type)) {
    return undefined;
  }
  const bytes = decodeBody(body, headers.get("content-transfer-encoding") ?? "7bit");
  return bytes.toString("utf8");
}

/** decodeBody undoes a Content-Transfer-Encoding. */
function decodeBody(body: string, encoding: string): Buffer {
  switch (encoding.toLowerCase()) {
    case "base64":
      return Buffer.from(body.replace(/\s+/g, ""), "base64");
    case "quoted-printable":
      return quotedPrintable(body);
    default:
      return Buffer.from(body, "latin1");
  }
}

/** quotedPrintable decodes RFC 2045 quoted-printable text into bytes. */
function quotedPrintable(text: string): Buffer {
  const joined = text.replace(/[ \t]*=\r?\n/g, "");
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    const c = joined[i];
    const hex = joined.slice(i + 1, i + 3);
    if (c === "=" && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(joined.charCodeAt(i) & 0xff);
    }
  }
  return Buffer.from(bytes);
}

/** decodeWords decodes RFC 2047 encoded words (=?UTF-8?Q?…?=) in a header. */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, "?==?")
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_word, _charset: string, kind: string, text: string) =>
      kind.toUpperCase() === "B"
        ? Buffer.from(text, "base64").toString("utf8")
        : quotedPrintable(text.replace(/_/g, " ")).toString("utf8"),
    );
}
