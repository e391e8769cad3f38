#!/usr/bin/python3
# pw-test-smtp.py: a real SMTP server on loopback, for the notifier tests (aiosmtpd).
#
# Usage: pw-test-smtp.py [--mode accept|refuse|tempfail] [--tls-cert PEM --tls-key PEM
#                        [--implicit-tls]] [--auth USER:PASSWORD]
#
# Runs in the folder it is started in. Binds 127.0.0.1 port 0 and writes the port to ./port when
# it listens. Each message it accepts goes to mail/NNNN.eml, as received, and mail/NNNN.json: the
# envelope, and what Python's own e-mail parser reads from the message (headers as decoded, each
# part's type, charset and decoded text with \n line ends, the parser's defects), written before
# the server answers
# 250, so a client that got 250 finds it there.
#
#   refuse    every recipient is refused: 550
#   tempfail  the message is refused for now: 451
#   --tls-cert/--tls-key   STARTTLS, required before MAIL; with --implicit-tls, TLS from the start
#   --auth    AUTH PLAIN/LOGIN required (over TLS only), with this one user and password
#
# Exits 77 when aiosmtpd (Debian python3-aiosmtpd) is missing. Stops on SIGTERM.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import argparse
import asyncio
import email
import email.policy
import email.utils
import json
import os
import signal
import ssl
import sys

try:
    from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword
except ImportError:
    print("python3-aiosmtpd is missing", file=sys.stderr)
    sys.exit(77)


def parse(raw):
    """What a mail reader sees in the message."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    legacy = email.message_from_bytes(raw, policy=email.policy.compat32)
    parts = []
    defects = [str(d) for d in message.defects]
    for part in message.walk():
        defects += [str(d) for d in part.defects]
        if part.is_multipart():
            continue
        parts.append({
            "type": part.get_content_type(),
            "charset": part.get_content_charset(),
            "encoding": part.get("Content-Transfer-Encoding", ""),
            "text": part.get_content().replace("\r\n", "\n"),
        })
    try:
        date_ok = email.utils.parsedate_to_datetime(message["Date"]) is not None
    except (TypeError, ValueError):
        date_ok = False
    lines = raw.split(b"\r\n")
    return {
        "content_type": message.get_content_type(),
        "subject": str(message["Subject"]),
        "from": str(message["From"]),
        "to": str(message["To"]),
        "message_id": str(message["Message-ID"]),
        "date_ok": date_ok,
        "header_names": [name for name, _ in legacy.items()],
        "parts": parts,
        "defects": defects,
        "max_line_length": max(len(line) for line in lines),
        "bare_lf": b"\n" in b"".join(lines),
        "eight_bit": any(byte > 127 for byte in raw),
    }


class Handler:
    def __init__(self, mode, tls):
        self.mode = mode
        self.tls = tls
        self.count = 0
        os.makedirs("mail", exist_ok=True)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.mode == "refuse":
            return "550 5.7.1 <%s>: Recipient address rejected: Access denied" % address
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.mode == "tempfail":
            return "451 4.3.0 Mailbox temporarily unavailable, try again later"
        self.count += 1
        raw = envelope.original_content
        summary = parse(raw)
        summary["mail_from"] = envelope.mail_from
        summary["rcpt_tos"] = envelope.rcpt_tos
        summary["tls"] = self.tls or session.ssl is not None
        summary["auth_login"] = (session.auth_data.login.decode()
                                 if isinstance(session.auth_data, LoginPassword) else None)
        stem = os.path.join("mail", "%04d" % self.count)
        with open(stem + ".eml", "wb") as f:
            f.write(raw)
        with open(stem + ".tmp", "w", encoding="utf-8") as f:
            json.dump(summary, f, ensure_ascii=False, indent=1)
        os.rename(stem + ".tmp", stem + ".json")
        return "250 2.0.0 Ok: queued as %04d" % self.count


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", choices=["accept", "refuse", "tempfail"], default="accept")
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--implicit-tls", action="store_true")
    parser.add_argument("--auth")
    args = parser.parse_args()

    context = None
    if args.tls_cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.tls_cert, args.tls_key)
    credentials = tuple(args.auth.split(":", 1)) if args.auth else None

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword)
              and (auth_data.login.decode(), auth_data.password.decode()) == credentials)
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

    handler = Handler(args.mode, bool(context and args.implicit_tls))
    loop = asyncio.new_event_loop()

    def factory():
        return SMTP(handler, hostname="pw-test-smtp.invalid", loop=loop,
                    tls_context=None if args.implicit_tls else context,
                    require_starttls=bool(context) and not args.implicit_tls,
                    authenticator=authenticator if credentials else None,
                    auth_required=bool(credentials), auth_require_tls=True)

    server = loop.run_until_complete(
        loop.create_server(factory, host="127.0.0.1", port=0,
                           ssl=context if args.implicit_tls else None))
    port = server.sockets[0].getsockname()[1]
    with open("port.tmp", "w") as f:
        f.write("%d\n" % port)
    os.rename("port.tmp", "port")
    loop.add_signal_handler(signal.SIGTERM, loop.stop)
    loop.run_forever()
    server.close()
    loop.run_until_complete(server.wait_closed())
    return 0


if __name__ == "__main__":
    sys.exit(main())
