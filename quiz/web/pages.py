"""HTTP routes: the three screens, the MC login, the join sheet, question
images, results.

Pages are shells: their content arrives over Socket.IO. The MC logs in once
with the PIN (POST /mc, throttled like every PIN check) and gets a session
cookie (HttpOnly, SameSite=Strict); the console's socket, the join sheet and
the results are opened with that cookie, so the PIN is never in a URL.
"""

from __future__ import annotations

from typing import Any

import qrcode
import qrcode.image.svg
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    send_file,
)
from markupsafe import Markup

from .. import results
from .sockets import SESSION_COOKIE, client_address, wait_message

SESSION_HOURS = 24  # a contest day
# Question images are served with this policy: an SVG opened directly runs
# no script, loads nothing, and is a sandboxed document of its own.
MEDIA_CSP = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox"

bp = Blueprint("pages", __name__)


def _hub() -> Any:
    return current_app.extensions["quiz_hub"]


def _contest() -> Any:
    return _hub().service.contest


@bp.get("/")
def index() -> str:
    """Where to go: board, team join, MC."""
    return render_template("index.html", contest=_contest())


@bp.get("/board")
def board() -> str:
    """The projected board (Màn hình trình chiếu)."""
    return render_template("board.html", contest=_contest())


@bp.get("/team")
@bp.get("/t/<code>")
def team(code: str = "") -> str:
    """A team tablet (Màn hình đội thi); the code may come from the QR link."""
    return render_template("team.html", contest=_contest(), code=code)


def _logged_in() -> bool:
    return bool(_hub().access.session_ok(request.cookies.get(SESSION_COOKIE)))


@bp.get("/mc")
def mc() -> str:
    """The MC console (Bảng điều khiển), or its login form without the session cookie."""
    return render_template("mc.html", contest=_contest(), logged_in=_logged_in(), error="")


@bp.post("/mc")
def mc_login() -> Any:
    """The PIN form: a session cookie and back to the console, or the form again."""
    hub = _hub()
    address = client_address()
    wait = hub.pin_throttle.wait(address)
    if wait > 0:
        page = render_template(
            "mc.html", contest=_contest(), logged_in=False, error=wait_message(wait)
        )
        return Response(page, 429, headers={"Retry-After": str(max(1, round(wait)))})
    if not hub.access.pin_ok(request.form.get("pin", "")):
        hub.pin_throttle.failed(address)
        hub.push_mc()
        page = render_template(
            "mc.html", contest=_contest(), logged_in=False, error="Mã PIN không đúng"
        )
        return Response(page, 403)
    hub.pin_throttle.succeeded(address)
    response = redirect("/mc", 303)
    response.set_cookie(
        SESSION_COOKIE,
        hub.access.mc_token,
        max_age=SESSION_HOURS * 3600,
        path="/",
        httponly=True,
        samesite="Strict",
    )
    return response


@bp.post("/logout")
def logout() -> Any:
    response = redirect("/mc", 303)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="Strict")
    return response


def _require_pin() -> None:
    """The MC's pages: only with the session cookie (never a PIN in the URL)."""
    if not _logged_in():
        abort(403)


def qr_svg(data: str) -> Markup:
    """A QR code as inline SVG markup (generated here; data is a URL we built)."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=12, border=2)
    svg = image.to_string(encoding="unicode")
    return Markup(svg)  # noqa: S704 - our own generated SVG, no user text in it


@bp.get("/join-sheet")
def join_sheet() -> str:
    """A printable sheet: one QR code and join code per team."""
    _require_pin()
    hub = _hub()
    base = hub.urls["base"]
    teams = []
    for t in _contest().teams:
        code = hub.access.codes[t.id]
        url = f"{base}/t/{code}"
        teams.append({"name": t.name, "code": code, "url": url, "qr": qr_svg(url)})
    return render_template("join_sheet.html", contest=_contest(), teams=teams, urls=hub.urls)


@bp.get("/media/<question_id>")
def media(question_id: str) -> Response:
    """A question's image, only once that question has been shown."""
    svc = _hub().service
    with svc.lock:
        asked = question_id in svc.state.questions
    question = svc.contest.questions.get(question_id)
    if not asked or question is None or not question.image:
        abort(404)
    response = send_file(question.image, max_age=3600)
    response.headers["Content-Security-Policy"] = MEDIA_CSP
    return response


@bp.get("/results.csv")
def results_csv() -> Response:
    """The standings, every question's points and the record of score changes,
    as CSV (quiz/results.py)."""
    _require_pin()
    svc = _hub().service
    with svc.lock:
        journal = svc.journal_status()
        data = results.results_csv(svc.contest, svc.state, journal)
    return Response(
        data,
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=ket-qua.csv"},
    )
