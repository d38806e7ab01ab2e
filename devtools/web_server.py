"""The members' web app served locally: the static files under web/, a generated
`config.json` telling the app where the API and Cognito are, and `/mailbox`, the mail the
platform sent (moto keeps it; nothing leaves the machine), so that a person trying the app
finds their invitation without a terminal.

On AWS the same files sit in S3 behind CloudFront and the deploy writes `config.json`
beside them; here the local runtime starts this server in a thread and fills in the
config once the API is up.
"""

from __future__ import annotations

import html
import json
import logging
import threading
import urllib.request
from collections.abc import Callable
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

log = logging.getLogger("devtools.web_server")

WEB_DIR = Path(__file__).resolve().parent.parent / "web"
TYPES = {
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
    ".svg": "image/svg+xml",
    ".css": "text/css",
    ".png": "image/png",
    ".html": "text/html",
}


def web_config(info: dict[str, Any], stage: str) -> dict[str, Any]:
    """`config.json` for the app, from the local runtime's dev.json description."""
    return {
        "api_url": info["api_url"],
        "cognito_endpoint": info["aws_endpoint_url"],
        "region": info["region"],
        "user_pool_id": info["user_pool_id"],
        "user_pool_client_id": info["user_pool_client_id"],
        "stage": stage,
    }


def origins(web_url: str) -> str:
    """The origins the API should allow (COOP_WEB_ORIGINS): the app as 127.0.0.1 and as
    localhost, since a person may type either."""
    port = web_url.rsplit(":", 1)[1]
    return f"http://127.0.0.1:{port},http://localhost:{port}"


def sent_mail(aws_endpoint_url: str) -> list[dict[str, str]]:
    """Every mail moto's SES accepted, newest first, as its recipient reads it."""
    with urllib.request.urlopen(f"{aws_endpoint_url}/moto-api/data.json", timeout=10) as answer:
        data = json.loads(answer.read())
    mails = []
    for raw in data.get("ses", {}).get("RawMessage", []):
        message = BytesParser(policy=policy.default).parsebytes(raw["raw_data"].encode())
        if not isinstance(message, EmailMessage):
            continue
        text = message.get_body(preferencelist=("plain",))
        mails.append(
            {
                "to": str(message["To"]),
                "subject": str(message["Subject"]),
                "date": str(message["Date"]),
                "text": text.get_content() if isinstance(text, EmailMessage) else "",
            }
        )
    return mails[::-1]


def mailbox_page(mails: list[dict[str, str]]) -> str:
    """The local mailbox: what the platform mailed (invitations with their temporary
    password, payout and reminder mails), for a person trying the app without a terminal."""
    items = "".join(
        f"<article><h2>{html.escape(m['subject'])}</h2>"
        f"<p class=meta>Aan / to: {html.escape(m['to'])} &middot; {html.escape(m['date'])}</p>"
        f"<pre>{html.escape(m['text'])}</pre></article>"
        for m in mails
    )
    return (
        '<!doctype html><html lang="nl"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>Lokale mailbox · Co-operations</title><style>"
        "body{font-family:system-ui,sans-serif;max-width:50rem;margin:0 auto;padding:1rem;"
        "background:#f6f4ef;color:#1d2427}article{background:#fff;border:1px solid #d5d1c6;"
        "border-radius:10px;padding:1rem;margin:0 0 1rem}h2{font-size:1.1rem;margin:0}"
        ".meta{color:#4f5b60;margin:.3rem 0}pre{white-space:pre-wrap;font:inherit}</style>"
        "</head><body><main><h1>Lokale mailbox (make run)</h1>"
        "<p>Wat het platform lokaal mailde, nieuwste eerst: lokaal gaat er geen echte mail de "
        "deur uit. / What the platform mailed locally, newest first.</p>"
        f"{items or '<p>Nog geen mail. / No mail yet.</p>'}"
        '<p><a href="/">Naar de web-app / To the web app</a></p></main></body></html>'
    )


class _Handler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, **TYPES}

    def __init__(self, *args: Any, config: Callable[[], dict[str, Any]], **kwargs: Any) -> None:
        self._config = config
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        config = self._config()
        if path == "/config.json":
            self._send(json.dumps(config).encode(), "application/json")
        elif path == "/mailbox" and config.get("stage") == "local":
            mails = sent_mail(config["cognito_endpoint"])
            self._send(mailbox_page(mails).encode(), "text/html; charset=utf-8")
        else:
            super().do_GET()

    def _send(self, body: bytes, media_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def end_headers(self) -> None:
        # Development: always revalidate, so an edited file shows on the next reload.
        if not self.path.startswith(("/config.json", "/mailbox")):
            self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        log.debug(format, *args)


class WebServer:
    def __init__(self, port: int, host: str = "127.0.0.1", root: Path = WEB_DIR) -> None:
        self.config: dict[str, Any] = {}
        handler = partial(_Handler, directory=str(root), config=lambda: self.config)
        ThreadingHTTPServer.daemon_threads = True
        self._server = ThreadingHTTPServer((host, port), handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
