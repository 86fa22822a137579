"""The HTTP server both emulators run on: threaded, loopback only, quiet about clients that hang up.

A client killed mid-request (kill -9 tests, dropped-connection faults) resets its socket; that
is expected here, so it is not printed as a traceback. Any other handler error still is.
"""

from __future__ import annotations

from http.server import ThreadingHTTPServer
from typing import Any


class EmulatorHTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        import sys

        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionResetError, BrokenPipeError, ConnectionAbortedError)):
            return
        super().handle_error(request, client_address)
