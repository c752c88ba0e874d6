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
from dataclasses import dataclass
from pathlib import Path

from .model import Contest

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: a code read off paper cannot be mistyped.
CODE_ALPHABET = "ACDEFHJKMNPQRTUVWXY34679"
CODE_LENGTH = 6


@dataclass(frozen=True)
class Access:
    pin: str
    codes: dict[str, str]  # team id -> join code
    secret: str = ""  # hex; the MC session token is derived from it and the PIN

    @property
    def mc_token(self) -> str:
        """The MC's session cookie value: unguessable, and changed with the PIN."""
        key = bytes.fromhex(self.secret) if self.secret else self.pin.encode()
        return hmac.new(key, b"mc-session:" + self.pin.encode(), hashlib.sha256).hexdigest()

    def session_ok(self, token: object) -> bool:
        return isinstance(token, str) and secrets.compare_digest(token, self.mc_token)

    def team_for(self, code: object) -> str | None:
        if not isinstance(code, str):
            return None
        wanted = code.strip().upper()
        for team, team_code in self.codes.items():
            if secrets.compare_digest(team_code, wanted):
                return team
        return None

    def pin_ok(self, pin: object) -> bool:
        return isinstance(pin, str) and secrets.compare_digest(pin.strip(), self.pin)


def _code(taken: set[str]) -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if code not in taken:
            return code


def load_access(path: Path, contest: Contest, pin: str | None = None) -> Access:
    """Read the access file, adding what is missing (and the PIN if given)."""
    data: dict[str, object] = {}
    if path.exists():
        data = json.loads(path.read_text(encoding="utf-8"))
    codes_raw = data.get("codes")
    codes = {str(k): str(v) for k, v in codes_raw.items()} if isinstance(codes_raw, dict) else {}
    changed = False
    for team in contest.teams:
        if team.id not in codes:
            codes[team.id] = _code(set(codes.values()))
            changed = True
    current_pin = str(data.get("pin") or "")
    if pin:
        changed |= pin != current_pin
        current_pin = pin
    elif not current_pin:
        current_pin = f"{secrets.randbelow(10**6):06d}"
        changed = True
    secret = str(data.get("secret") or "")
    if len(secret) < 64:
        secret = secrets.token_hex(32)
        changed = True
    if changed:
        write_private(
            path, json.dumps({"pin": current_pin, "codes": codes, "secret": secret}, indent=2)
        )
    elif path.stat().st_mode & 0o077:
        os.chmod(path, 0o600)  # a file from an older version, readable by others
    return Access(pin=current_pin, codes={t.id: codes[t.id] for t in contest.teams}, secret=secret)


def write_private(path: Path, text: str) -> None:
    """Write `text` to `path` atomically, readable and writable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        os.fchmod(f.fileno(), 0o600)  # O_CREAT's mode does not apply to an existing file
        f.write(text)
    os.replace(tmp, path)
