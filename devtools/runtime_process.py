"""`python -m devtools.local_runtime` in a subprocess on free ports with its own state
directory: what the browser tests and the screenshot command run against (make run's code
path, nothing faked beyond what make run fakes)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

PROJECT_DIR = Path(__file__).resolve().parent.parent


class RuntimeProcess:
    def __init__(self, local_dir: Path) -> None:
        self.local_dir = local_dir
        self.process: subprocess.Popen[str] | None = None
        self.info: dict[str, Any] = {}

    def start(self, coop_now: str | None = None) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "COOP_"))} | {
            "COOP_MOTO_PORT": "0",
            "COOP_API_PORT": "0",
            "COOP_WEB_PORT": "0",
            "COOP_LOCAL_DIR": str(self.local_dir),
        }
        if coop_now:
            env["COOP_NOW"] = coop_now
        self.process = subprocess.Popen(
            [sys.executable, "-m", "devtools.local_runtime"],
            cwd=PROJECT_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        assert self.process.stdout is not None
        output = []
        deadline = time.monotonic() + 90
        for line in self.process.stdout:
            output.append(line)
            if line.startswith("ready: "):
                break
            if time.monotonic() > deadline:
                raise RuntimeError("local runtime did not start:\n" + "".join(output))
        else:
            raise RuntimeError("local runtime exited early:\n" + "".join(output))
        # Keep draining the output so the runtime never blocks on a full pipe.
        threading.Thread(target=self.process.stdout.read, daemon=True).start()
        self.info = json.loads((self.local_dir / "dev.json").read_text())

    def stop(self) -> int:
        if self.process is None or self.process.poll() is not None:
            return 0
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=30)

    @property
    def web_url(self) -> str:
        return str(self.info["web_url"])

    def user(self, email: str) -> dict[str, Any]:
        return next(u for u in self.info["users"] if u["email"] == email)

    def call(
        self, method: str, path: str, body: Any = None, token: str | None = None
    ) -> tuple[int, Any]:
        request = urllib.request.Request(
            self.info["api_url"] + path,
            method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Content-Type": "application/json"}
            | ({"Authorization": f"Bearer {token}"} if token else {}),
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    def token(self, email: str, password: str) -> str:
        body = {
            "AuthFlow": "USER_PASSWORD_AUTH",
            "ClientId": self.info["user_pool_client_id"],
            "AuthParameters": {"USERNAME": email, "PASSWORD": password},
        }
        answer = self._cognito("InitiateAuth", body)
        return str(answer["AuthenticationResult"]["IdToken"])

    def _cognito(self, action: str, body: dict[str, Any]) -> dict[str, Any]:
        request = urllib.request.Request(
            self.info["aws_endpoint_url"] + "/",
            method="POST",
            data=json.dumps(body).encode(),
            headers={
                "Content-Type": "application/x-amz-json-1.1",
                "X-Amz-Target": f"AWSCognitoIdentityProviderService.{action}",
            },
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            answer: dict[str, Any] = json.loads(response.read())
            return answer

    def deliver_mail(self, raw: bytes, *verdicts: str) -> dict[str, Any]:
        """Hands a raw mail to the intake as SES would (`devtools.cli intake deliver`, with
        e.g. "--spam", "FAIL"): {"intake_id", "status", "reason", "opportunity_id"}."""
        eml = self.local_dir / f"delivered-{time.monotonic_ns()}.eml"
        eml.write_bytes(raw)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "COOP_"))}
        command = [sys.executable, "-m", "devtools.cli", "intake", "deliver", str(eml), *verdicts]
        done = subprocess.run(
            [*command, "--dev-json", str(self.local_dir / "dev.json")],
            cwd=PROJECT_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if done.returncode != 0:
            raise RuntimeError(f"intake deliver failed:\n{done.stderr}")
        answer: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
        return answer

    def sent_mail(self, to: str) -> list[dict[str, str]]:
        """Mail the app sent to this address as its recipient reads it (moto's SES keeps the
        raw MIME): [{"subject", "body"}], oldest first; the body is the plain-text part."""
        url = self.info["aws_endpoint_url"] + "/moto-api/data.json"
        with urllib.request.urlopen(url, timeout=30) as response:
            data = json.loads(response.read())
        found = []
        for raw in data["ses"].get("RawMessage", []):
            message = BytesParser(policy=policy.default).parsebytes(raw["raw_data"].encode())
            if not isinstance(message, EmailMessage) or str(message["To"]) != to:
                continue
            text = message.get_body(preferencelist=("plain",))
            body = text.get_content() if isinstance(text, EmailMessage) else ""
            found.append({"subject": str(message["Subject"]), "body": body})
        return found
