"""The minutes (biên bản) of a contest: one printable A4 document, from the
record (record.py), that the jury signs.

`render_minutes(record, static)` fills templates/minutes.html with Jinja2
(autoescaped) and returns the HTML; the MC's /minutes page and `quiz minutes`
(minutes_pdf.py prints it to PDF) render the same template through this one
function. `static` is where the page finds its style sheet and fonts: the
server's /static/ or a file:// URL of the static folder. The journal's head
hash is printed in full and as a QR code (inline SVG made here by the
`qrcode` package). A detail the contest file does not give (date, venue,
organiser) is a blank line to fill by hand. Imports record.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
import qrcode
import qrcode.image.svg
from markupsafe import Markup

from quiz.files.record import Record
from quiz.files.record_words import clock_datetime, clock_time, number
from quiz.rules.answers import format_number

ROOT = Path(__file__).resolve().parent.parent.parent
TEMPLATES = ROOT / "templates"
STATIC = ROOT / "static"

_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(TEMPLATES)),
    autoescape=jinja2.select_autoescape(["html"]),
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def qr_svg(data: str) -> Markup:
    """`data` as a QR code, inline SVG markup (the data is a hex hash we hold)."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=1)
    return Markup(image.to_string(encoding="unicode"))  # noqa: S704 - our own SVG


def _points(value: float) -> str:
    return format_number(number(value))


def context(record: Record, static: str) -> dict[str, Any]:
    """What the template prints: the record, its words, and values as text."""
    words = record.labels
    names = {q.id: record.question_name(q.id) for q in record.questions}
    return {
        "r": record,
        "w": words,
        "static": static,
        "lang": record.language,
        "rounds": [{"number": r.index + 1, "title": r.title} for r in record.rounds],
        "standings": [
            {
                "rank": s.rank,
                "name": s.name,
                "prize": s.prize,
                "rounds": [_points(p) for p in s.rounds],
                "adjustments": _points(s.adjustments) if s.adjustments else "",
                "total": _points(s.total),
            }
            for s in record.standings
        ],
        "has_adjustments": any(s.adjustments for s in record.standings),
        "corrections": _corrections(record, words, names),
        "appeals": _appeals(record, words, names),
        "devices": [
            {
                "at": clock_time(d.at),
                "team": d.team,
                "decision": words["device_approved" if d.approved else "device_refused"],
                "address": d.address,
                "replaced": d.replaced,
            }
            for d in record.devices
        ],
        "ties": _ties(record, words),
        "signoff": _signoff(record),
        "qr": qr_svg(record.head) if record.head else "",
        "head_parts": [record.head[i : i + 32] for i in range(0, len(record.head), 32)],
        "made_at": words["made_at"].format(at=clock_datetime(record.made_at)),
    }


def _corrections(
    record: Record, words: dict[str, str], names: dict[str, str]
) -> list[dict[str, Any]]:
    corrections = []
    for c in record.corrections:
        what = [words.get(f"kind_{c.kind}", c.kind)]
        what.append(c.team or words["all_teams"])
        if c.question:
            what.append(names.get(c.question, c.question))
        if c.what:
            what.append(c.what)
        corrections.append(
            {
                "at": clock_time(c.at),
                "what": " — ".join(what),
                "points": c.points,
                "reason": c.reason,
                "undone": (
                    {"at": clock_time(c.undone_at), "reason": c.undo_reason}
                    if c.undone_at is not None
                    else None
                ),
            }
        )
    return corrections


def _appeals(record: Record, words: dict[str, str], names: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {
            "at": clock_time(a.at),
            "team": a.team,
            "question": names.get(a.question, a.question),
            "text": a.text,
            "outcome": words.get(f"appeal_{a.outcome}", a.outcome),
            "reason": a.reason,
            "decided_at": clock_time(a.decided_at),
        }
        for a in record.appeals
    ]


def _ties(record: Record, words: dict[str, str]) -> list[dict[str, Any]]:
    ties = []
    for t in record.ties:
        criteria = [words.get(f"tie_criterion_{c}", c) for c in t.criteria]
        teams = []
        for s in t.teams:
            figures = []
            if "correct_count" in t.criteria:
                figures.append(
                    words["tie_criterion_correct_count_short"].format(value=s.correct_count)
                )
            if "answer_time" in t.criteria:
                figures.append(
                    words["tie_criterion_answer_time_short"].format(
                        value=format_number(s.answer_time)
                    )
                )
            line = words["tie_team"].format(name=s.name, rank=s.rank)
            teams.append(f"{line} ({'; '.join(figures)})" if figures else line)
        by_rank: dict[int, list[str]] = {}
        for s in t.teams:
            by_rank.setdefault(s.rank, []).append(s.name)
        ties.append(
            {
                "shared_ranks": [
                    {"rank": rank, "names": names}
                    for rank, names in by_rank.items()
                    if len(names) > 1
                ],
                "total": _points(t.total),
                "teams": teams,
                "by": words["tie_by"].format(criteria="; ".join(criteria)) if criteria else "",
                "shared": t.shared,
                "by_round": t.by_round,
            }
        )
    return ties


def _signoff(record: Record) -> dict[str, Any] | None:
    if record.signoff is None:
        return None
    return {
        "at": clock_datetime(record.signoff.at) if record.signoff.at is not None else "",
        "reopenings": [
            {"at": clock_datetime(at), "reason": reason} for at, reason in record.signoff.reopenings
        ],
    }


def render_minutes(record: Record, static: str = "/static/") -> str:
    """The minutes as an HTML page (templates/minutes.html)."""
    return _env.get_template("minutes.html").render(**context(record, static))


def static_url() -> str:
    """The static folder as a file:// URL, for a page rendered without a server."""
    return STATIC.as_uri() + "/"
