"""The machine a run ran on, the JSON result file and the short printed table."""

from __future__ import annotations

import json
import os
import platform
import time
from importlib import metadata
from pathlib import Path
from typing import Any

PACKAGES = (
    "flask",
    "flask-socketio",
    "python-socketio",
    "python-engineio",
    "eventlet",
    "gevent",
    "simple-websocket",
    "aiohttp",
)


def _first(path: str, prefix: str) -> str | None:
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith(prefix):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return None


def machine() -> dict[str, Any]:
    versions: dict[str, str | None] = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "nproc": os.cpu_count(),
        "cpu": _first("/proc/cpuinfo", "model name"),
        "memory": _first("/proc/meminfo", "MemTotal"),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "packages": versions,
        "loadavg_start": [round(x, 2) for x in os.getloadavg()],
    }


def write_json(result: dict[str, Any], folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(result["started"]))
    path = folder / f"{stamp}.json"
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def _ms(summary: dict[str, Any]) -> str:
    if not summary or summary.get("p50") is None:
        return "-"
    return f"{summary['p50']:.1f} / {summary['p99']:.1f} / {summary['max']:.1f}"


def _num(value: Any) -> str:
    return "-" if value is None else f"{value:g}"


def _push_rows(result: dict[str, Any]) -> list[str]:
    rows = [
        "question push, MC show -> every client has the view (ms, p50 / p99 / max);",
        "typical = ratio of the median over repetitions of each one's slowest client",
        f"{'N':>6}  {'clients':<14}{'ours':<26}{'baseline':<26}{'p99 ratio':>9}{'typical':>9}",
    ]
    for p in result.get("push", []):
        clients = f"{p['tablets']}t+{p['boards']}b"
        rows.append(
            f"{p['n']:>6}  {clients:<14}{_ms(p['ours']):<26}{_ms(p['baseline']):<26}"
            f"{_num(p['ratio_p99']):>9}{_num(p.get('ratio_median_rep_max')):>9}"
        )
    return rows


def _scale_rows(result: dict[str, Any]) -> list[str]:
    """The --workers stage: push p99 by server processes, against the same run's
    single process and the baseline."""
    scale = result.get("scale", [])
    failed = [
        f"{f['n']:>6}  {f['server_workers']} {f['edge_mode'] or 'process'}: "
        f"failed: {f['error'][:160]}"
        for f in result.get("scale_failed", [])
    ]
    if not scale:
        return failed
    rows = [
        "push with --workers (ms, p50 / p99 / max); vs 1 = p99 over the same N's single process",
        f"{'N':>6}  {'server':<18}{'ours':<26}{'baseline p99':>12}{'vs 1':>7}"
        f"{'CPU srv/load s':>16}{'MiB':>8}",
    ]
    single = {s["n"]: s["ours"]["p99"] for s in scale if s["server_workers"] == 1}
    for s in scale:
        name = (
            "1 process" if s["server_workers"] == 1 else f"{s['server_workers']} {s['edge_mode']}"
        )
        vs = None
        if single.get(s["n"]) and s["ours"]["p99"] is not None:
            vs = round(s["ours"]["p99"] / single[s["n"]], 2)
        cpu = s.get("cpu", {})
        rows.append(
            f"{s['n']:>6}  {name:<18}{_ms(s['ours']):<26}{_num(s['baseline']['p99']):>12}"
            f"{_num(vs):>7}{cpu.get('ours_s', 0):>8g}/{cpu.get('load_generator_s', 0):<7g}"
            f"{s['memory']['ours_mb']:>8g}"
        )
    return rows + failed


def _answer_row(name: str, a: dict[str, Any]) -> str:
    return (
        f"{name}: acked ok {a['acked_ok']}/{a['sent']}, lost {a['lost']}, "
        f"journal {a['journal_accepted']} ({'matches' if a['journal_matches'] else 'MISMATCH'}), "
        f"p50 {a['p50']} ms, p99 {a['p99']} ms, max {a['max']} ms"
    )


def _slow_rows(s: dict[str, Any]) -> list[str]:
    rows = [
        f"slow disk: every fsync +{s['delay_ms']} ms vs as is, {s['teams']} teams "
        "(ms, p50 / p99 / max; ratio slow/normal of p99)",
        f"{'':<26}{'normal':<26}{'slow':<26}{'ratio':>7}",
    ]
    for label, path in (
        ("answer ack", ("ack",)),
        ("others' sync ack", ("sync_ack",)),
        ("buzz -> board push", ("buzz",)),
        ("buzz ack", ("buzz", "buzz_ack")),
        ("MC show -> all", ("mc_steps", "show")),
    ):
        a: Any = s["normal"]
        b: Any = s["slow"]
        for key in path:
            a, b = a[key], b[key]
        rows.append(f"{label:<26}{_ms(a):<26}{_ms(b):<26}{_num(_ratio(b, a)):>7}")
    for which in ("normal", "slow"):
        w = s[which]
        rows.append(
            f"  {which}: acked ok {w['ack']['acked_ok']}/{w['ack']['sent']}, lost "
            f"{w['ack']['lost']}, journal {w['journal_entries']} entries in "
            f"{w['journal_syncs']} syncs"
        )
    return rows


def _ratio(a: dict[str, Any], b: dict[str, Any]) -> float | None:
    if not a or not b or a.get("p99") is None or not b.get("p99"):
        return None
    return round(float(a["p99"]) / float(b["p99"]), 2)


def table(result: dict[str, Any]) -> str:
    """The short human-readable table of one run."""
    lines = [
        f"quiz bench ({result['mode']}, {result['async_mode']}, {result['workers']} client "
        f"processes): {result['runtime_s']} s on {result['machine']['nproc']} CPUs",
        *_push_rows(result),
    ]
    if "ack" in result:
        lines.append(_answer_row(f"answer ack, {result['ack']['teams']} teams", result["ack"]))
    if "burst" in result:
        b = result["burst"]
        lines.append(_answer_row(f"burst, {b['clients']} tablets in {b['spread_s']:g} s", b))
    if "burst" in result and result["burst"].get("journal_syncs"):
        b = result["burst"]
        lines.append(f"burst journal: {b['journal_entries']} entries in {b['journal_syncs']} syncs")
    if "slow_sync" in result:
        lines += _slow_rows(result["slow_sync"])
    if "players" in result:
        p = result["players"]
        push, mem = p["push"], p["memory"]
        lines.append(
            f"players ({p['players']} phones + a board): show -> all ours {_ms(push['ours'])}, "
            f"baseline {_ms(push['baseline'])}, p99 ratio {_num(push['ratio_p99'])}; "
            f"RSS ours {mem['ours_mb']} MiB, baseline {mem['baseline_mb']} MiB"
        )
        lines.append(_answer_row(f"players' answers, {p['players']} in 1 s", p["answers"]))
    if "buzz" in result:
        z = result["buzz"]
        lines.append(
            f"buzz -> board: p50 {z['p50']} ms, p99 {z['p99']} ms (n={z['count']}); "
            f"engine settle p50 {z['settle']['p50']} ms = {z['settle_share_of_p50']} of p50"
        )
    lines += _scale_rows(result)
    if "scale_burst" in result:
        b = result["scale_burst"]
        lines.append(
            _answer_row(
                f"burst, {b['clients']} tablets in {b['spread_s']:g} s, "
                f"--workers {b['server_workers']}",
                b,
            )
        )
    if "resume" in result:
        r = result["resume"]
        lines.append(
            f"resume {r['entries']} entries: Service {r['service_s']} s, json.loads "
            f"{r['json_s']} s, ratio {r['ratio']}"
        )
    if "memory" in result:
        m = result["memory"]
        burst = f"; burst server {m['burst_mb']} MiB" if m.get("burst_mb") else ""
        lines.append(
            f"memory with {m['clients']} clients: ours {m['ours_mb']} MiB, baseline "
            f"{m['baseline_mb']} MiB (ratio {m['ratio']}){burst}"
        )
    return "\n".join(lines)
