"""What the hub shows each audience: the rules' views, with what only the
live shell knows (connections, links, the journal's health, sign-in failures,
readiness, practice) added. A part of `Hub` (quiz/web/hub.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from quiz.live.service import Service
from quiz.live.timing import Link, odd_links
from quiz.rules import jury_view, views
from quiz.rules.answers import display
from quiz.rules.judge_view import judge_view
from quiz.rules.text import tr
from quiz.web import readiness
from quiz.web.conn import Conn, room_of
from quiz.web.practice import Practice
from quiz.web.throttle import Throttle

if TYPE_CHECKING:
    from quiz.web.hub import Hub

PLAYER_FORMATS = ("elimination",)  # round formats played by players' phones, not tablets
# The opening time (docs/protocol.md): answering opens this far ahead of the
# MC's command, the time the slowest devices take to get the push, so that
# every device unlocks at the same server instant.
MAX_LEAD = 1.0  # seconds
LEAD_PERCENTILE = 0.99
LEAD_FORMATS = ("all", "elimination")  # every device answers on one clock


class HubViews:
    """The view-building half of `Hub`; its state is the hub's."""

    service: Service
    conns: dict[str, Conn]
    urls: dict[str, str]
    sound: bool
    practice: Practice
    pin_throttle: Throttle
    code_throttle: Throttle
    opening: tuple[str, float] | None
    _push_took: float

    def my_answer(self, team: str, question: str) -> dict[str, Any] | None:
        """The team's recorded answer to `question`, as its ack reports it."""
        svc = self.service
        with svc.lock:
            q = svc.state.questions.get(question)
            if q is None:
                return None
            shown = svc.contest.questions[question]
            record = q.answers.get(team)
            if record is not None:
                return {
                    "display": display(shown, record.value),
                    "time_ms": int(round(record.time * 1000)),
                    "nonce": record.nonce,
                }
            for attempt in reversed(q.attempts):  # a buzz winner's answer typed on the tablet
                if attempt.team == team and attempt.value is not None:
                    return {"display": display(shown, attempt.value), "time_ms": None, "nonce": ""}
            return None

    def view_for(self, conn: Conn) -> dict[str, Any]:
        return self.views_for([conn])[0]

    def views_for(self, conns: list[Conn]) -> list[dict[str, Any]]:
        """The view of each of `conns`, built at one instant under one lock:
        the tables once, the players' shared part once, one view per distinct
        screen (an edge asks for a crowd of connecting screens together)."""
        svc = self.service
        with svc.lock:
            now = svc.clock()
            t = views.tables(svc.contest, svc.decided)
            shared: dict[str, Any] | None = None
            built: dict[tuple[str, str | None, str | None], dict[str, Any]] = {}
            for conn in conns:
                key = (conn.role, conn.team, conn.judge)
                if key in built:
                    continue
                if conn.role == "player" and conn.team and shared is None:
                    shared = views.player_shared(svc.contest, svc.decided, now)
                built[key] = self._view_of(conn, now, t, shared)
            return [built[(c.role, c.team, c.judge)] for c in conns]

    def _view_of(
        self, conn: Conn, now: float, t: views.Tables, shared: dict[str, Any] | None
    ) -> dict[str, Any]:
        svc = self.service
        if conn.role == "team" and conn.team:
            view = views.team_view(svc.contest, svc.decided, conn.team, now, t)
            return self._opens(self._team(view, now))
        if conn.role == "player" and conn.team:
            return views.player_view(svc.contest, svc.decided, conn.team, now, shared)
        if conn.role == "mc":
            return self._opens(self._mc(views.mc_view(svc.contest, svc.decided, now, t)))
        if conn.role == "jury":
            return self._jury(jury_view.jury_view(svc.contest, svc.decided, now, t))
        if conn.role == "judge" and conn.judge:
            return judge_view(svc.contest, svc.decided, conn.judge, now)
        return self._opens(self._board(views.board_view(svc.contest, svc.decided, now, t)))

    def _opens(self, view: dict[str, Any]) -> dict[str, Any]:
        """A running clock's `opens_at`: the server instant answering opened (or
        opens), in ms, when answering was opened ahead of the command."""
        clock, question = view.get("clock"), view.get("question")
        if isinstance(clock, dict) and isinstance(question, dict):
            opening = self.opening
            if opening is not None and opening[0] == question.get("id"):
                clock["opens_at"] = views.ms(opening[1])
        return view

    def opening_lead(self, round_format: str | None = "all") -> float:
        """How far ahead answering opens: the recent time a push takes to reach
        the devices that answer it (the players' phones in an `elimination`
        round, else the tablets): each one's worst recent round trip, the 99th
        percentile over them, plus what the last push took to send; capped at
        MAX_LEAD, and 0 in a format whose answering has no clock to share
        (`buzzer`: its presses are stamped). Round trips are measured by pings
        that queue behind pushes, so a loaded server's own delay is in them."""
        if round_format not in LEAD_FORMATS:
            return 0.0
        role = "player" if round_format in PLAYER_FORMATS else "team"
        worst = sorted(
            max(c.link.rtts)
            for c in list(self.conns.copy().values())
            if c.role == role and c.link.rtts
        )
        if not worst:
            return 0.0
        p99 = worst[min(len(worst) - 1, int(LEAD_PERCENTILE * len(worst)))]
        return min(MAX_LEAD, p99 + self._push_took)

    def _team(self, view: dict[str, Any], now: float) -> dict[str, Any]:
        """A tablet's practice question (quiz/web/venue.py), its appeal offer and
        its own appeals (quiz/rules/jury_view.py)."""
        svc = self.service
        view["practice"] = self.practice.team_view(view["me"]["id"]) if view.get("me") else None
        if view.get("me"):
            view.update(jury_view.team_part(svc.contest, svc.decided, view["me"]["id"], now))
        return view

    def _jury(self, view: dict[str, Any]) -> dict[str, Any]:
        """The MC's extras, and every device's measured link and clock."""
        view = self._mc(view)
        view["role"] = "jury"
        devices: list[dict[str, Any]] = []
        for sid, c in list(self.conns.copy().items()):
            if c.role not in ("team", "board"):
                continue
            devices.append(
                {
                    "id": sid[-6:],
                    "role": c.role,
                    "team": c.team,
                    "rtt_ms": views.ms(c.link.rtt),
                    "last_rtt_ms": views.ms(c.link.rtts[-1]) if c.link.rtts else None,
                    "trust_ms": views.ms(c.link.trust) if c.role == "team" else None,
                    "offset_ms": views.ms(c.offset),
                    "odd": c.link.odd,
                }
            )
        names = {t.id: t.name for t in self.service.contest.teams}
        devices.sort(
            key=lambda d: (
                d["role"] != "team",
                list(names).index(d["team"]) if d["team"] in names else 0,
            )
        )
        for d in devices:
            d["name"] = names.get(d["team"] or "", tr("Màn hình trình chiếu"))
        view["devices"] = devices
        return view

    def _board(self, view: dict[str, Any]) -> dict[str, Any]:
        """The board's lobby lists the teams whose tablet has joined."""
        joined = {c.team for c in list(self.conns.copy().values()) if c.role == "team" and c.team}
        view["joined"] = [t.id for t in self.service.contest.teams if t.id in joined]
        view.update(jury_view.board_part(self.service.contest, self.service.decided))
        view["sound"] = self.sound
        view["practice"] = self.practice.board_view(len(self.service.contest.teams))
        if self.service.contest.players:  # the lobby counts the players' phones
            view["players_joined"] = len(self._players_joined())
            view["players_total"] = len(self.service.contest.players)
        return view

    def players_play(self) -> bool:
        """Whether the current round is one that individual players play."""
        svc = self.service
        rnd = svc.decided.round
        return rnd >= 0 and svc.contest.rounds[rnd].format in PLAYER_FORMATS

    def _players_joined(self) -> set[str]:
        return {c.team for c in list(self.conns.copy().values()) if c.role == "player" and c.team}

    def _mc(self, view: dict[str, Any]) -> dict[str, Any]:
        counts = {t.id: 0 for t in self.service.contest.teams}
        boards = 0
        for conn in list(self.conns.copy().values()):
            if conn.role == "team" and conn.team in counts:
                counts[conn.team] += 1
            elif conn.role == "board":
                boards += 1
        view["connections"] = counts
        view["judges_connected"] = sorted(
            {c.judge for c in list(self.conns.copy().values()) if c.role == "judge" and c.judge}
        )
        view["boards_connected"] = boards
        if self.service.contest.players:  # who has not joined yet, in roster order
            joined = self._players_joined()
            view["players_joined"] = len(joined)
            view["players_missing"] = [
                {"number": p.number, "name": p.name}
                for p in self.service.contest.players
                if p.number not in joined
            ]
        view["sound"] = self.sound
        view["boards_sound"] = sum(
            1 for c in list(self.conns.copy().values()) if c.role == "board" and c.sound
        )
        view.update(self._mc_links())
        view["journal"] = self.service.journal_status()
        view["jury_work"] = jury_view.mc_part(self.service.contest, self.service.decided)
        view["urls"] = self.urls
        view["failed_logins"] = [
            {"kind": kind, "address": address, "count": count}
            for kind, throttle in (("pin", self.pin_throttle), ("code", self.code_throttle))
            for address, count in throttle.failures().items()
        ]
        view["readiness"] = readiness.section(cast("Hub", self), list(self.conns.copy().values()))
        return view

    def _mc_links(self) -> dict[str, Any]:
        """The MC's view of the tablets' links: round trips, trust, odd ones."""
        part: dict[str, Any] = {}
        part["links"] = {
            c.team: views.ms(c.link.rtt)
            for c in list(self.conns.copy().values())
            if c.role == "team" and c.team and c.link.rtt is not None
        }
        # How far before its arrival a press from each team may be dated (the
        # worst recent round trip, capped; quiz/timing.py), the widest over the
        # team's tablets: what a tablet lying about its press time can gain.
        trust: dict[str, int] = {}
        for c in list(self.conns.copy().values()):
            if c.role == "team" and c.team:
                trust[c.team] = max(trust.get(c.team, 0), views.ms(c.link.trust) or 0)
        part["trust"] = trust
        # Links whose delay is odd (quiz/timing.py), and the journal's head hash
        # and health (free space, a refused write).
        team_links: dict[str, list[Link]] = {}
        for c in list(self.conns.copy().values()):
            if c.role == "team" and c.team:
                team_links.setdefault(c.team, []).append(c.link)
        part["odd_links"] = odd_links(team_links)
        return part

    def _player_views(
        self, now: float, only: set[str] | None, everyone: bool
    ) -> list[tuple[str, dict[str, Any]]]:
        """Each connected player's view: the shared part built once, then each
        phone's few keys (views.player_view). Under the service's lock."""
        svc = self.service
        if not svc.contest.players:
            return []
        numbers = self._players_joined()
        if not everyone:
            numbers &= only or set()
        if not numbers:
            return []
        shared = views.player_shared(svc.contest, svc.decided, now)
        return [
            (
                room_of("player", number),
                views.player_view(svc.contest, svc.decided, number, now, shared),
            )
            for number in sorted(numbers)
        ]
