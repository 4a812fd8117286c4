"""A local HTTP server standing in for Twilio's REST API: it records each request."""
from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs


@dataclass
class RecordedRequest:
    method: str
    path: str
    form: dict[str, str]
    authorization: str


@dataclass
class TwilioApi:
    """Answers call updates like Twilio does; `status` makes it fail with that code."""

    requests: list[RecordedRequest] = field(default_factory=list)
    status: int = 200
    base_url: str = ""

    def handler(self):
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                form = {k: v[0] for k, v in parse_qs(body).items()}
                api.requests.append(RecordedRequest("POST", self.path, form,
                                                    self.headers.get("Authorization", "")))
                sid = self.path.rstrip("/").split("/")[-1].removesuffix(".json")
                if api.status >= 400:
                    payload = {"code": 20404, "message": "The requested resource was not found",
                               "status": api.status}
                else:
                    payload = {"sid": sid, "status": form.get("Status", "in-progress")}
                data = json.dumps(payload).encode()
                self.send_response(api.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *_args):
                pass

        return Handler

    def serve(self):
        server = ThreadingHTTPServer(("127.0.0.1", 0), self.handler())
        self.base_url = f"http://127.0.0.1:{server.server_port}"
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        return server, thread
