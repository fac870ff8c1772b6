"""A mail server of the soak's own on loopback: it speaks just enough SMTP for Django's smtp
backend and keeps what it accepted. A message counts as delivered only once its final "250"
was sent while the client was still connected (as a real server takes responsibility for a
message only with that reply). One recipient can be made slow: the reply to its DATA waits,
so the soak can kill the worker that is sending it."""

import email
import select
import socket
import socketserver
import threading
import time


class _Handler(socketserver.StreamRequestHandler):
    timeout = 30

    def _reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())
        self.wfile.flush()

    def _client_left(self, seconds: float) -> bool:
        """Wait `seconds`; whether the client hung up meanwhile."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            readable, _, _ = select.select([self.connection], [], [], left)
            if readable:
                try:
                    if self.connection.recv(1, socket.MSG_PEEK) == b"":
                        return True
                except OSError:
                    return True
                time.sleep(0.05)
        return False

    def handle(self) -> None:
        sink: SmtpSink = self.server.sink  # type: ignore[attr-defined]
        self._reply("220 soak-sink ESMTP")
        recipients: list[str] = []
        while True:
            line = self.rfile.readline()
            if not line:
                return
            command = line.decode(errors="replace").strip()
            verb = command[:4].upper()
            if verb in {"EHLO", "HELO"}:
                self._reply("250 soak-sink")
            elif verb == "MAIL":
                recipients = []
                self._reply("250 OK")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip().strip("<>").lower())
                self._reply("250 OK")
            elif verb == "DATA":
                self._reply("354 go on")
                body = []
                while (part := self.rfile.readline()) not in (b".\r\n", b""):
                    body.append(part[1:] if part.startswith(b"..") else part)
                message = email.message_from_bytes(b"".join(body))
                if sink.slow_recipient in recipients:
                    sink.slow_data_received.set()
                    if self._client_left(sink.slow_seconds):
                        sink.abandoned.append(message["Message-ID"])
                        return
                sink.accept(recipients, message)
                self._reply("250 accepted")
            elif verb == "RSET":
                recipients = []
                self._reply("250 OK")
            elif verb == "NOOP":
                self._reply("250 OK")
            elif verb == "QUIT":
                self._reply("221 bye")
                return
            else:
                self._reply("502 not here")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class SmtpSink:
    def __init__(self, slow_recipient: str = "", slow_seconds: float = 0.0) -> None:
        self.slow_recipient = slow_recipient.lower()
        self.slow_seconds = slow_seconds
        self.slow_data_received = threading.Event()
        self.lock = threading.Lock()
        # (recipient, Message-ID, Subject) of each message accepted.
        self.accepted: list[tuple[str, str, str]] = []
        self.abandoned: list[str] = []
        self.server = _Server(("127.0.0.1", 0), _Handler)
        self.server.sink = self  # type: ignore[attr-defined]
        self.port = self.server.server_address[1]

    def accept(self, recipients: list[str], message) -> None:
        with self.lock:
            for recipient in recipients:
                self.accepted.append((recipient, message["Message-ID"], message["Subject"]))

    def to(self, recipient: str) -> list[tuple[str, str, str]]:
        with self.lock:
            return [entry for entry in self.accepted if entry[0] == recipient.lower()]

    def __enter__(self) -> "SmtpSink":
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
