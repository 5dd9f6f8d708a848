import { writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";

/**
 * MailCatcher is a small SMTP server on 127.0.0.1 that takes every message
 * and writes it, exactly as received, to its folder as 1.eml, 2.eml…, for
 * the tests to read (see mail.ts). It offers no TLS and no AUTH, so the
 * platform is pointed at it with smtp://…?tls=none.
 */
export type MailCatcher = {
  /** port is the port it listens on, picked by the system. */
  port: number;
  /** close stops listening and ends the open connections. */
  close: () => Promise<void>;
};

/** maxMessage bounds what one message may hold, in bytes. */
const maxMessage = 10 << 20;

/** startMailCatcher listens on a free port of 127.0.0.1 and writes the
 * messages it receives to dir. */
export async function startMailCatcher(dir: string): Promise<MailCatcher> {
  let count = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
    socket.setTimeout(30_000, () => socket.destroy());
    serve(socket, (data) => {
      count += 1;
      writeFileSync(path.join(dir, `${count}.eml`), data);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === "string") {
    throw new Error("the mail catcher has no TCP address");
  }
  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) {
          socket.destroy();
        }
        server.close(() => resolve());
      }),
  };
}

/** serve speaks SMTP (RFC 5321) on one connection: enough of it for a
 * client that sends mail without TLS or authentication. */
function serve(socket: net.Socket, deliver: (data: Buffer) => void) {
  let buffer = Buffer.alloc(0);
  let inData = false;
  let data: Buffer[] = [];
  let size = 0;

  const reply = (line: string) => socket.write(`${line}\r\n`);
  reply("220 localhost ESMTP e2e mail catcher");

  socket.on("data", (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const end = buffer.indexOf("\r\n");
      if (end < 0) {
        return;
      }
      const line = buffer.subarray(0, end);
      buffer = buffer.subarray(end + 2);
      if (inData) {
        if (line.length === 1 && line[0] === 0x2e) {
          inData = false;
          if (size > maxMessage) {
            reply("552 message too large");
          } else {
            deliver(Buffer.concat(data));
            reply("250 OK: queued");
          }
          data = [];
          size = 0;
          continue;
        }
        // A line that starts with a dot was sent with one more (dot-stuffing).
        const content = line[0] === 0x2e ? line.subarray(1) : line;
        size += content.length + 2;
        if (size <= maxMessage) {
          data.push(Buffer.from(content), Buffer.from("\r\n"));
        }
        continue;
      }
      command(line.toString("latin1"));
    }
  });

  function command(line: string) {
    const verb = line.slice(0, 4).toUpperCase();
    switch (verb) {
      case "EHLO":
        socket.write("250-localhost\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 SIZE 10485760\r\n");
        return;
      case "HELO":
      case "MAIL":
      case "RCPT":
      case "RSET":
      case "NOOP":
        reply("250 OK");
        return;
      case "DATA":
        inData = true;
        reply("354 end data with <CR><LF>.<CR><LF>");
        return;
      case "QUIT":
        reply("221 bye");
        socket.end();
        return;
      default:
        reply("502 command not implemented");
    }
  }
}
