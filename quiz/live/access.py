"""Who may act: the MC's PIN and each team's join code, kept beside the journal.

Codes are made once per contest data folder and kept across restarts, so the
printed join sheet stays valid after the laptop restarts. The file also keeps
a random secret from which the MC's session cookie is derived (a new PIN
makes a new cookie). It is written readable by its owner only (0600): it
holds every secret of the contest. Imports model only.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from quiz.rules.model import Contest

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: a code read off paper cannot be mistyped.
CODE_ALPHABET = "ACDEFHJKMNPQRTUVWXY34679"
CODE_LENGTH = 6


@dataclass(frozen=True)
class Access:
    pin: str
    codes: dict[str, str]  # team id -> join code
    secret: str = ""  # hex; the MC session token is derived from it and the PIN
    jury_pin: str = ""  # the jury's own PIN ("" when the contest has no jury)
    player_codes: dict[str, str] = field(default_factory=dict)  # player number -> join code
    judge_codes: dict[str, str] = field(default_factory=dict)  # judge id -> join code

    @property
    def mc_token(self) -> str:
        """The MC's session cookie value: unguessable, and changed with the PIN."""
        key = bytes.fromhex(self.secret) if self.secret else self.pin.encode()
        return hmac.new(key, b"mc-session:" + self.pin.encode(), hashlib.sha256).hexdigest()

    def session_ok(self, token: object) -> bool:
        return isinstance(token, str) and secrets.compare_digest(token, self.mc_token)

    @property
    def jury_token(self) -> str:
        """The jury's session cookie value, derived like the MC's from its own PIN."""
        key = bytes.fromhex(self.secret) if self.secret else self.jury_pin.encode()
        return hmac.new(key, b"jury-session:" + self.jury_pin.encode(), hashlib.sha256).hexdigest()

    def jury_session_ok(self, token: object) -> bool:
        return (
            bool(self.jury_pin)
            and isinstance(token, str)
            and secrets.compare_digest(token, self.jury_token)
        )

    def jury_pin_ok(self, pin: object) -> bool:
        return (
            bool(self.jury_pin)
            and isinstance(pin, str)
            and secrets.compare_digest(pin.strip(), self.jury_pin)
        )

    def team_for(self, code: object) -> str | None:
        if not isinstance(code, str):
            return None
        wanted = code.strip().upper()
        for team, team_code in self.codes.items():
            if secrets.compare_digest(team_code, wanted):
                return team
        return None

    def player_for(self, code: object) -> str | None:
        """The player (its number) whose join code this is, if any."""
        if not isinstance(code, str):
            return None
        wanted = code.strip().upper()
        found = None
        for number, player_code in self.player_codes.items():
            if secrets.compare_digest(player_code, wanted):
                found = number
        return found

    def judge_for(self, code: object) -> str | None:
        """The judge whose join code this is (judges join like teams, with their own codes)."""
        if not isinstance(code, str):
            return None
        wanted = code.strip().upper()
        for judge, judge_code in self.judge_codes.items():
            if secrets.compare_digest(judge_code, wanted):
                return judge
        return None

    def pin_ok(self, pin: object) -> bool:
        return isinstance(pin, str) and secrets.compare_digest(pin.strip(), self.pin)


def _code(taken: set[str]) -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if code not in taken:
            return code


def _new_pin(other: str = "") -> str:
    """Six random digits (10^6 choices, throttled per address), never `other`."""
    while True:
        pin = f"{secrets.randbelow(10**6):06d}"
        if pin != other:
            return pin


def load_access(
    path: Path, contest: Contest, pin: str | None = None, jury_pin: str | None = None
) -> Access:
    """Read the access file, adding what is missing (and the PINs if given).
    The jury's PIN exists only when the contest has a jury, and differs from the MC's."""
    data: dict[str, object] = {}
    if path.exists():
        data = json.loads(path.read_text(encoding="utf-8"))
    codes = _stored_codes(data, "codes")
    changed = _fill(codes, [t.id for t in contest.teams], set())
    player_codes = _stored_codes(data, "player_codes")
    # a player added to the roster after the first start keeps the code its card prints
    changed |= _fill(player_codes, [p.number for p in contest.players], set(codes.values()))
    judge_codes = _stored_codes(data, "judge_codes")
    changed |= _fill(judge_codes, [j.id for j in contest.judges], set(codes.values()))
    current_pin, current_jury, pins_changed = _pins(data, contest, pin, jury_pin)
    changed |= pins_changed
    secret = str(data.get("secret") or "")
    if len(secret) < 64:
        secret = secrets.token_hex(32)
        changed = True
    if changed:
        record: dict[str, object] = {
            "pin": current_pin,
            "codes": codes,
            "secret": secret,
            "player_codes": player_codes,
            "judge_codes": judge_codes,
        }
        if current_jury:
            record["jury_pin"] = current_jury
        write_private(path, json.dumps(record, indent=2))
    elif path.stat().st_mode & 0o077:
        os.chmod(path, 0o600)  # a file from an older version, readable by others
    return Access(
        pin=current_pin,
        codes={t.id: codes[t.id] for t in contest.teams},
        secret=secret,
        jury_pin=current_jury if contest.jury is not None else "",
        player_codes={p.number: player_codes[p.number] for p in contest.players},
        judge_codes={j.id: judge_codes[j.id] for j in contest.judges},
    )


def _stored_codes(data: dict[str, object], key: str) -> dict[str, str]:
    raw = data.get(key)
    return {str(k): str(v) for k, v in raw.items()} if isinstance(raw, dict) else {}


def _fill(codes: dict[str, str], ids: list[str], others: set[str]) -> bool:
    """A new code for each id without one, unlike `others` and the codes
    already given; True if any was added."""
    added = False
    for key in ids:
        if key not in codes:
            codes[key] = _code(others | set(codes.values()))
            added = True
    return added


def _pins(
    data: dict[str, object], contest: Contest, pin: str | None, jury_pin: str | None
) -> tuple[str, str, bool]:
    """The MC's PIN and the jury's (given, kept or new), and whether either changed."""
    changed = False
    current_pin = str(data.get("pin") or "")
    if pin:
        changed |= pin != current_pin
        current_pin = pin
    elif not current_pin:
        current_pin = _new_pin()
        changed = True
    current_jury = str(data.get("jury_pin") or "")
    if contest.jury is not None:
        if jury_pin:
            if jury_pin.strip() == current_pin:
                raise ValueError("the jury's PIN must differ from the MC's")
            changed |= jury_pin != current_jury
            current_jury = jury_pin
        elif not current_jury or current_jury == current_pin:
            current_jury = _new_pin(current_pin)
            changed = True
    return current_pin, current_jury, changed


def write_private(path: Path, text: str) -> None:
    """Write `text` to `path` atomically, readable and writable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        os.fchmod(f.fileno(), 0o600)  # O_CREAT's mode does not apply to an existing file
        f.write(text)
    os.replace(tmp, path)
