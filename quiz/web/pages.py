"""HTTP routes: the three screens, the MC login, the join sheet, question
images, results (CSV and xlsx) and the minutes.

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
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
)
from markupsafe import Markup

from quiz.files.locale import LANGUAGES
from quiz.rules.text import N_
from quiz.web.sockets import JURY_COOKIE, SESSION_COOKIE, client_address, wait_message

SESSION_HOURS = 24  # a contest day
# Question images are served with this policy: an SVG opened directly runs
# no script, loads nothing, and is a sandboxed document of its own.
MEDIA_CSP = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox"

bp = Blueprint("pages", __name__)
# Shown on the login forms in the page's language (templates translate it).
WRONG_PIN = N_("Mã PIN không đúng")


def asked_language() -> str:
    """The page's `?lang=` when it names one of our languages, else ""."""
    asked = request.args.get("lang", "")
    return asked if asked in LANGUAGES else ""


def keep_lang(path: str) -> str:
    """`path` with this page's `?lang=`, so that a screen opened in another
    language than the contest's leads to screens in that language too
    (links, forms, the MC's redirect after login, the join sheet's QR codes)."""
    lang = asked_language()
    if not lang:
        return path
    return f"{path}{'&' if '?' in path else '?'}lang={lang}"


@bp.app_context_processor
def _language_links() -> dict[str, Any]:
    return {"keep_lang": keep_lang}


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


@bp.get("/player")
@bp.get("/p/<code>")
def player(code: str = "") -> str:
    """A player's phone (Rung chuông vàng); the code may come from the card's QR."""
    return render_template("player.html", contest=_contest(), code=code)


@bp.get("/judge")
@bp.get("/g/<code>")
def judge(code: str = "") -> str:
    """A judge's phone or laptop (Màn hình giám khảo); the code may come from the QR link."""
    return render_template("judge.html", contest=_contest(), code=code)


def _logged_in() -> bool:
    return bool(_hub().access.session_ok(request.cookies.get(SESSION_COOKIE)))


@bp.get("/mc")
def mc() -> str:
    """The MC console (Bảng điều khiển), or its login form without the session cookie."""
    return render_template("mc.html", contest=_contest(), logged_in=_logged_in(), error="")


def _pin_login(template: str, pin_ok: Any, cookie: str, token: str, home: str) -> Any:
    """A PIN form's POST (the MC's or the jury's): throttled alike, so every
    wrong PIN counts against the same address; a session cookie and back to
    `home`, or the form again with why."""
    hub = _hub()
    address = client_address()
    wait = hub.pin_throttle.wait(address)
    if wait > 0:
        page = render_template(
            template, contest=_contest(), logged_in=False, error=wait_message(wait)
        )
        return Response(page, 429, headers={"Retry-After": str(max(1, round(wait)))})
    if not pin_ok(request.form.get("pin", "")):
        hub.pin_throttle.failed(address)
        hub.push_mc()
        page = render_template(template, contest=_contest(), logged_in=False, error=WRONG_PIN)
        return Response(page, 403)
    hub.pin_throttle.succeeded(address)
    response = redirect(keep_lang(home), 303)
    response.set_cookie(
        cookie, token, max_age=SESSION_HOURS * 3600, path="/", httponly=True, samesite="Strict"
    )
    return response


@bp.post("/mc")
def mc_login() -> Any:
    """The PIN form: a session cookie and back to the console, or the form again."""
    access = _hub().access
    return _pin_login("mc.html", access.pin_ok, SESSION_COOKIE, access.mc_token, "/mc")


@bp.post("/logout")
def logout() -> Any:
    response = redirect(keep_lang("/mc"), 303)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="Strict")
    return response


# The jury (Ban giám khảo): its own PIN, cookie and console ------------------------


def _jury_logged_in() -> bool:
    return bool(_hub().access.jury_session_ok(request.cookies.get(JURY_COOKIE)))


@bp.get("/jury")
def jury() -> str:
    """The jury's console, or its login form without the jury's session cookie."""
    if not _hub().access.jury_pin:
        abort(404)  # the contest has no jury
    return render_template("jury.html", contest=_contest(), logged_in=_jury_logged_in(), error="")


@bp.post("/jury")
def jury_login() -> Any:
    """The jury's PIN form, throttled with the MC's: every wrong PIN counts alike."""
    access = _hub().access
    if not access.jury_pin:
        abort(404)
    return _pin_login("jury.html", access.jury_pin_ok, JURY_COOKIE, access.jury_token, "/jury")


@bp.post("/jury/logout")
def jury_logout() -> Any:
    response = redirect(keep_lang("/jury"), 303)
    response.delete_cookie(JURY_COOKIE, path="/", httponly=True, samesite="Strict")
    return response


def _require_pin() -> None:
    """The MC's pages (the jury's too): only with a session cookie (never a PIN in the URL)."""
    if not _logged_in() and not _jury_logged_in():
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
        url = base + keep_lang(f"/t/{code}")
        teams.append({"name": t.name, "code": code, "url": url, "qr": qr_svg(url)})
    players = []
    for p in _contest().players:
        code = hub.access.player_codes[p.number]
        url = base + keep_lang(f"/p/{code}")
        players.append(
            {"number": p.number, "name": p.name, "code": code, "url": url, "qr": qr_svg(url)}
        )
    judges = []
    for j in _contest().judges:
        code = hub.access.judge_codes[j.id]
        url = base + keep_lang(f"/g/{code}")
        judges.append({"name": j.name, "code": code, "url": url, "qr": qr_svg(url)})
    return render_template(
        "join_sheet.html",
        contest=_contest(),
        teams=teams,
        players=players,
        judges=judges,
        urls=hub.urls,
    )


@bp.get("/mc/codes.json")
def mc_codes() -> Response:
    """The teams' join codes as JSON, for a client that does not read the join sheet.

    Behind the MC's session cookie, like the sheet; never cached.
    """
    _require_pin()
    hub = _hub()
    base = hub.urls["base"]
    teams = [
        {
            "team": t.id,
            "name": t.name,
            "code": hub.access.codes[t.id],
            "url": f"{base}/t/{hub.access.codes[t.id]}",
        }
        for t in _contest().teams
    ]
    response = jsonify({"contest": _contest().id, "teams": teams})
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/media/<question_id>")
def media(question_id: str) -> Response:
    """A question's image, only once that question has been shown."""
    asked = _hub().was_shown(question_id)
    question = _contest().questions.get(question_id)
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
    data = _hub().results_csv()
    return Response(
        data,
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=ket-qua.csv"},
    )


@bp.get("/results.xlsx")
def results_xlsx() -> Response:
    """The results workbook (quiz/files/record_xlsx.py, docs/record.md)."""
    _require_pin()
    return Response(
        _hub().results_xlsx(),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": "attachment; filename=ket-qua.xlsx"},
    )


@bp.get("/minutes")
def minutes() -> str:
    """The minutes (biên bản), a printable A4 page (templates/minutes.html)."""
    _require_pin()
    return str(_hub().minutes_html("/static/"))
