"""GET routes: the three screens, the join sheet, question images, results.

Pages are shells: their content arrives over Socket.IO. The join sheet and
results need the MC's PIN.
"""

from __future__ import annotations

from typing import Any

import qrcode
import qrcode.image.svg
from flask import Blueprint, Response, abort, current_app, render_template, request, send_file
from markupsafe import Markup

from .. import results

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


@bp.get("/mc")
def mc() -> str:
    """The MC console (Bảng điều khiển)."""
    return render_template("mc.html", contest=_contest())


def _require_pin() -> None:
    if not _hub().access.pin_ok(request.args.get("pin", "")):
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
    return send_file(question.image, max_age=3600)


@bp.get("/results.csv")
def results_csv() -> Response:
    """The standings, every question's points and the record of score changes,
    as CSV (quiz/results.py)."""
    _require_pin()
    svc = _hub().service
    with svc.lock:
        data = results.results_csv(svc.contest, svc.state)
    return Response(
        data,
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=ket-qua.csv"},
    )
