"""The hub's record of the contest: the results (CSV, workbook), the minutes
and the jury's timeline, each read from the service under its lock."""

from __future__ import annotations

from typing import Any

from quiz.files import results
from quiz.files.minutes import render_minutes
from quiz.files.record import Record, build_record
from quiz.files.record_xlsx import workbook_bytes
from quiz.live.service import Service
from quiz.rules import jury_view


class HubRecord:
    """A base of `Hub`: what the results pages and the jury's timeline read."""

    service: Service

    def results_csv(self) -> str:
        """The standings and every score change as CSV (quiz/files/results.py)."""
        svc = self.service
        with svc.lock:
            return results.results_csv(svc.contest, svc.state, svc.journal_status())

    def record(self) -> Record:
        """The record as the journal stands now (its head hash as `quiz verify` prints it)."""
        svc = self.service
        with svc.lock:
            journal = svc.journal_status()
            return build_record(
                svc.contest, svc.state, str(journal["head"]), int(str(journal["entries"]))
            )

    def results_xlsx(self) -> bytes:
        """The results workbook (quiz/files/record_xlsx.py, docs/record.md)."""
        return workbook_bytes(self.record())

    def minutes_html(self, static: str) -> str:
        """The minutes (biên bản) page, its assets under `static`."""
        return render_minutes(self.record(), static)

    def timeline(self, team: str | None, question: str | None, limit: int) -> dict[str, Any]:
        """The journal as the jury reads it (quiz/rules/jury_view.py)."""
        svc = self.service
        with svc.lock:
            events = list(svc.journal.events)  # the synced ones: the journal on disk
        return jury_view.timeline(svc.contest, events, team, question, limit)
