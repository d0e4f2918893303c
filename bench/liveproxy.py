"""A live site on 127.0.0.1 for the benchmarks: an HTTP proxy that answers every request from a WARC archive.

The spiders' domains are fixed (https://english.news.cn/...) and the machine has no internet, so a live crawl
of the synthetic site goes through a proxy: Scrapy's HttpProxyMiddleware sends `https://` requests through
`https_proxy` as a CONNECT tunnel, and this server ends the tunnel's TLS itself (a self-signed certificate made
at start; Scrapy does not verify certificates by default), then answers each request inside it from the archive
by URL, robots.txt included, keeping the connection open. `http://` requests (absolute URIs) are answered the same
way. Nothing in the monitor changes: the request guard sees the real host names, the downloader does real
TCP, TLS and HTTP/1.1.

    .venv/bin/python bench/liveproxy.py ARCHIVE [PORT]    (serves until interrupted; prints its port)
"""

from __future__ import annotations

import datetime as dt
import http.server
import socketserver
import ssl
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from monitor.archive import load_archive, url_key  # noqa: E402

_DROP = {"transfer-encoding", "connection", "keep-alive", "content-length"}


def _certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate and key (any host name: Scrapy does not check it)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "monitor bench proxy")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("*.news.cn"), x509.DNSName("localhost")]),
                           critical=False)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "proxy-cert.pem", folder / "proxy-key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


class ArchiveProxy(socketserver.ThreadingMixIn, http.server.HTTPServer):
    """Serve `archive` as a proxy on 127.0.0.1 (port 0: any free one); `requests` counts what was asked."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, archive: str | Path, port: int = 0) -> None:
        # Every answer read and rendered up front: the server's own work per request stays small, so that
        # the crawler measured (which shares the machine's cores with it) is what the figure reflects.
        self.index: dict[str, tuple[int, list[tuple[str, str]], bytes]] = {}
        for key, archived in load_archive(archive).items():
            headers = [(k, v) for k, v in archived.headers if k.lower() not in _DROP]
            self.index[key] = (archived.status, [*headers, ("Content-Length", str(len(archived.body)))],
                               archived.body)
        self.requests = 0
        self.missing = 0
        self.lock = threading.Lock()
        self._tmp = tempfile.TemporaryDirectory(prefix="monitor-bench-proxy-")
        cert, key = _certificate(Path(self._tmp.name))
        self.tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.tls.load_cert_chain(cert, key)
        super().__init__(("127.0.0.1", port), _Handler)
        self.thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def start(self) -> ArchiveProxy:
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
        self._tmp.cleanup()


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as a real site
    # Headers and body go out in two writes: without TCP_NODELAY, Nagle's algorithm could hold the body back
    # until the client's delayed ACK (40 ms on Linux), and the crawl would measure that wait, not its work.
    disable_nagle_algorithm = True
    server: ArchiveProxy
    tunnel_host: str | None = None

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass  # no access log: it would cost the bench's own process time

    def do_CONNECT(self) -> None:  # noqa: N802 - http.server's naming
        self.send_response(200, "Connection established")
        self.end_headers()
        self.wfile.flush()
        try:
            self.connection = self.server.tls.wrap_socket(self.connection, server_side=True)
        except (ssl.SSLError, OSError):
            self.close_connection = True
            return
        self.rfile = self.connection.makefile("rb")
        self.wfile = socketserver._SocketWriter(self.connection)  # type: ignore[attr-defined]
        self.tunnel_host = self.path
        self.close_connection = False

    def finish(self) -> None:
        super().finish()
        if self.tunnel_host is not None:  # the TLS socket took the connection over: the server closes the original
            self.connection.close()

    def do_GET(self) -> None:  # noqa: N802
        if self.tunnel_host is not None:  # inside a CONNECT tunnel: an https URL, the host from the tunnel
            url = f"https://{self.tunnel_host.split(':')[0]}{self.path}"
        else:
            url = self.path  # a proxy request: the absolute URI
        with self.server.lock:
            self.server.requests += 1
        archived = self.server.index.get(url_key(url))
        if archived is None:
            with self.server.lock:
                self.server.missing += 1
            body = b"not in the archive\n"
            self.send_response(404)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        status, headers, body = archived
        self.send_response(status)
        for key, value in headers:
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)


def main(argv: list[str]) -> int:
    server = ArchiveProxy(argv[0], int(argv[1]) if len(argv) > 1 else 0)
    print(f"serving {len(server.index)} archived responses; set https_proxy={server.url} http_proxy={server.url}",
          flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        server._tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
