"""Every HTTP error as a page in Vietnamese (the hall never sees Werkzeug's English)."""

from __future__ import annotations

import logging

from flask import Flask, render_template
from werkzeug.exceptions import HTTPException, InternalServerError

log = logging.getLogger(__name__)

# status -> (title, what to do); anything else falls back to the generic text.
MESSAGES: dict[int, tuple[str, str]] = {
    400: ("Yêu cầu không hợp lệ", "Địa chỉ hoặc dữ liệu gửi lên không đúng. Hãy thử lại."),
    403: (
        "Không có quyền truy cập",
        "Trang này cần mã PIN của người dẫn chương trình. Hãy mở lại từ Bảng điều khiển.",
    ),
    404: ("Không tìm thấy trang", "Địa chỉ này không có trong hệ thống thi. Hãy kiểm tra lại."),
    405: ("Thao tác không được hỗ trợ", "Trang này không nhận thao tác vừa gửi."),
    413: ("Dữ liệu quá lớn", "Dữ liệu gửi lên vượt quá giới hạn cho phép."),
    429: ("Quá nhiều yêu cầu", "Máy gửi quá nhiều yêu cầu. Chờ một lát rồi thử lại."),
    500: (
        "Lỗi máy chủ",
        "Máy chủ gặp sự cố khi xử lý yêu cầu. Hãy thử lại; nếu lỗi lặp lại, báo Ban tổ chức.",
    ),
}
GENERIC = ("Đã có lỗi xảy ra", "Hãy thử lại; nếu lỗi lặp lại, báo Ban tổ chức.")


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
