"""A loopback listener that records every connection: the witness that nothing reached outside.

Tests point FROM, SERVICE, LOAD and graph parameters at it; a protection holds when the listener
has received nothing (`wait_quiet` knows it has, without sleeping, by a sentinel connection). It accepts in a thread, reads what the caller sends, and answers a minimal
HTTP 200 so that a client which does get through sees a quick answer rather than a hang.
"""

from __future__ import annotations

import itertools
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

EMPTY_RESULTS = b'{"head":{"vars":[]},"results":{"bindings":[]}}'
ANSWER = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\nConnection: close\r\n"
    b"Content-Length: %d\r\n\r\n%s" % (len(EMPTY_RESULTS), EMPTY_RESULTS)
)


class Listener:
    def __init__(self) -> None:
        self._socket = socket.create_server(("127.0.0.1", 0))
        self._socket.settimeout(0.2)
        self.port: int = self._socket.getsockname()[1]
        self.received: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._socket.accept()
            except OSError:  # the accept timeout: look at the stop flag again
                continue
            with connection:
                connection.settimeout(1)
                try:
                    self.received.append(connection.recv(65536) or b"(connected, sent nothing)")
                    connection.sendall(ANSWER)
                except OSError:
                    self.received.append(b"(connected)")

    def wait_quiet(self, seconds: float = 30) -> list[bytes]:
        """What was received before now, known without a sleep: send a sentinel connection and wait
        (up to `seconds`) until it arrives. Connections are accepted in the order they were made,
        one at a time, so anything the code under test sent before this call arrived first."""
        marker = b"(sentinel %d)" % next(_SENTINELS)
        with socket.create_connection(("127.0.0.1", self.port), timeout=seconds) as sentinel:
            sentinel.sendall(marker)
            deadline = time.monotonic() + seconds
            while marker not in self.received:
                assert time.monotonic() < deadline, f"the listener did not receive {marker!r}"
                time.sleep(0.01)  # polling interval while the condition is not met
        position = self.received.index(marker)
        del self.received[position]
        return list(self.received[:position])


_SENTINELS = itertools.count()


@contextmanager
def listening() -> Iterator[Listener]:
    listener = Listener()
    listener._thread.start()
    try:
        yield listener
    finally:
        listener._stop.set()
        listener._thread.join(timeout=2)
        listener._socket.close()
