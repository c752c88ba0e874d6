"""The official record's words and formats: every word the renderers of the
record print (LABELS, by key: its Vietnamese text, the message id that the
catalogue of the record's language, quiz/locale/, translates), the contest's
language, and times of day and numbers as the record writes them.
"""

from __future__ import annotations

import time
from functools import cache

from quiz.files.locale import DEFAULT, LANGUAGES, catalogue
from quiz.rules.model import Contest
from quiz.rules.text import N_

# Every word the renderers print, by key; the message ids (Vietnamese) are
# looked up in the catalogue of the record's language (labels_for).
LABELS: dict[str, str] = {
    # workbook sheets
    "sheet_summary": N_("Tổng hợp"),
    "sheet_answers": N_("Đội × câu hỏi"),
    "sheet_corrections": N_("Điều chỉnh"),
    "sheet_appeals": N_("Khiếu nại (trang)"),
    "sheet_journal": N_("Nhật ký"),
    "sheet_question": N_("P{round}-C{index}"),
    # columns
    "rank": N_("Hạng"),
    "team": N_("Đội thi"),
    "prize": N_("Giải"),
    "total": N_("Tổng điểm"),
    "round_points": N_("Phần {number}: {title}"),
    "adjustments": N_("Điều chỉnh điểm"),
    "correct_count": N_("Số câu đúng"),
    "answer_time": N_("Tổng thời gian trả lời đúng (giây)"),
    "question": N_("Câu hỏi"),
    "question_id": N_("Mã câu hỏi"),
    "round": N_("Phần thi"),
    "format": N_("Hình thức"),
    "answer": N_("Đáp án của đội"),
    "correct": N_("Kết quả"),
    "points": N_("Điểm"),
    "time": N_("Thời gian (giây)"),
    "at": N_("Lúc"),
    "by_hand": N_("Nhập tay"),
    "what": N_("Nội dung"),
    "kind": N_("Loại"),
    "reason": N_("Lý do"),
    "undone_at": N_("Hoàn tác lúc"),
    "undo_reason": N_("Lý do hoàn tác"),
    "appeal_text": N_("Nội dung khiếu nại"),
    "outcome": N_("Kết quả xử lý"),
    "decided_at": N_("Xử lý lúc"),
    "text": N_("Nội dung câu hỏi"),
    "key": N_("Đáp án đúng"),
    "voided": N_("Đã hủy kết quả"),
    "head": N_("Mã kiểm tra nhật ký"),
    "entries": N_("Số mục trong nhật ký"),
    "journal_note": N_("`quiz verify` in ra cùng mã này khi nhật ký còn nguyên vẹn"),
    "contest": N_("Hội thi"),
    "contest_id": N_("Mã hội thi"),
    # values
    "yes": N_("Có"),
    "right": N_("Đúng"),
    "wrong": N_("Sai"),
    "no_answer": N_("Không trả lời"),
    "all_teams": N_("Tất cả các đội"),
    "format_all": N_("Câu hỏi chung"),
    "format_buzzer": N_("Giành quyền trả lời"),
    "format_judged": N_("Ban giám khảo chấm điểm"),
    "kind_adjust": N_("Điều chỉnh điểm"),
    "kind_set_answer": N_("Nhập đáp án thay đội"),
    "kind_void": N_("Hủy kết quả câu hỏi"),
    "kind_judge_score": N_("Sửa điểm giám khảo"),
    "kind_verdict_undone": N_("Hoàn tác kết quả chấm giành quyền trả lời"),
    "kind_reinstate": N_("Đưa thí sinh trở lại sàn thi đấu"),
    "set_value": N_("đáp án {value}"),
    "set_right": N_("chấm Đúng"),
    "set_wrong": N_("chấm Sai"),
    "verdict_undone": N_("hủy kết quả chấm «{verdict}»"),
    "question_name": N_("Phần {round} – Câu {index}"),
    "appeal_accepted": N_("Chấp nhận"),
    "appeal_rejected": N_("Không chấp nhận"),
    "appeal_pending": N_("Chưa xử lý"),
    "kind_rejected": N_("Đề nghị điều chỉnh không được duyệt"),
    "approved_note": N_("Ban giám khảo duyệt lúc {at}: {reason}"),
    "rejected_note": N_("MC đề nghị lúc {at}: {reason}"),
    "appeal_note": N_("chấp nhận khiếu nại số {id}"),
    # minutes
    "nation": N_("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    "motto": N_("Độc lập - Tự do - Hạnh phúc"),
    "minutes_title": N_("BIÊN BẢN"),
    "minutes_subtitle": N_("Kết quả hội thi"),
    "page_title": N_("Biên bản kết quả"),
    "organizer": N_("Đơn vị tổ chức"),
    "date": N_("Ngày"),
    "venue": N_("Địa điểm"),
    "teams": N_("Các đội thi"),
    "teams_count": N_("{count} đội"),
    "ranking": N_("Kết quả xếp hạng"),
    "per_round": N_("Điểm từng phần thi"),
    "corrections": N_("Các điều chỉnh kết quả"),
    "no_corrections": N_("Không có điều chỉnh nào."),
    "appeals": N_("Khiếu nại và kết quả xử lý"),
    "no_appeals": N_("Không có khiếu nại nào."),
    "sheet_devices": N_("Thiết bị"),
    "devices": N_("Thiết bị của các đội được duyệt hoặc từ chối"),
    "device_decision": N_("Quyết định"),
    "device_address": N_("Địa chỉ thiết bị"),
    "device_replaced": N_("Thiết bị cũ đã thay"),
    "device_approved": N_("Duyệt thiết bị mới"),
    "device_refused": N_("Từ chối thiết bị"),
    "ties": N_("Xử lý các trường hợp bằng điểm"),
    "no_ties": N_("Không có đội nào bằng điểm nhau."),
    "tie_line": N_("Bằng {total} điểm:"),
    "tie_team": N_("{name}: hạng {rank}"),
    "tie_shared": N_("Đồng hạng {rank} (bằng nhau theo mọi tiêu chí): {names}"),
    "tie_by": N_("Xếp theo thứ tự: {criteria}."),
    "tie_criterion_correct_count": N_("số câu trả lời đúng (nhiều hơn xếp trên)"),
    "tie_criterion_answer_time": N_("tổng thời gian trả lời đúng (ít hơn xếp trên)"),
    "tie_criterion_tiebreak_round": N_("kết quả phần thi phụ"),
    "tie_criterion_correct_count_short": N_("{value} câu đúng"),
    "tie_criterion_answer_time_short": N_("{value} giây"),
    "tie_settled_by_round": N_("Phân định bằng phần thi phụ"),
    "tie_settled_column": N_("Phân định hòa điểm"),
    "signoff": N_("Xác nhận của Ban giám khảo"),
    "signed_at": N_("Ban giám khảo xác nhận kết quả lúc {at}"),
    "reopened": N_("Mở lại kết quả lúc {at}, lý do: {reason}"),
    "not_signed": N_("Ban giám khảo chưa xác nhận kết quả trên hệ thống."),
    "journal": N_("Nhật ký điện tử"),
    "journal_text": N_(
        "Toàn bộ diễn biến hội thi được ghi trong nhật ký điện tử gồm {entries} mục, "
        "mỗi mục nối chuỗi băm với mục trước. Mã kiểm tra (mã băm của mục cuối cùng):"
    ),
    "journal_check": N_("Kiểm tra bằng lệnh: quiz verify journal.jsonl"),
    "chair": N_("Chủ tịch Ban giám khảo"),
    "member": N_("Thành viên Ban giám khảo"),
    "secretary": N_("Thư ký"),
    "sign_hint": N_("(Ký, ghi rõ họ tên)"),
    "made_at": N_("Biên bản lập lúc {at}"),
    "print": N_("In biên bản"),
    "blank": "",
}


@cache
def labels_for(language: str) -> dict[str, str]:
    """The words in `language`, from its catalogue (Vietnamese for anything else)."""
    table = catalogue(language if language in LANGUAGES else DEFAULT)
    return {key: table.get(word, word) if word else "" for key, word in LABELS.items()}


def language_of(contest: Contest) -> str:
    """The contest's language (`language:` in the contest file; `vi` by default)."""
    language = getattr(contest, "language", None)
    return language if isinstance(language, str) and language in LANGUAGES else DEFAULT


def clock_time(at: float | None) -> str:
    """Server seconds as the hall's local time of day, HH:MM:SS."""
    return "" if at is None else time.strftime("%H:%M:%S", time.localtime(at))


def clock_datetime(at: float | None) -> str:
    """Server seconds as the hall's local date and time, DD/MM/YYYY HH:MM."""
    return "" if at is None else time.strftime("%d/%m/%Y %H:%M", time.localtime(at))


def number(value: float) -> int | float:
    """A score as a spreadsheet number: whole numbers as int."""
    return int(value) if float(value).is_integer() else round(value, 3)
