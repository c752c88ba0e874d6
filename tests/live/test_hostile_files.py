"""Files from outside (issue 8, section 5): hostile banks, workbooks and
documents get a clear error, quickly and in bounded memory, and CSV exports
never carry a formula.

Each hostile file is generated here (small on disk; what it claims or expands
to is what is hostile) and read by `quiz check` or `quiz import` in a child
process under resource limits (address space, CPU seconds), whose peak memory
and time are measured with wait4. Before: the alias bomb took 6 GB, the sheet
claiming XFD1048576 4 GB, the 500,000-paragraph document minutes of CPU, and
the entity bomb ended in a traceback.
"""

from __future__ import annotations

import csv
import io
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import ROOT

from quiz.files.export import csv_text
from quiz.files.importers import read_csv
from quiz.files.untrusted import csv_cell, csv_uncell

MEMORY_LIMIT = 1536 * 2**20  # bytes of address space the child may take
CPU_LIMIT = 60  # seconds: a child spinning past this is killed (and the test fails)
MAX_RSS_MB = 400  # the peak resident memory allowed
MAX_SECONDS = 20.0  # wall time allowed (generous: the machine is shared)

HEADER = ["STT", "Loại", "Nội dung câu hỏi", "Đáp án"]


@dataclass
class Run:
    code: int
    out: str
    err: str
    seconds: float
    rss_mb: float


# Runs `quiz ARGS` and, on the way out, writes the process's own peak resident
# memory (VmHWM, which starts afresh at exec) to the file named first. A child's
# ru_maxrss from wait4 would also count the pytest image it was forked from.
RUN_AND_MEASURE = """
import sys
from quiz.cli import main
try:
    code = main(sys.argv[2:])
finally:
    with open("/proc/self/status") as status, open(sys.argv[1], "w") as out:
        out.write(next(line for line in status if line.startswith("VmHWM")).split()[1])
sys.exit(code)
"""


def run_quiz(*args: str) -> Run:
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
        resource.setrlimit(resource.RLIMIT_CPU, (CPU_LIMIT, CPU_LIMIT))

    started = time.monotonic()
    peak = tempfile.NamedTemporaryFile(delete=False)
    peak.close()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(
            [sys.executable, "-c", RUN_AND_MEASURE, peak.name, *args],
            stdout=out,
            stderr=err,
            cwd=str(ROOT),
            preexec_fn=limit,
        )
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.monotonic() - started
        out.seek(0)
        err.seek(0)
        run = Run(
            proc.returncode,
            out.read().decode(errors="replace"),
            err.read().decode(errors="replace"),
            seconds,
            _peak_mb(Path(peak.name), usage.ru_maxrss),
        )
    print(f"\nquiz {args[0]}: exit {run.code}, {seconds:.1f} s, peak <= {run.rss_mb:.0f} MB")
    print(run.err.strip()[:400])
    return run


def _peak_mb(path: Path, maxrss_kb: int) -> float:
    """The child's own peak (VmHWM); if it was killed before writing it, wait4's."""
    try:
        text = path.read_text(encoding="utf-8").strip()
    finally:
        path.unlink()
    return int(text) / 1024 if text else maxrss_kb / 1024


def assert_refused(run: Run, *needles: str) -> None:
    assert run.code == 1, (run.code, run.err[-2000:])
    assert "Traceback" not in run.err and "MemoryError" not in run.err, run.err[-2000:]
    for needle in needles:
        assert needle in run.err, (needle, run.err[-2000:])
    assert run.seconds < MAX_SECONDS
    assert run.rss_mb < MAX_RSS_MB


# --- generators -------------------------------------------------------------------------


def alias_bomb(path: Path, levels: int = 9, width: int = 10) -> Path:
    """A bank whose one question's text is 10 ** 9 values, through 9 aliases."""
    lines = ["bank: bomb", "title: Bom", f"l0: &l0 [{', '.join(['lol'] * width)}]"]
    for n in range(1, levels):
        lines.append(f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * width)}]")
    lines += [
        "questions:",
        "  - id: q1",
        "    type: text",
        f"    text: *l{levels - 1}",
        "    answer: [một cửa]",
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def far_cell_workbook(path: Path) -> Path:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(HEADER)
    sheet.append([1, "text", "Cơ chế một cửa là gì?", "một cửa"])
    sheet["XFD1048576"] = "x"
    workbook.save(path)
    return path


def _rezip(source: Path, target: Path, replace: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for item in zin.infolist():
            z.writestr(item.filename, replace.get(item.filename, zin.read(item.filename)))
    return target


def _plain_docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph("Câu 1: Cơ chế một cửa là gì?")
    document.save(str(path))
    return path


W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def many_paragraphs_docx(path: Path, count: int = 500_000) -> Path:
    base = _plain_docx(path.with_name("base.docx"))
    body = b"<w:p/>" * count
    xml = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b"<w:document " + W_NS.encode() + b"><w:body>" + body + b"</w:body></w:document>"
    )
    return _rezip(base, path, {"word/document.xml": xml})


BOMB_DTD = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (n, (b"&lol%d;" % (n - 1) if n > 1 else b"&lol;") * 10)
        for n in range(1, 10)
    )
    + b"]>\n"
)


def entity_bomb_docx(path: Path) -> Path:
    base = _plain_docx(path.with_name("base.docx"))
    xml = BOMB_DTD + (
        b"<w:document " + W_NS.encode() + b"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>"
        b"</w:body></w:document>"
    )
    return _rezip(base, path, {"word/document.xml": xml})


def entity_bomb_xlsx(path: Path) -> Path:
    import openpyxl

    base = path.with_name("base.xlsx")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(HEADER)
    sheet.append([1, "text", "Câu hỏi", "một cửa"])
    workbook.save(base)
    with zipfile.ZipFile(base) as z:
        sheet_xml = z.read("xl/worksheets/sheet1.xml")
    text = b"C&#226;u h&#7887;i"  # openpyxl writes the text inline, as character references
    assert sheet_xml.count(text) == 1
    bomb = BOMB_DTD + sheet_xml.split(b"?>", 1)[-1].replace(text, b"&lol9;")
    return _rezip(base, path, {"xl/worksheets/sheet1.xml": bomb})


def zip_bomb_xlsx(path: Path) -> Path:
    """A workbook with a 200 MB part of spaces (it compresses to ~200 KB)."""
    import openpyxl

    base = path.with_name("base.xlsx")
    workbook = openpyxl.Workbook()
    workbook.save(base)
    with zipfile.ZipFile(base) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for item in zin.infolist():
            z.writestr(item.filename, zin.read(item.filename))
        with z.open("xl/media/padding.xml", "w") as part:
            block = b" " * 2**20
            for _ in range(200):
                part.write(block)
    return path


# --- the attacks -------------------------------------------------------------------------


def test_a_yaml_alias_bomb_is_refused(tmp_path: Path) -> None:
    bomb = alias_bomb(tmp_path / "bomb.yaml")
    assert bomb.stat().st_size < 2000
    run = run_quiz("check", str(bomb))
    assert_refused(run, "bomb.yaml:", "alias", "expand to more than")


def test_a_few_aliases_still_work(tmp_path: Path) -> None:
    """A bank may use an anchor or two: only an explosion is refused."""
    bank = tmp_path / "ok.yaml"
    bank.write_text(
        "bank: ok\ntitle: Được\nquestions:\n"
        "  - id: q1\n    type: text\n    text: Cơ chế một cửa là gì?\n"
        "    answer: &a [một cửa]\n"
        "  - id: q2\n    type: text\n    text: Cơ chế một cửa liên thông là gì?\n"
        "    answer: *a\n",
        encoding="utf-8",
    )
    from quiz.files.bank import load_bank

    assert len(load_bank(str(bank)).questions) == 2


def test_a_sheet_claiming_the_last_cell_is_refused(tmp_path: Path) -> None:
    book = far_cell_workbook(tmp_path / "far.xlsx")
    assert book.stat().st_size < 20_000
    run = run_quiz("import", str(book), "-o", str(tmp_path / "out.yaml"))
    assert_refused(run, "far.xlsx:1:", "XFD1048576", "at most")
    assert not (tmp_path / "out.yaml").exists()


def test_a_document_of_500000_paragraphs_is_refused(tmp_path: Path) -> None:
    document = many_paragraphs_docx(tmp_path / "long.docx")
    assert document.stat().st_size < 1_000_000
    run = run_quiz("import", str(document), "-o", str(tmp_path / "out.yaml"))
    assert_refused(run, "long.docx:1:", "paragraphs")


@pytest.mark.parametrize("make", [entity_bomb_docx, entity_bomb_xlsx], ids=["docx", "xlsx"])
def test_an_xml_entity_bomb_is_refused(tmp_path: Path, make: Callable[[Path], Path]) -> None:
    name = "bomb.docx" if make is entity_bomb_docx else "bomb.xlsx"
    bomb = make(tmp_path / name)
    run = run_quiz("import", str(bomb), "-o", str(tmp_path / "out.yaml"))
    assert_refused(run, f"{name}:1:", "DOCTYPE")


def test_a_zip_bomb_is_refused(tmp_path: Path) -> None:
    bomb = zip_bomb_xlsx(tmp_path / "zip.xlsx")
    assert bomb.stat().st_size < 2_000_000
    run = run_quiz("import", str(bomb), "-o", str(tmp_path / "out.yaml"))
    assert_refused(run, "zip.xlsx:1:", "unpacks to more than")


def test_the_paragraph_count_is_exact_across_chunks(tmp_path: Path) -> None:
    """Under the limit, a long (but legal) document is read, not refused."""
    from quiz.files.importers import read_docx
    from quiz.files.untrusted import MAX_PARAGRAPHS, check_package

    document = many_paragraphs_docx(tmp_path / "ok.docx", count=MAX_PARAGRAPHS)
    check_package(str(document), "docx")  # exactly the limit: accepted
    assert len(read_docx(str(document))) == MAX_PARAGRAPHS
    over = many_paragraphs_docx(tmp_path / "over.docx", count=MAX_PARAGRAPHS + 1)
    with pytest.raises(Exception, match="paragraphs"):
        check_package(str(over), "docx")


# --- CSV formula injection -------------------------------------------------------------------

FORMULAS = [
    '=HYPERLINK("http://x","bấm")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1",
    "\r=1",
]


def test_csv_cells_that_would_be_formulas_are_made_inert() -> None:
    for text in FORMULAS:
        safe = csv_cell(text)
        assert safe == "'" + text and csv_uncell(safe) == text
    for text in ("Một cửa", "-5", "12.5", "-0,5", "", "a=b"):
        assert csv_cell(text) == text


def test_export_bank_csv_neutralises_and_imports_back(tmp_path: Path) -> None:
    keys = ["id", "text", "answer"]
    rows = [{"id": f"q{n}", "text": text, "answer": text} for n, text in enumerate(FORMULAS)]
    text = csv_text(keys, rows)  # type: ignore[arg-type]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    cells = [cell for row in reader for cell in row]
    for formula in FORMULAS:
        assert formula not in cells and "'" + formula in cells
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)
    path = tmp_path / "bank.csv"
    path.write_text(text, encoding="utf-8")
    read = [cells for _, cells in read_csv(str(path))]
    assert [row[1] for row in read[1:]] == FORMULAS  # our own export reads back as written


def test_the_results_csv_neutralises_names_and_reasons(tmp_path: Path) -> None:
    """The live results CSV: a team name and a correction reason that are formulas."""
    from clients import Screen, mc_do
    from conftest import FIXTURES, start_server

    folder = tmp_path / "contest"
    folder.mkdir()
    (folder / "mini-bank.yaml").write_bytes((FIXTURES / "mini-bank.yaml").read_bytes())
    text = (FIXTURES / "mini-contest.yaml").read_text(encoding="utf-8")
    assert "name: Thị trấn Bo}" in text
    contest = folder / "mini-contest.yaml"
    contest.write_text(text.replace("name: Thị trấn Bo}", 'name: "=1+2"}'), encoding="utf-8")
    server = start_server(contest, tmp_path / "data")
    try:
        mc = Screen(server.url, {"role": "mc", "pin": server.pin}, "mc")
        try:
            team = mc.view["teams"][0]["id"]
            mc_do(mc, "adjust", team=team, delta=-5, reason="@SUM(A1:A9)")
            head = mc.wait(lambda v: (v.get("journal") or {}).get("entries", 0) >= 1)
            head_hash = head["journal"]["head"]
        finally:
            mc.close()
        import requests

        session = requests.Session()
        response = session.get(f"{server.url}/results.csv", params={"pin": server.pin})
        if response.status_code in (401, 403) or "text/csv" not in response.headers.get(
            "Content-Type", ""
        ):
            session.post(f"{server.url}/mc", data={"pin": server.pin})
            response = session.get(f"{server.url}/results.csv")
        assert response.status_code == 200, response.text[:500]
        body = response.content.decode("utf-8-sig")
    finally:
        server.stop()
    cells = [c for row in csv.reader(io.StringIO(body, newline=""), delimiter=";") for c in row]
    assert "'=1+2" in cells and "=1+2" not in cells
    assert "'@SUM(A1:A9)" in cells
    assert "-5" in cells  # a plain negative number stays a number
    assert not any(c.startswith(("=", "+", "@", "\t", "\r")) for c in cells)
    assert head_hash in body  # the journal's head hash is printed with the results
