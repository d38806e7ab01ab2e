"""The web app's static files: both catalogues have every key the code uses, the service
worker caches the whole shell, config.json comes from the local runtime's description."""

from __future__ import annotations

import json
import re
from pathlib import Path

from devtools.web_server import origins, web_config
from tests.conftest import ROOT

WEB = ROOT / "web"
SERVED = {".html", ".js", ".css", ".json", ".webmanifest", ".svg", ".png"}


def catalogue(language: str) -> dict[str, str]:
    data: dict[str, str] = json.loads((WEB / "i18n" / f"{language}.json").read_text())
    return data


def shell_files() -> set[str]:
    return {
        str(p.relative_to(WEB))
        for p in WEB.rglob("*")
        if p.is_file() and p.suffix in SERVED and p.name not in ("sw.js",)
    }


def test_both_languages_have_the_same_keys_and_every_literal_key_the_code_uses() -> None:
    nl, en = catalogue("nl"), catalogue("en")
    assert set(nl) == set(en)
    code = "\n".join(p.read_text() for p in (WEB / "js").rglob("*.js"))
    used = set(re.findall(r"\bt\('([\w.]+)'", code)) | set(
        re.findall(r"(?:key|title): '([\w.]+)'", code)
    )
    assert used - set(nl) == set()
    assert all(text.strip() for text in nl.values()) and all(text.strip() for text in en.values())


def test_the_service_worker_caches_the_whole_shell_and_nothing_else() -> None:
    source = (WEB / "sw.js").read_text()
    listed = set(re.findall(r"'([\w./-]+\.\w+)'", source.split("const SHELL")[1].split("];")[0]))
    assert listed == shell_files() - {"config.json"}
    assert "config.json" in source  # fetched from the network every time


def test_the_manifest_makes_the_app_installable() -> None:
    manifest = json.loads((WEB / "manifest.webmanifest").read_text())
    sizes = {icon["sizes"] for icon in manifest["icons"] if icon["type"] == "image/png"}
    assert {"192x192", "512x512"} <= sizes
    assert all((WEB / icon["src"]).exists() for icon in manifest["icons"])
    assert manifest["display"] == "standalone" and manifest["start_url"]


def test_config_json_names_the_api_and_cognito_of_the_local_runtime() -> None:
    info = {
        "api_url": "http://127.0.0.1:8000",
        "aws_endpoint_url": "http://127.0.0.1:8001",
        "region": "eu-west-1",
        "user_pool_id": "pool",
        "user_pool_client_id": "client",
    }
    assert web_config(info, "local") == {
        "api_url": "http://127.0.0.1:8000",
        "cognito_endpoint": "http://127.0.0.1:8001",
        "region": "eu-west-1",
        "user_pool_id": "pool",
        "user_pool_client_id": "client",
        "stage": "local",
    }
    assert origins("http://127.0.0.1:8002") == "http://127.0.0.1:8002,http://localhost:8002"


def test_no_node_toolchain_or_build_output_in_the_app() -> None:
    assert not (WEB / "node_modules").exists()
    assert not any(Path(p).name == "package.json" for p in WEB.rglob("*"))
