"""Every HTTP error as a page in the screen's language (the hall never sees
Werkzeug's English on a Vietnamese screen): the texts are message ids,
translated by templates/error.html."""

from __future__ import annotations

import logging

from flask import Flask, render_template
from werkzeug.exceptions import HTTPException, InternalServerError

from quiz.rules.text import N_

log = logging.getLogger(__name__)

# status -> (title, what to do); anything else falls back to the generic text.
MESSAGES: dict[int, tuple[str, str]] = {
    400: (N_("Yêu cầu không hợp lệ"), N_("Địa chỉ hoặc dữ liệu gửi lên không đúng. Hãy thử lại.")),
    403: (
        N_("Không có quyền truy cập"),
        N_("Trang này cần mã PIN của người dẫn chương trình. Hãy mở lại từ Bảng điều khiển."),
    ),
    404: (
        N_("Không tìm thấy trang"),
        N_("Địa chỉ này không có trong hệ thống thi. Hãy kiểm tra lại."),
    ),
    405: (N_("Thao tác không được hỗ trợ"), N_("Trang này không nhận thao tác vừa gửi.")),
    413: (N_("Dữ liệu quá lớn"), N_("Dữ liệu gửi lên vượt quá giới hạn cho phép.")),
    429: (N_("Quá nhiều yêu cầu"), N_("Máy gửi quá nhiều yêu cầu. Chờ một lát rồi thử lại.")),
    500: (
        N_("Lỗi máy chủ"),
        N_("Máy chủ gặp sự cố khi xử lý yêu cầu. Hãy thử lại; nếu lỗi lặp lại, báo Ban tổ chức."),
    ),
}
GENERIC = (N_("Đã có lỗi xảy ra"), N_("Hãy thử lại; nếu lỗi lặp lại, báo Ban tổ chức."))


def _page(status: int) -> tuple[str, int]:
    title, advice = MESSAGES.get(status, GENERIC)
    return render_template("error.html", status=status, title=title, advice=advice), status


def register(app: Flask) -> None:
    """Install the handlers: every HTTP error, and any unexpected exception as 500."""

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> tuple[str, int]:
        return _page(exc.code or 500)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> tuple[str, int]:
        if isinstance(exc, HTTPException):  # pragma: no cover - handled above
            return _page(exc.code or 500)
        log.exception("unexpected error in a page", exc_info=exc)
        return _page(InternalServerError.code)
