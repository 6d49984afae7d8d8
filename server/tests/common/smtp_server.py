"""A real SMTP server on loopback for the mail tests (Python's aiosmtpd).

    python3 smtp_server.py FOLDER

Listens on 127.0.0.1 at a port the system picks and prints `PORT <n>` once ready. Every
message accepted is written to FOLDER as `<n>.json` (n = 1, 2…; written beside then renamed,
so a reader never sees half of one): the envelope, the headers as sent and as a mail client
decodes them (Python's `email` package), the decoded body, and the raw message.

What it answers depends on the recipient's local part, so that one server plays every case:
- `refus…@…`: 550 5.1.1 at RCPT TO (a permanent refusal); `refus<K>-…@…` only for the first
  K messages to that address;
- `temp<K>-…@…`: 451 4.3.0 at the end of DATA for the first K messages to that address (a
  temporary refusal: the message was transmitted, then not accepted);
- anything else: accepted.

Stops when its standard input closes (the test that started it ended) or when killed.
"""

import asyncio
import json
import os
import re
import sys
import threading
from email import message_from_bytes, policy

from aiosmtpd.smtp import SMTP


class Handler:
    def __init__(self, folder):
        self.folder = folder
        self.accepted = 0
        self.refused = {}

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@")[0].lower()
        rule = re.match(r"refus(\d*)", local)
        if rule:
            seen = self.refused.get(("rcpt", local), 0)
            if not rule.group(1) or seen < int(rule.group(1)):
                self.refused[("rcpt", local)] = seen + 1
                return "550 5.1.1 Destinataire inconnu"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        for rcpt in envelope.rcpt_tos:
            rule = re.match(r"temp(\d+)-", rcpt.lower())
            if rule:
                seen = self.refused.get(rcpt.lower(), 0)
                if seen < int(rule.group(1)):
                    self.refused[rcpt.lower()] = seen + 1
                    return "451 4.3.0 Serveur surcharge, reessayez plus tard"
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8")
        message = message_from_bytes(raw, policy=policy.default)
        raw_headers = raw.split(b"\r\n\r\n", 1)[0].decode("ascii", "replace")
        self.accepted += 1
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "from": str(message["From"]),
            "to": str(message["To"]),
            "subject": str(message["Subject"]),
            "message_id": str(message["Message-ID"]),
            "date": str(message["Date"]),
            "content_type": message.get_content_type(),
            "charset": message.get_content_charset(),
            "transfer_encoding": str(message.get("Content-Transfer-Encoding", "")),
            "body": message.get_content(),
            "raw_headers": raw_headers,
            "raw": raw.decode("utf-8", "replace"),
        }
        path = os.path.join(self.folder, f"{self.accepted}.json")
        with open(path + ".partial", "w", encoding="utf-8") as out:
            json.dump(record, out, ensure_ascii=False)
        os.replace(path + ".partial", path)
        return "250 2.0.0 Message accepte"


async def main(folder):
    os.makedirs(folder, exist_ok=True)
    handler = Handler(folder)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(handler, hostname="smtp.test.localhost"), "127.0.0.1", 0
    )
    port = server.sockets[0].getsockname()[1]
    print(f"PORT {port}", flush=True)
    await server.serve_forever()


def exit_when_stdin_closes():
    sys.stdin.read()
    os._exit(0)


if __name__ == "__main__":
    threading.Thread(target=exit_when_stdin_closes, daemon=True).start()
    asyncio.run(main(sys.argv[1]))
