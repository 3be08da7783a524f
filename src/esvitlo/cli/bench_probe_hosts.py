"""The simulated routers of ``esvitlo bench probes``, run as a child process (stdlib only).

Three ports serve every address of 127.0.0.0/8 at once:

- answer: a listener that accepts and closes every connection;
- refuse: a port reserved by a socket that never listens, so a SYN gets a RST;
- silent: a listener with a backlog of one that is filled and never accepted, so the
  kernel drops every further SYN and the prober hears nothing.

The listeners are bound to the wildcard address (one socket cannot cover 127.0.0.0/8
otherwise); the benchmark only ever connects to loopback. Prints the three ports as one
JSON line, then serves until its standard input closes.
"""

from __future__ import annotations

import json
import os
import selectors
import socket
import sys
import time


def _listener(backlog: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("0.0.0.0", 0))  # noqa: S104 -- every loopback address; see the module doc
    sock.listen(backlog)
    sock.setblocking(False)
    return sock


def _fill(listener: socket.socket) -> list[socket.socket]:
    """Connections that fill ``listener``'s accept queue (one queued, one left waiting)."""
    port = listener.getsockname()[1]
    fillers = []
    for _ in range(2):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setblocking(False)
        sock.connect_ex(("127.0.0.1", port))
        fillers.append(sock)
    time.sleep(0.2)  # let the first handshake complete
    return fillers


def serve() -> None:
    """Open the three ports, print them, accept on ``answer`` until stdin closes."""
    answer = _listener(4096)
    silent = _listener(0)
    _fillers = _fill(silent)  # kept open for as long as we serve
    refuse = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    refuse.bind(("0.0.0.0", 0))  # noqa: S104 -- reserved, never listening
    ports = {
        "answer": answer.getsockname()[1],
        "refuse": refuse.getsockname()[1],
        "silent": silent.getsockname()[1],
    }
    print(json.dumps(ports), flush=True)
    selector = selectors.DefaultSelector()
    selector.register(answer, selectors.EVENT_READ)
    selector.register(sys.stdin, selectors.EVENT_READ)
    while True:
        for key, _ in selector.select():
            if key.fileobj is not answer:
                if not os.read(sys.stdin.fileno(), 1024):
                    return
                continue
            _accept_all(answer)


def _accept_all(listener: socket.socket) -> None:
    while True:
        try:
            connection, _ = listener.accept()
        except (BlockingIOError, ConnectionAbortedError):
            return
        connection.close()


if __name__ == "__main__":
    serve()
