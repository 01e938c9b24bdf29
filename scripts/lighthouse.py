"""Lighthouse's mobile performance score of a built site's heaviest page (a measurement, not a test).

    python scripts/lighthouse.py SITE [--page PATH] [--json OUT]

SITE is a built site/ folder (e.g. after `kachestvo build --project examples/ilansky`). The site is served on
127.0.0.1 with gzip for text, as static hosts (GitHub Pages) serve it; Lighthouse (npm, pinned in
tests/npm/package-lock.json: `npm ci --prefix tests/npm`) runs in Debian's Chromium (CHROME_PATH=/usr/bin/chromium,
headless, --no-sandbox) with its default mobile settings (simulated slow 4G and a 4× slower CPU). Without --page
the heaviest page is measured: the largest index.html together with the images it shows. Prints the score, the
metrics, the bytes transferred and what Lighthouse says could be saved.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import re
import subprocess  # nosec B404 (a developer's script: node with fixed arguments)
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLI = ROOT / "tests" / "npm" / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROME = "/usr/bin/chromium"
TEXT = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".csv")


class _Gzip(http.server.SimpleHTTPRequestHandler):
    """Static files, text gzipped when the browser accepts it (as a static host does)."""

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the redirect to the folder's address
            path = path / "index.html"
        if not (path.suffix in TEXT and path.is_file() and "gzip" in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return _Body(body)


class _Body:
    def __init__(self, data: bytes):
        self.data = data

    def read(self, *_):
        data, self.data = self.data, b""
        return data

    def close(self):
        pass


def heaviest(site: Path) -> str:
    """Address (relative to the site) of the page with the most bytes: its HTML plus the images it shows."""

    def weight(page: Path) -> int:
        html = page.read_text(encoding="utf-8")
        images = {m for m in re.findall(r'<img[^>]+src="([^"]+)"', html) if "://" not in m}
        return page.stat().st_size + sum((page.parent / src).stat().st_size for src in images if (page.parent / src).is_file())

    page = max((p for p in site.rglob("index.html")), key=weight)
    rel = page.parent.relative_to(site).as_posix()
    return "" if rel == "." else rel + "/"


def run(site: Path, page: str, out: Path) -> dict:
    if not CLI.exists():
        sys.exit(f"Lighthouse is not installed: npm ci --prefix {CLI.parents[3].relative_to(ROOT)}")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Gzip, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/{page}"
    try:
        subprocess.run(  # nosec B603 B607 (node from PATH, the locked Lighthouse, a local address)
            [
                "node",
                str(CLI),
                url,
                "--only-categories=performance",
                "--output=json",
                f"--output-path={out}",
                "--quiet",
                "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
            ],
            check=True,
            env=dict(os.environ, CHROME_PATH=os.environ.get("CHROME_PATH", CHROME)),
        )
    finally:
        server.shutdown()
    return json.loads(out.read_text(encoding="utf-8"))


def report(result: dict, page: str) -> None:
    audits = result["audits"]
    score = result["categories"]["performance"]["score"]
    print(f"page: /{page}")
    print(f"Lighthouse {result['lighthouseVersion']}, {result['configSettings']['formFactor']}")
    print(f"performance score: {round(score * 100)}")
    metrics = ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift")
    for key in (*metrics, "speed-index"):
        print(f"  {audits[key]['title']}: {audits[key]['displayValue']}")
    print(f"  {audits['total-byte-weight']['title']}: {audits['total-byte-weight']['displayValue']}")
    for audit in audits.values():
        details = audit.get("details") or {}
        if details.get("type") == "opportunity" and (audit.get("score") or 1) < 0.9:
            print(f"  to improve: {audit['title']} ({audit.get('displayValue', '')})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path, help="a built site/ folder")
    parser.add_argument("--page", help="address of the page within the site (default: the heaviest)")
    parser.add_argument("--json", type=Path, help="also keep Lighthouse's JSON report here")
    args = parser.parse_args()
    page = args.page if args.page is not None else heaviest(args.site)
    with tempfile.TemporaryDirectory() as tmp:
        out = args.json or Path(tmp) / "report.json"
        report(run(args.site.resolve(), page, out), page)


if __name__ == "__main__":
    main()
