"""Screenshot of a school page for the README: python scripts/docs_screenshot.py (after building the example).

Run `kachestvo build --project examples/kotelnikovsky` first. Serves the example's built site on a local port,
opens the school page in Debian's Chromium at a phone's width (390 px) and writes the top of the page
as docs/src/assets/shkola.png.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "examples" / "kotelnikovsky" / "site"
PAGE = "shkoly/krasnoyarskaya-sh/"
OUT = ROOT / "docs" / "src" / "assets" / "shkola.png"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--site", type=Path, default=SITE)
    ap.add_argument("--page", default=PAGE)
    ap.add_argument("--height", type=int, default=1100)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(args.site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium")
            page = browser.new_page(viewport={"width": 390, "height": args.height}, device_scale_factor=1)
            page.goto(f"http://127.0.0.1:{server.server_port}/{args.page}", wait_until="networkidle")
            page.screenshot(path=str(args.out))
            browser.close()
    finally:
        server.shutdown()
    print(f"{args.out.relative_to(ROOT)}: {args.out.stat().st_size} байт")


if __name__ == "__main__":
    main()
