"""Real local servers standing in for what lies outside the machine (no Django imports here)."""

import re
import socket
import threading
from email import message_from_bytes
from email.message import Message

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


MESSAGE_ID = re.compile(rb"^Message-ID:\s*(\S+)", re.IGNORECASE | re.MULTILINE)


class SmtpSink:
    """A real SMTP server (aiosmtpd) on loopback that records every message it accepts.

    Every Message-ID is kept; whole parsed messages too unless ``keep_messages`` is off (benchmarks).
    """

    def __init__(self, port: int, *, keep_messages: bool = True):
        self.port = port
        self.keep_messages = keep_messages
        self.ids: list[str] = []
        self.recipients: list[str] = []  # of each message, in the order of ``ids``
        self.messages: list[Message] = []
        self.refuse: set[str] = set()
        self._lock = threading.Lock()
        self.controller = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        found = MESSAGE_ID.search(envelope.content)
        with self._lock:
            self.ids.append(found.group(1).decode() if found else "")
            self.recipients.append(",".join(envelope.rcpt_tos))
            if self.keep_messages:
                self.messages.append(message_from_bytes(envelope.content))
        return "250 Message accepted"

    def start(self):
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller:
            self.controller.stop()
            self.controller = None

    def message_ids(self, recipient_suffix: str = "") -> list[str]:
        """Message-IDs received, or those of messages to addresses ending with ``recipient_suffix``."""
        with self._lock:
            return [
                i for i, to in zip(self.ids, self.recipients, strict=True) if to.endswith(recipient_suffix)
            ]


class WebhookReceiver:
    """A real HTTP server on loopback that records each POST and answers with ``status``."""

    def __init__(self, status: int = 200):
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        receiver = self
        self.status = status
        self.requests: list[tuple[dict, bytes, str]] = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.requests.append((dict(self.headers), body, self.path))
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks/guichet?source=test"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
