"""Headless Chromium driven over its DevTools pipe, for page tests.

Chromium is started with `--remote-debugging-pipe`: the DevTools protocol
runs over file descriptors 3 and 4 of the child, so no port is opened and no
driver package is needed. Pages are opened from file:// URLs only.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

CANDIDATES = ("chromium", "chromium-browser", "google-chrome")


def find_chromium() -> str | None:
    """The first Chromium on PATH ($FLATLINER_CHROMIUM overrides), or None."""
    override = os.environ.get("FLATLINER_CHROMIUM")
    if override:
        return override
    return next((p for p in map(shutil.which, CANDIDATES) if p), None)


class Browser:
    """One headless Chromium with one page; use as a context manager."""

    def __init__(self, executable: str, width: int = 1100, height: int = 900) -> None:
        self._profile = tempfile.mkdtemp(prefix="flatliner-chromium-")
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()
        # The child's ends move above 9 first, so that placing them on 3 and 4
        # below can never overwrite one with the other.
        to_child_r, from_child_w = (
            _above_nine(fd) for fd in (to_child_r, from_child_w)
        )

        # DevTools reads commands on fd 3 and writes replies on fd 4; bash
        # (dash takes no fd above 9) moves our pipe ends there just before it
        # becomes Chromium (no preexec_fn, which is unsafe with threads).
        wiring = (
            f'exec "$0" "$@" 3<&{to_child_r} 4>&{from_child_w} '
            f"{to_child_r}<&- {from_child_w}>&-"
        )
        self._process = subprocess.Popen(
            [
                "bash",
                "-c",
                wiring,
                executable,
                "--headless",
                "--remote-debugging-pipe",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-extensions",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                f"--user-data-dir={self._profile}",
                f"--window-size={width},{height}",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(to_child_r, from_child_w),
        )
        os.close(to_child_r)
        os.close(from_child_w)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []
        self.width, self.height = width, height
        self._session: str | None = None

    def __enter__(self) -> Browser:
        target = self.send("Target.createTarget", {"url": "about:blank"}, page=False)
        attached = self.send(
            "Target.attachToTarget",
            {"targetId": target["targetId"], "flatten": True},
            page=False,
        )
        self._session = attached["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.send(f"{domain}.enable")
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {
                "width": self.width,
                "height": self.height,
                "deviceScaleFactor": 1,
                "mobile": False,
            },
        )
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self.send("Browser.close", page=False, timeout=10)
        except Exception:  # noqa: BLE001 - closing a browser that already died
            pass
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        os.close(self._to_child)
        os.close(self._from_child)
        shutil.rmtree(self._profile, ignore_errors=True)

    def send(
        self,
        method: str,
        params: dict[str, Any] | None = None,
        *,
        page: bool = True,
        timeout: float = 30,
    ) -> dict[str, Any]:
        """Sends one DevTools command and waits for its reply."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method}
        message["params"] = params or {}
        if page:
            message["sessionId"] = self._session
        os.write(self._to_child, json.dumps(message).encode() + b"\0")
        reply = self._wait(lambda m: m.get("id") == self._next_id, timeout)
        if "error" in reply:
            raise RuntimeError(f"{method} failed: {reply['error']}")
        return reply.get("result", {})

    def open(self, path: Path, timeout: float = 30) -> None:
        """Loads a local file and waits for its load event."""
        self.send("Page.navigate", {"url": Path(path).resolve().as_uri()})
        self._wait(lambda m: m.get("method") == "Page.loadEventFired", timeout)

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression on the page (JSON-able)."""
        result = self.send(
            "Runtime.evaluate", {"expression": expression, "returnByValue": True}
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"script failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def console_errors(self) -> list[str]:
        """Every error the page logged: console.error, exceptions, failed loads."""
        errors = []
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.consoleAPICalled" and params["type"] == "error":
                errors.append(" ".join(str(a.get("value")) for a in params["args"]))
            elif method == "Runtime.exceptionThrown":
                errors.append(params["exceptionDetails"].get("text", "exception"))
            elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
                errors.append(params["entry"].get("text", ""))
        return errors

    def screenshot(self, path: Path) -> Path:
        """Saves a PNG of the whole page, beyond the first screen."""
        height = int(self.evaluate("document.documentElement.scrollHeight"))
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {
                "width": self.width,
                "height": height,
                "deviceScaleFactor": 1,
                "mobile": False,
            },
        )
        shot = self.send("Page.captureScreenshot", {"format": "png"})
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(shot["data"]))
        return path

    def _wait(self, wanted, timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            while b"\0" in self._buffer:
                raw, self._buffer = self._buffer.split(b"\0", 1)
                message = json.loads(raw)
                if "method" in message:
                    self.events.append(message)
                if wanted(message):
                    return message
            if time.monotonic() > deadline or self._process.poll() is not None:
                raise TimeoutError("Chromium did not answer in time")
            chunk = _read(self._from_child, deadline - time.monotonic())
            self._buffer += chunk


def _above_nine(fd: int) -> int:
    import fcntl

    moved = fcntl.fcntl(fd, fcntl.F_DUPFD, 10)
    os.close(fd)
    return moved


def _read(fd: int, timeout: float) -> bytes:
    import select

    ready, _, _ = select.select([fd], [], [], max(timeout, 0.0))
    if not ready:
        return b""
    chunk = os.read(fd, 1 << 20)
    if not chunk:
        raise TimeoutError("Chromium closed its DevTools pipe")
    return chunk
