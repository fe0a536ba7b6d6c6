"""The real download path, end to end and offline: ``find_weights(download=True)`` runs the real
``huggingface_hub.hf_hub_download`` against a loopback HTTP server (127.0.0.1 only) that serves
the timm fixture the way the Hugging Face Hub serves a file stored with Git LFS:

- ``HEAD``/``GET {endpoint}/{repo_id}/resolve/main/{filename}`` answers ``302`` with
  ``X-Repo-Commit`` (the commit), ``X-Linked-Etag`` (the file's sha256), ``X-Linked-Size`` and a
  ``Location`` on another path (the Hub's CDN);
- ``GET`` on that location, a second loopback server (another origin, like the Hub's CDN),
  returns the bytes.

``HF_ENDPOINT`` points ``huggingface_hub`` at the server; ``HF_HOME`` at a temporary cache. The
download runs in a subprocess because ``huggingface_hub`` reads ``HF_ENDPOINT`` at import time.
"""

from __future__ import annotations

import hashlib
import http.server
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from mobilenet_lab.pretrained import HF_FILENAME, HF_REPO_ID

pytest.importorskip("huggingface_hub")
pytest.importorskip("safetensors")

FIXTURE = Path(__file__).parent / "fixtures" / "timm_mobilenetv1_025.safetensors"
COMMIT = "0123456789abcdef0123456789abcdef01234567"


class _Server(http.server.ThreadingHTTPServer):
    def __init__(self, hub: FakeHub) -> None:
        self.hub = hub
        super().__init__(("127.0.0.1", 0), _Handler)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class FakeHub:
    """One file under ``/{repo_id}/resolve/main/{filename}``, LFS style: the Hub answers with a
    redirect to its CDN (here a second loopback server, another origin, as on the real Hub)."""

    def __init__(self, repo_id: str, filename: str, payload: bytes) -> None:
        self.repo_id, self.filename, self.payload = repo_id, filename, payload
        self.sha256 = hashlib.sha256(payload).hexdigest()
        self.requests: list[tuple[str, str]] = []
        self.hub, self.cdn = _Server(self), _Server(self)
        self._threads = [
            threading.Thread(target=s.serve_forever, daemon=True) for s in (self.hub, self.cdn)
        ]

    @property
    def endpoint(self) -> str:
        return self.hub.endpoint

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        for server in (self.hub, self.cdn):
            server.shutdown()
            server.server_close()


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, *_args: object) -> None:  # keep pytest's output clean
        pass

    def _answer(self, body: bool) -> None:
        hub = self.server.hub
        on_cdn = self.server is hub.cdn
        hub.requests.append((self.command, ("cdn:" if on_cdn else "") + self.path))
        path = self.path.split("?")[0]
        if not on_cdn and path == f"/{hub.repo_id}/resolve/main/{hub.filename}":
            self.send_response(302)
            self.send_header("Location", f"{hub.cdn.endpoint}/{hub.sha256}?signed=yes")
            self.send_header("X-Repo-Commit", COMMIT)
            self.send_header("X-Linked-Etag", f'"{hub.sha256}"')
            self.send_header("X-Linked-Size", str(len(hub.payload)))
            self.send_header("ETag", '"not-the-lfs-etag"')
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif on_cdn and path == f"/{hub.sha256}":
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(len(hub.payload)))
            self.send_header("ETag", f'"{hub.sha256}"')
            self.end_headers()
            if body:
                self.wfile.write(hub.payload)
        else:
            self.send_response(404)
            self.send_header("X-Error-Code", "EntryNotFound")
            self.send_header("Content-Length", "0")
            self.end_headers()

    def do_HEAD(self) -> None:  # noqa: N802 - http.server's naming
        self._answer(body=False)

    def do_GET(self) -> None:  # noqa: N802
        self._answer(body=True)


SCRIPT = """
import json, sys
import torch
from mobilenet_lab.pretrained import find_weights, load_weights_file, mobilenet_from_timm

path = find_weights(download=sys.argv[1] == "download")
result = {"path": None if path is None else str(path)}
if path is not None:
    tensors = load_weights_file(path)
    x, logits = tensors.pop("__input__"), tensors.pop("__logits__")
    with torch.inference_mode():
        result["matches"] = torch.allclose(mobilenet_from_timm(tensors)(x), logits, atol=1e-5)
print(json.dumps(result))
"""


def _run(mode: str, env: dict[str, str]) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, mode],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.fixture()
def hub_env(tmp_path):
    hub = FakeHub(HF_REPO_ID, HF_FILENAME, FIXTURE.read_bytes())
    hub.start()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("HF_", "HUGGINGFACE_")) and k != "MOBILENET_LAB_WEIGHTS"
    }
    env.update(
        HF_ENDPOINT=hub.endpoint,
        HF_HOME=str(tmp_path / "hf-home"),
        HF_HUB_DISABLE_TELEMETRY="1",
        HF_HUB_DISABLE_XET="1",
        NO_PROXY="127.0.0.1",
        no_proxy="127.0.0.1",
    )
    try:
        yield hub, env
    finally:
        hub.stop()


def test_download_goes_through_hf_hub_download_and_the_cache(hub_env, tmp_path):
    hub, env = hub_env
    # nothing cached, no download asked: no weights, no request
    assert _run("local", env) == {"path": None}
    assert not [r for r in hub.requests if "resolve" in r[1] or r[1].startswith("cdn:")]
    # the real hf_hub_download, through our loader, against the loopback "Hub"
    first = _run("download", env)
    assert first["matches"] is True
    path = Path(first["path"])
    assert path.is_file() and path.read_bytes() == FIXTURE.read_bytes()
    assert str(tmp_path / "hf-home") in str(path) and COMMIT in str(path)
    assert ("HEAD", f"/{HF_REPO_ID}/resolve/main/{HF_FILENAME}") in hub.requests
    assert ("GET", f"cdn:/{hub.sha256}?signed=yes") in hub.requests
    # the next run finds the file in the Hugging Face cache, without any request
    hub.requests.clear()
    again = _run("local", env)
    assert again["path"] == first["path"] and again["matches"] is True
    assert not [r for r in hub.requests if "resolve" in r[1] or r[1].startswith("cdn:")]


def test_download_failure_is_none_not_an_error(hub_env):
    hub, env = hub_env
    env["HF_ENDPOINT"] = hub.endpoint + "/missing"  # every request is a 404
    assert _run("download", env) == {"path": None}
    env["HF_HUB_OFFLINE"] = "1"
    hub.requests.clear()
    assert _run("download", env) == {"path": None}
    assert not [r for r in hub.requests if "resolve" in r[1]]
