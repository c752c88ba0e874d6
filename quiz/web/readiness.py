"""The readiness grid of the MC console: every device before the first question.

Each tablet and board reports what only the browser knows in a small
`device_info` message (docs/protocol.md): the page's build, its screen size,
its clock offset, whether it holds a Wake Lock, its battery where the browser
tells it, and, for a board, whether its sound is on and it is full screen. The
server keeps the last report per connection, after checking every field
(protocol.DeviceInfoMsg: a report is small and bounded; anything else is
refused with an error ack and changes nothing), and adds what it measures
itself (round trip and jitter).
`section()` is the MC view's `readiness`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quiz.rules.formats import FORMATS
from quiz.rules.text import tr
from quiz.web.protocol import DeviceInfoMsg, ProtocolError, parse

if TYPE_CHECKING:
    from quiz.web.hub import Conn, Hub

MAX_DEVICES_SHOWN = 20  # per team: a flood of connections is counted, not listed


def build_id(root: Path) -> str:
    """A short id of the pages' code (scripts, styles, templates): a page whose
    id differs from the server's was loaded from an older version."""
    digest = hashlib.sha256()
    for folder in ("static/js", "static/css", "templates"):
        for path in sorted((root / folder).rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(root).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def parse_info(payload: object, board: bool) -> dict[str, Any]:
    """A device_info payload (protocol.DeviceInfoMsg) as the report kept; raises
    ProtocolError. Only a board may say whether its sound is on and it is full
    screen."""
    msg = parse(DeviceInfoMsg, payload)
    if not board and (msg.sound is not None or msg.fullscreen is not None):
        field = "sound" if msg.sound is not None else "fullscreen"
        raise ProtocolError(tr("Trường không hợp lệ: {fields}", fields=field))
    info: dict[str, Any] = msg.model_dump(exclude_unset=True, exclude={"screen", "battery"})
    if msg.screen is not None:
        info["screen"] = {"w": int(msg.screen.w), "h": int(msg.screen.h)}
    if "battery" in msg.model_fields_set:
        b = msg.battery
        info["battery"] = (
            None if b is None else {"level": round(b.level, 2), "charging": b.charging}
        )
    for key in ("offset_ms", "sync_rtt_ms"):
        if info.get(key) is not None:
            info[key] = round(info[key])
    return {k: v for k, v in info.items() if v is not None or k == "battery"}


def _ms(seconds: float | None) -> int | None:
    return None if seconds is None else int(round(seconds * 1000))


def device_row(conn: Conn, build: str) -> dict[str, Any]:
    """One device's line in the grid."""
    info = conn.info
    rtts = list(conn.link.rtts)
    version = info.get("version")
    row: dict[str, Any] = {
        "connected": True,
        "rtt_ms": _ms(min(rtts)) if rtts else None,
        "jitter_ms": _ms(max(rtts) - min(rtts)) if len(rtts) >= 2 else None,
        "offset_ms": info.get("offset_ms"),
        "screen": info.get("screen"),
        "current": None if version is None else version == build,
        "wake_lock": info.get("wake_lock"),
        "battery": info.get("battery"),
        "address": conn.address,
    }
    if conn.role == "board":
        row["sound"] = info.get("sound", conn.sound)
        row["fullscreen"] = info.get("fullscreen")
    return row


def summary_line(ready: int, of: int, missing: list[str]) -> str:
    """ "Sẵn sàng: 16/17 — Xã Mi Hòa chưa kết nối" """
    if not missing:
        return tr("Sẵn sàng: {ready}/{of}", ready=ready, of=of)
    shown = ", ".join(missing[:5])
    if len(missing) > 5:
        shown = tr("{names} và {count} đội khác", names=shown, count=len(missing) - 5)
    return tr("Sẵn sàng: {ready}/{of} — {names} chưa kết nối", ready=ready, of=of, names=shown)


MAX_PLAYERS_LISTED = 30  # players not yet joined, listed by number (the rest counted)


def _people_rows(
    hub: Hub, people: Iterable[tuple[str, str]], by_id: dict[str, list[Conn]]
) -> list[dict[str, Any]]:
    """Judges' rows in the grid, as the teams' (no practice question)."""
    rows = []
    for pid, name in people:
        devices = sorted(by_id.get(pid, []), key=lambda c: c.since)
        rows.append(
            {
                "id": pid,
                "name": name,
                "ready": bool(devices),
                "count": len(devices),
                "devices": [device_row(c, hub.build) for c in devices[:MAX_DEVICES_SHOWN]],
                "practice": None,
            }
        )
    return rows


def _players(contest: Any, joined: set[str]) -> dict[str, Any] | None:
    """How many players have joined, and who has not (the first few)."""
    if not contest.players:
        return None
    missing = [p for p in contest.players if p.number not in joined]
    shown = ", ".join(p.number for p in missing[:MAX_PLAYERS_LISTED])
    if len(missing) > MAX_PLAYERS_LISTED:
        shown = tr(
            "{names} và {count} thí sinh khác", names=shown, count=len(missing) - MAX_PLAYERS_LISTED
        )
    of = len(contest.players)
    line = tr("Thí sinh đã vào: {joined}/{of}", joined=of - len(missing), of=of)
    if missing:
        line = tr("{line} — chưa vào: {names}", line=line, names=shown)
    return {
        "of": of,
        "joined": of - len(missing),
        "missing": [{"number": p.number, "name": p.name} for p in missing[:MAX_PLAYERS_LISTED]],
        "line": line,
    }


def _team_rows(hub: Hub, by_team: dict[str, list[Conn]]) -> tuple[list[dict[str, Any]], list[str]]:
    """Each team's row in the grid, and the names of those with no device."""
    answered = hub.practice.answered_teams()
    teams = []
    missing = []
    for team in hub.service.contest.teams:
        devices = sorted(by_team[team.id], key=lambda c: c.since)
        if not devices:
            missing.append(team.name)
        teams.append(
            {
                "id": team.id,
                "name": team.name,
                "ready": bool(devices),
                "count": len(devices),
                "devices": [device_row(c, hub.build) for c in devices[:MAX_DEVICES_SHOWN]],
                "practice": team.id in answered if hub.practice.active else None,
            }
        )
    return teams, missing


def team_devices(contest: Any) -> bool:
    """Whether any round is played on the teams' own devices."""
    return any(FORMATS[rnd.format].team_devices for rnd in contest.rounds)


def section(hub: Hub, conns: Iterable[Conn]) -> dict[str, Any]:
    """The MC view's `readiness` (docs/protocol.md)."""
    contest = hub.service.contest
    by_team: dict[str, list[Conn]] = {t.id: [] for t in contest.teams}
    by_judge: dict[str, list[Conn]] = {}
    joined: set[str] = set()
    boards: list[Conn] = []
    waiting: list[Conn] = []
    for conn in conns:
        if conn.role == "team" and conn.team in by_team:
            by_team[conn.team].append(conn)
        elif conn.role == "board":
            boards.append(conn)
        elif conn.role == "waiting":
            waiting.append(conn)
        elif conn.role == "judge":
            by_judge.setdefault(conn.judge or conn.team or "", []).append(conn)
        elif conn.role == "player" and conn.team:
            joined.add(conn.team)
    teams, missing = _team_rows(hub, by_team)
    ready = len(contest.teams) - len(missing)
    players = _players(contest, joined)
    line = summary_line(ready, len(contest.teams), missing)
    # Rung chuông vàng alone (its teams, if any, only collect points): the players are the hall
    if players is not None and not team_devices(contest):
        line = players["line"]
    return {
        "build": hub.build,
        "ready": ready,
        "of": len(contest.teams),
        "missing": missing,
        "line": line,
        "teams": teams,
        "judges": _people_rows(hub, ((j.id, j.name) for j in contest.judges), by_judge),
        "players": players,
        "team_devices": team_devices(contest),
        "boards": [device_row(c, hub.build) for c in boards[:MAX_DEVICES_SHOWN]],
        "waiting": hub.devices.waiting_rows(waiting),
        "devices_per_team": contest.devices_per_team,
        "practice": hub.practice.summary(len(contest.teams)),
    }
