"""One device per team, player or judge, swaps approved by the MC
(contest-format.md "Devices").

A tablet joins with its team's code (a phone with a player's, a judge's device
with a judge's) and the id it keeps in its storage (`auth.device`,
docs/protocol.md). While that team (player, judge) already has
`devices_per_team` other devices connected, the newcomer waits: its
connection is kept with the role "waiting" (it receives no view and may send
nothing but `device_info` and `sync`), it is told so (`device_wait`), and the
MC console lists it. The MC approves it (`device` with `approve: true`: the
holder moves to it, and its other devices, beyond what the contest allows,
get `device_replaced` and are disconnected) or refuses it (`device_refused`,
disconnected). Both decisions are journalled (DeviceApproved, DeviceRefused,
with `holder` naming whose device it was). The same device reconnecting (the
same id) is never made to wait, nor is a holder whose devices have all left.
"""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING, Any

from socketio.exceptions import ConnectionRefusedError

from quiz.rules.devices import holder_name
from quiz.rules.events import DeviceApproved, DeviceRefused
from quiz.rules.text import N_, tr
from quiz.web.conn import Conn, room_of

if TYPE_CHECKING:
    from quiz.web.hub import Hub

DEVICE_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")
MAX_WAITING_PER_TEAM = 3  # more than this are refused at connect: a flood is not a list
CLOSE_AFTER = 0.05  # seconds: lets the last message go out before the connection is closed

# Message ids (N_), shown with tr(TEXT, team=name), by whose device it is.
WAIT_TEXT = {
    "team": N_(
        "Đội thi {team} đã có thiết bị khác đang kết nối. "
        "Thiết bị này đang chờ người dẫn chương trình (MC) duyệt."
    ),
    "player": N_(
        "Thí sinh {team} đã có thiết bị khác đang kết nối. "
        "Thiết bị này đang chờ người dẫn chương trình (MC) duyệt."
    ),
    "judge": N_(
        "Giám khảo {team} đã có thiết bị khác đang kết nối. "
        "Thiết bị này đang chờ người dẫn chương trình (MC) duyệt."
    ),
}
REPLACED_TEXT = {
    "team": N_(
        "Người dẫn chương trình (MC) đã chuyển đội thi {team} sang thiết bị khác. "
        "Máy này đã rời phòng thi."
    ),
    "player": N_(
        "Người dẫn chương trình (MC) đã chuyển thí sinh {team} sang thiết bị khác. "
        "Máy này đã rời phòng thi."
    ),
    "judge": N_(
        "Người dẫn chương trình (MC) đã chuyển giám khảo {team} sang thiết bị khác. "
        "Máy này đã rời phòng thi."
    ),
}
REFUSED_TEXT = {
    "team": N_("Người dẫn chương trình (MC) không duyệt thiết bị này cho đội thi {team}."),
    "player": N_("Người dẫn chương trình (MC) không duyệt thiết bị này cho thí sinh {team}."),
    "judge": N_("Người dẫn chương trình (MC) không duyệt thiết bị này cho giám khảo {team}."),
}
HOLDERS = ("team", "player", "judge")  # the roles whose devices are counted


def holder_of(conn: Conn) -> tuple[str, str] | None:
    """Whose device `conn` is, (role, id), or None for a board, the MC or the jury.
    A waiting connection is its holder's too."""
    role = conn.holder if conn.role == "waiting" else conn.role
    if role not in HOLDERS:
        return None
    ident = conn.judge if role == "judge" else conn.team
    return role, ident or ""


class DeviceError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class Devices:
    def __init__(self, hub: Hub) -> None:
        self.hub = hub
        self._count = 0

    def name_of(self, holder: str, ident: str) -> str:
        return holder_name(self.hub.service.contest, holder, ident)

    def arrive(self, sid: str, conn: Conn, auth: Any, address: str) -> bool:
        """Note who connected; True if `conn` (a team's, player's or judge's) must
        wait for the MC. Raises ConnectionRefusedError when too many already wait."""
        device = auth.get("device") if isinstance(auth, dict) else None
        if not isinstance(device, str) or not DEVICE_ID.fullmatch(device):
            device = "conn-" + sid  # a client that keeps no id is a new device each time
        conn.device, conn.address, conn.since = device, address, time.monotonic()
        held = holder_of(conn)
        if held is None:
            return False
        conns = list(self.hub.conns.copy().items())
        others = {
            c.device for s, c in conns if s != sid and c.role != "waiting" and holder_of(c) == held
        }
        limit = self.hub.service.contest.devices_per_team
        if conn.device in others or len(others) < limit:
            return False
        waiting = sum(1 for _, c in conns if c.role == "waiting" and holder_of(c) == held)
        if waiting >= MAX_WAITING_PER_TEAM:
            message = tr("Đã có quá nhiều thiết bị chờ duyệt cho đội này")
            raise ConnectionRefusedError(message, {"code": "too_many_waiting", "message": message})
        self._count += 1
        conn.holder, conn.role, conn.wait_id = held[0], "waiting", f"d{self._count}"
        return True

    def tell_waiting(self, sid: str, conn: Conn) -> None:
        holder, ident = holder_of(conn) or ("team", "")
        name = self.name_of(holder, ident)
        data: dict[str, Any] = {
            "id": conn.wait_id,
            "holder": holder,
            "who": {"id": ident, "name": name},
            "message": tr(WAIT_TEXT[holder], team=name),
        }
        if holder == "team":
            data["team"] = {"id": ident, "name": name}
        self.hub.socketio.emit("device_wait", data, to=sid)
        self.hub.push_mc()

    def waiting_rows(self, waiting: list[Conn]) -> list[dict[str, Any]]:
        now = time.monotonic()
        rows = []
        for c in sorted(waiting, key=lambda c: c.since):
            holder, ident = holder_of(c) or ("team", "")
            rows.append(
                {
                    "id": c.wait_id,
                    "holder": holder,
                    "team": ident,  # the team's id, the player's number or the judge's id
                    "name": self.name_of(holder, ident),
                    "address": c.address,
                    "waiting_s": int(now - c.since),
                    "screen": c.info.get("screen"),
                }
            )
        return rows

    def decide(self, wait_id: str, approve: bool) -> dict[str, Any]:
        """The MC's answer to a waiting device: the ack's fields, or DeviceError."""
        hub = self.hub
        found = [(s, c) for s, c in list(hub.conns.copy().items()) if c.role == "waiting"]
        match = [(s, c) for s, c in found if c.wait_id == wait_id]
        held = holder_of(match[0][1]) if match else None
        if held is None:
            raise DeviceError("unknown_device", tr("Không còn thiết bị này trong danh sách chờ"))
        sid, conn = match[0]
        if not approve:
            self._refuse(sid, conn, held)
            return {"approved": False}
        replaced = self._replaced(conn, held)
        outcome = hub.service.record(
            [
                DeviceApproved(
                    at=hub.service.clock(),
                    team=held[1],
                    device=conn.device,
                    address=conn.address,
                    replaced=len({c.device for _, c in replaced}),
                    holder=held[0],
                )
            ]
        )
        if outcome.error is not None:
            raise DeviceError(outcome.error.code, outcome.error.message)
        name = self.name_of(*held)
        for old_sid, _ in replaced:
            hub.conns.pop(old_sid, None)
            self._send_off(old_sid, "device_replaced", tr(REPLACED_TEXT[held[0]], team=name))
        conn.role, conn.holder, conn.wait_id = held[0], "", ""
        hub.socketio.server.enter_room(sid, room_of(*held))
        hub.socketio.emit("state", hub.view_for(conn), to=sid)
        hub.quick_pings(sid)
        hub.push()  # the new event is in every view's version, and in the record
        return {"approved": True, "replaced": len(replaced)}

    def _refuse(self, sid: str, conn: Conn, held: tuple[str, str]) -> None:
        """The MC refused a waiting device: recorded, and the device sent off."""
        hub = self.hub
        outcome = hub.service.record(
            [
                DeviceRefused(
                    at=hub.service.clock(),
                    team=held[1],
                    device=conn.device,
                    address=conn.address,
                    holder=held[0],
                )
            ]
        )
        if outcome.error is not None:
            raise DeviceError(outcome.error.code, outcome.error.message)
        hub.conns.pop(sid, None)
        name = self.name_of(*held)
        self._send_off(sid, "device_refused", tr(REFUSED_TEXT[held[0]], team=name))
        hub.push()

    def _replaced(self, conn: Conn, held: tuple[str, str]) -> list[tuple[str, Conn]]:
        """The holder's connections an approved device replaces: all but those of
        its newest other devices, up to the contest's devices per team."""
        hub = self.hub
        limit = hub.service.contest.devices_per_team
        current = sorted(
            (
                (s, c)
                for s, c in list(hub.conns.copy().items())
                if c.role != "waiting" and holder_of(c) == held and c.device != conn.device
            ),
            key=lambda item: item[1].since,
        )
        devices: list[str] = []
        for _, c in current:
            if c.device not in devices:
                devices.append(c.device)
        keep = set(devices[len(devices) - (limit - 1) :]) if limit > 1 else set()
        return [(s, c) for s, c in current if c.device not in keep]

    def _send_off(self, sid: str, event: str, message: str) -> None:
        """Tell a device why, then close its connection."""
        socketio = self.hub.socketio
        socketio.emit(event, {"message": message}, to=sid)

        def close() -> None:
            socketio.sleep(CLOSE_AFTER)
            try:
                socketio.server.disconnect(sid)
            except Exception:  # already gone
                pass

        socketio.start_background_task(close)
