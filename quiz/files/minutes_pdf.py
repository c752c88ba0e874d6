"""The minutes as a PDF, printed by headless Chromium through Playwright.

Chromium prints the very page the MC opens at /minutes (the same template,
style sheet and fonts, minutes.py), so the PDF and a sheet printed from the
browser look the same: Vietnamese text in the app's own font, the @page A4
size and margins, tables that repeat their header on a new page. The page is
written to a temporary file and opened from disk; every request that is not
a local file is refused, so nothing is fetched from any network.

Chromium is found at $QUIZ_CHROMIUM (only there, when it is set), else at
/usr/bin/chromium, `chromium` on the PATH, or Playwright's own download
(`playwright install chromium`). Playwright
is needed at run time for this command only (`pip install "quiz[pdf]"`); the
server does not need it. Imports nothing from the rest of the package.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

WAIT_MS = 30_000
FOOTER = (
    '<div style="width:100%;font-size:8pt;color:#555;text-align:center;'
    "font-family:'DejaVu Sans',sans-serif\">"
    '<span class="pageNumber"></span> / <span class="totalPages"></span></div>'
)


class PdfUnavailable(Exception):
    """Chromium or Playwright is missing; the message says what to install."""


def chromium_path() -> str | None:
    """The Chromium to use, or None to let Playwright use its own."""
    chosen = os.environ.get("QUIZ_CHROMIUM")
    if chosen:
        if not Path(chosen).exists():
            raise PdfUnavailable(
                f"QUIZ_CHROMIUM names {chosen}, which does not exist: point it at Chromium "
                "(or unset it to use /usr/bin/chromium or Playwright's own)"
            )
        return chosen
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _local_only(route: Any) -> None:
    if route.request.url.startswith(("file:", "data:", "about:")):
        route.continue_()
    else:
        route.abort()


def html_to_pdf(html: str, output: Path) -> None:
    """Print the page `html` (its links are file:// URLs) to the PDF `output`."""
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        raise PdfUnavailable(
            "writing a PDF needs Playwright: pip install 'quiz[pdf]' "
            "(or write the page with -o FILE.html and print it from a browser)"
        ) from None
    executable = chromium_path()
    args = ["--disable-gpu", "--disable-background-networking", "--no-first-run"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")  # Chromium refuses to sandbox itself as root
    with tempfile.TemporaryDirectory(prefix="quiz-minutes-") as folder:
        page_file = Path(folder) / "bien-ban.html"
        page_file.write_text(html, encoding="utf-8")
        with sync_playwright() as p:
            try:
                browser = p.chromium.launch(executable_path=executable, args=args)
            except Error as exc:
                first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
                raise PdfUnavailable(
                    f"cannot start Chromium ({executable or 'Playwright’s own'}): {first}. "
                    "Install it (apt install chromium, or `playwright install chromium`) "
                    "or set QUIZ_CHROMIUM to its path"
                ) from None
            try:
                page = browser.new_page()
                page.route("**/*", _local_only)
                page.goto(page_file.as_uri(), wait_until="load", timeout=WAIT_MS)
                page.evaluate("document.fonts.ready.then(() => true)")
                page.emulate_media(media="print")
                data = page.pdf(
                    format="A4",
                    print_background=True,
                    prefer_css_page_size=True,
                    display_header_footer=True,
                    header_template="<span></span>",
                    footer_template=FOOTER,
                )
            finally:
                browser.close()
    tmp = output.with_name(output.name + ".part")
    tmp.write_bytes(data)
    os.replace(tmp, output)
