#!/usr/bin/python3
"""A real SMTP server for dogwatch's integration tests, built on aiosmtpd (python3-aiosmtpd).

smtp_server.py certs DIR
    A throwaway CA and two server certificates it signed, made with the openssl CLI:
    DIR/ca.pem; DIR/server.pem + server.key (localhost, 127.0.0.1); DIR/other.pem + other.key
    (other.example only, to play a certificate for the wrong host).

smtp_server.py serve --spool DIR --port-file FILE [--mode MODE] [--certs DIR] [--cert NAME]
                     [--user U --password P] [--only-login] [--auth-in-clear] [--reject TEXT]
    Listens on 127.0.0.1 on a port the OS picks, and writes it to FILE once listening.
    Modes: plain (no TLS), starttls (STARTTLS required before AUTH and MAIL), tls (implicit TLS),
    and misbehaving ones: silent (accepts, never says a word), garbage (a greeting that is not
    SMTP), hugeline (a greeting line that never ends), close (accepts and hangs up).
    --only-login offers AUTH LOGIN alone; --auth-in-clear offers AUTH without TLS; recipients
    containing --reject get "550 5.1.1 no such user".
    Each message accepted becomes DIR/<n>.json: the envelope, TLS and AUTH as the server saw
    them, the raw data, and what Python's email package parses out of it.
"""

import argparse
import asyncio
import email
import email.policy
import json
import os
import ssl
import subprocess
import sys

from aiosmtpd.smtp import SMTP, AuthResult


def make_certs(directory):
    def openssl(*args):
        subprocess.run(["/usr/bin/openssl", *args], check=True, capture_output=True)

    def path(name):
        return os.path.join(directory, name)

    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    openssl("req", "-x509", *ec, "-days", "2", "-subj", "/CN=dogwatch smtp test CA",
            "-keyout", path("ca.key"), "-out", path("ca.pem"))
    for name, san in (("server", "DNS:localhost,IP:127.0.0.1"), ("other", "DNS:other.example")):
        with open(path(name + ".ext"), "w") as f:
            f.write("subjectAltName=%s\n" % san)
        openssl("req", *ec, "-subj", "/CN=" + name, "-keyout", path(name + ".key"),
                "-out", path(name + ".csr"))
        openssl("x509", "-req", "-in", path(name + ".csr"), "-CA", path("ca.pem"),
                "-CAkey", path("ca.key"), "-CAcreateserial", "-days", "2",
                "-extfile", path(name + ".ext"), "-out", path(name + ".pem"))


def write_atomically(path, text):
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        f.write(text)
    os.rename(path + ".tmp", path)


def describe(raw):
    """What a mail reader would see: decoded headers and bodies, and any MIME defects."""
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    plain = msg.get_body(preferencelist=("plain",))
    html = msg.get_body(preferencelist=("html",))
    defects = [str(d) for part in msg.walk() for d in part.defects]
    unix = lambda text: text.replace("\r\n", "\n")
    return {
        "subject": str(msg["subject"]),
        "from": str(msg["from"]),
        "to": str(msg["to"]),
        "date": str(msg["date"]),
        "message_id": str(msg["message-id"]),
        "content_type": msg.get_content_type(),
        "text": unix(plain.get_content()) if plain is not None else None,
        "html": unix(html.get_content()) if html is not None else None,
        "defects": defects,
        "longest_line": max(raw.split(b"\r\n"), key=len).decode("utf-8", errors="replace"),
        "headers": [[k, str(v)] for k, v in msg.items()],
    }


class Spool:
    def __init__(self, directory, reject):
        self.directory = directory
        self.reject = reject
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.reject and self.reject in address:
            return "550 5.1.1 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content  # dot-stuffing already undone by aiosmtpd
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "tls": server.transport.get_extra_info("ssl_object") is not None,
            "auth": session.auth_data,  # [mechanism, login] or None
            "raw": raw.decode("utf-8", errors="replace"),
        }
        record.update(describe(raw))
        self.count += 1
        write_atomically(os.path.join(self.directory, "%d.json" % self.count),
                         json.dumps(record, ensure_ascii=False, indent=1))
        return "250 OK queued"


def authenticator(user, password):
    def check(server, session, envelope, mechanism, auth_data):
        ok = auth_data.login == user.encode() and auth_data.password == password.encode()
        # handled=False: aiosmtpd answers a failure with "535 5.7.8 ..." itself.
        return AuthResult(success=ok, handled=False,
                          auth_data=[mechanism, auth_data.login.decode()])
    return check


async def misbehave(mode, reader, writer):
    if mode == "garbage":
        writer.write(b"HTTP/1.1 400 Bad Request\r\n\r\n")
    elif mode == "hugeline":
        writer.write(b"220 " + b"x" * (4 << 20))  # and never a line end
    elif mode == "close":
        writer.close()
        return
    await writer.drain()
    await reader.read()  # silent (and the rest): hold the connection until the client leaves
    writer.close()


async def serve(args):
    loop = asyncio.get_running_loop()
    context = None
    if args.mode in ("starttls", "tls"):
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(os.path.join(args.certs, args.cert + ".pem"),
                                os.path.join(args.certs, args.cert + ".key"))
    if args.mode in ("silent", "garbage", "hugeline", "close"):
        server = await asyncio.start_server(
            lambda r, w: misbehave(args.mode, r, w), "127.0.0.1", 0)
    else:
        spool = Spool(args.spool, args.reject)
        options = {
            "hostname": "smtp.test",
            "auth_exclude_mechanism": ["PLAIN"] if args.only_login else None,
            # aiosmtpd cannot tell that an implicit-TLS transport is encrypted.
            "auth_require_tls": not (args.auth_in_clear or args.mode == "tls"),
        }
        if args.user:
            options["authenticator"] = authenticator(args.user, args.password)
        if args.mode == "starttls":
            options.update(tls_context=context, require_starttls=True)
        server = await loop.create_server(
            lambda: SMTP(spool, loop=loop, **options), "127.0.0.1", 0,
            ssl=context if args.mode == "tls" else None)
    write_atomically(args.port_file, str(server.sockets[0].getsockname()[1]))
    async with server:
        await server.serve_forever()


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    certs = sub.add_parser("certs")
    certs.add_argument("dir")
    s = sub.add_parser("serve")
    s.add_argument("--spool", required=True)
    s.add_argument("--port-file", required=True)
    s.add_argument("--mode", default="plain",
                   choices=["plain", "starttls", "tls", "silent", "garbage", "hugeline", "close"])
    s.add_argument("--certs")
    s.add_argument("--cert", default="server")
    s.add_argument("--user")
    s.add_argument("--password", default="")
    s.add_argument("--only-login", action="store_true")
    s.add_argument("--auth-in-clear", action="store_true")
    s.add_argument("--reject")
    args = parser.parse_args()
    if args.command == "certs":
        make_certs(args.dir)
    else:
        asyncio.run(serve(args))


if __name__ == "__main__":
    sys.exit(main())
