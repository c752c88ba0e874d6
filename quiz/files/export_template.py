"""The template spreadsheet's content: the example questions (one of each
type, from the shipped banks, their sources holding) and the guide sheet,
"Hướng dẫn", explaining each column in Vietnamese (the headings `quiz import`
reads are Vietnamese, quiz.files.importers.COLUMNS). export.py writes them.
Imports openpyxl only inside `add_guide`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from quiz.files.importers import Cell
from quiz.rules.limits import POINTS_MAX, POINTS_MIN, TIME_LIMIT_MAX, TIME_LIMIT_MIN

if TYPE_CHECKING:
    from openpyxl import Workbook

GUIDE_SHEET = "Hướng dẫn"

# One example of each type, from the shipped banks (their sources hold).
EXAMPLES: tuple[dict[str, Cell], ...] = (
    {
        "id": "nq76-van-ban",
        "type": "single",
        "text": "Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2021-2030 "
        "được ban hành kèm theo văn bản nào?",
        "A": "Nghị quyết số 30c/NQ-CP của Chính phủ",
        "B": "Nghị quyết số 76/NQ-CP của Chính phủ",
        "C": "Quyết định số 225/QĐ-TTg của Thủ tướng",
        "D": "Quyết định số 136/2001/QĐ-TTg của Thủ tướng",
        "answer": "B",
        "explanation": "Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2021-2030 "
        "được ban hành kèm theo Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ.",
        "source": "Nghị quyết 76/NQ-CP ngày 15/7/2021 của Chính phủ",
        "level": "dễ",
        "tags": "chuong-trinh, nq76",
        "time_limit": 25,
        "points": 10,
    },
    {
        "id": "cong-dvc-cau-phan",
        "type": "multiple",
        "text": "Những hệ thống nào dưới đây là cấu phần của Cổng Dịch vụ công quốc gia "
        "khi khai trương năm 2019?",
        "A": "Hệ thống đăng nhập một lần",
        "B": "Hệ thống thanh toán trực tuyến",
        "C": "Hệ thống tiếp nhận, xử lý phản ánh, kiến nghị",
        "D": "Hệ thống bỏ phiếu tín nhiệm trực tuyến",
        "E": "Cơ sở dữ liệu quốc gia về dân cư",
        "answer": "A, B, C",
        "explanation": "Cơ sở dữ liệu quốc gia về dân cư do Bộ Công an quản lý, không phải cấu "
        "phần của Cổng.",
        "source": "Lễ khai trương Cổng Dịch vụ công quốc gia ngày 09/12/2019 "
        "(VietnamPlus, Báo Chính phủ)",
        "level": "khó",
        "tags": "dich-vu-cong",
        "time_limit": 30,
        "points": 10,
    },
    {
        "id": "nd61-hen-lai",
        "type": "true_false",
        "text": "Theo Nghị định 61/2018/NĐ-CP, khi giải quyết hồ sơ chậm, cơ quan có thẩm quyền "
        "được hẹn lại ngày trả kết quả tối đa hai lần.",
        "answer": "Sai",
        "explanation": "Việc hẹn lại ngày trả kết quả được thực hiện không quá một lần.",
        "source": "Nghị định 61/2018/NĐ-CP ngày 23/4/2018",
        "level": "dễ",
        "tags": "mot-cua, nd61",
        "time_limit": 15,
        "points": 10,
    },
    {
        "id": "hdnd-quyen-luc",
        "type": "text",
        "text": "Theo Luật Tổ chức chính quyền địa phương năm 2015, Hội đồng nhân dân là cơ quan "
        "gì ở địa phương?",
        "answer": "cơ quan quyền lực nhà nước ở địa phương | cơ quan quyền lực nhà nước",
        "explanation": "Hội đồng nhân dân là cơ quan quyền lực nhà nước ở địa phương, do Nhân "
        "dân địa phương bầu ra.",
        "source": "Luật Tổ chức chính quyền địa phương số 77/2015/QH13, Điều 6",
        "level": "trung bình",
        "tags": "luat",
        "time_limit": 25,
        "points": 10,
        "ignore_diacritics": "có",
    },
    {
        "id": "sipas-2020",
        "type": "number",
        "text": "SIPAS trung bình toàn quốc năm 2020 đạt bao nhiêu phần trăm? "
        "(cho phép sai số 0,5)",
        "answer": "85,48",
        "explanation": "SIPAS toàn quốc năm 2020 đạt 85,48%.",
        "source": "Bộ Nội vụ, công bố SIPAS 2020",
        "level": "khó",
        "tags": "chi-so, sipas",
        "time_limit": 20,
        "points": 10,
        "tolerance": "0,5",
        "unit": "%",
    },
    {
        "id": "mot-cua-thu-tu",
        "type": "order",
        "text": "Sắp xếp các văn bản về cơ chế một cửa, một cửa liên thông sau theo thứ tự thời "
        "gian ban hành, từ sớm nhất đến muộn nhất.",
        "A": "Nghị định 61/2018/NĐ-CP",
        "B": "Thông tư 01/2023/TT-VPCP",
        "C": "Quyết định 09/2015/QĐ-TTg",
        "D": "Quyết định 93/2007/QĐ-TTg",
        "answer": "D, C, A, B",
        "explanation": "Quyết định 93/2007/QĐ-TTg (22/6/2007), Quyết định 09/2015/QĐ-TTg "
        "(25/3/2015), Nghị định 61/2018/NĐ-CP (23/4/2018), Thông tư 01/2023/TT-VPCP (05/4/2023).",
        "source": "Quyết định 93/2007/QĐ-TTg; Quyết định 09/2015/QĐ-TTg; Nghị định 61/2018/NĐ-CP; "
        "Thông tư 01/2023/TT-VPCP",
        "level": "trung bình",
        "tags": "mot-cua",
        "time_limit": 35,
        "points": 10,
    },
)

GUIDE_NOTES = (
    "Mỗi dòng của trang tính đầu tiên là một câu hỏi; dòng 1 là tên các cột, giữ nguyên. "
    "Dòng trống được bỏ qua; các trang tính khác (như trang này) không được đọc.",
    "Thứ tự các cột không quan trọng; tên cột không phân biệt chữ hoa, chữ thường, có dấu "
    "hay không dấu. Cột có tên khác các tên dưới đây là lỗi.",
    "Chuyển thành bộ câu hỏi: quiz import mau-cau-hoi.xlsx -o question_banks/ten-bo.yaml "
    '--bank ten-bo --title "Tên bộ câu hỏi"',
    "Mọi lỗi được báo kèm số dòng (TỆP:DÒNG: ...); chỉ khi mọi dòng đều hợp lệ thì tệp bộ câu "
    "hỏi mới được ghi. Sau đó kiểm tra: quiz check --strict question_banks/ten-bo.yaml",
    "Có thể lưu thành CSV (UTF-8, phân cách bằng dấu chấm phẩy hoặc dấu phẩy) hoặc soạn trong "
    "Word theo mẫu: Câu 1. ... / A. ... B. ... / Đáp án: B (xem docs/import-formats.md).",
)

GUIDE: tuple[tuple[str, str, str], ...] = (
    ("STT", "Không", "Số thứ tự, để dễ theo dõi; cột này được bỏ qua."),
    (
        "Mã",
        "Không",
        "Mã câu hỏi: chữ không dấu, chữ số, dấu '-', '_' hoặc '.'; không trùng nhau. "
        "Để trống thì câu hỏi thứ n có mã q001, q002, ...",
    ),
    (
        "Loại",
        "Không",
        "single: một đáp án đúng; multiple: nhiều đáp án đúng; true_false: Đúng/Sai; "
        "text: trả lời bằng chữ; number: trả lời bằng số; order: sắp xếp thứ tự. "
        "Để trống: single, hoặc multiple nếu đáp án có nhiều chữ cái.",
    ),
    (
        "Câu hỏi",
        "Có",
        "Nội dung câu hỏi như được đọc và chiếu lên màn hình; nên không quá 240 ký tự.",
    ),
    (
        "A, B, C, D, E, F",
        "Với single, multiple, order",
        "Các phương án (single, multiple: 2 đến 6) hoặc các mục cần sắp xếp (order: 2 đến 8, "
        "thêm cột G, H khi cần), điền liên tục từ cột A. Mỗi phương án nên không quá 100 ký tự. "
        "Các loại câu khác để trống.",
    ),
    (
        "Đáp án",
        "Có",
        "single: một chữ cái (B); multiple: các chữ cái, cách nhau bởi dấu phẩy (A, C); "
        "true_false: Đúng hoặc Sai; text: các câu trả lời được chấp nhận, cách nhau bởi "
        "dấu | ; number: một số, dấu thập phân là dấu phẩy hoặc dấu chấm (85,48); "
        "order: thứ tự đúng của mọi mục (D, C, A, B).",
    ),
    ("Giải thích", "Không", "Hiện trên màn hình khi công bố đáp án."),
    (
        "Nguồn",
        "Không (nên có)",
        "Văn bản làm căn cứ: số, ngày ban hành và điều, khoản (Nghị định 61/2018/NĐ-CP "
        "ngày 23/4/2018, Điều 4).",
    ),
    (
        "Ghi chú",
        "Không",
        "Ghi chú cho người thẩm định (cần kiểm tra gì, thông tin lấy từ đâu); chỉ người dẫn "
        "chương trình thấy, không bao giờ hiện trên màn hình chiếu hay máy tính bảng.",
    ),
    ("Mức độ", "Không", "dễ, trung bình hoặc khó (hoặc easy, medium, hard)."),
    (
        "Chủ đề",
        "Không",
        "Các thẻ chủ đề, cách nhau bởi dấu phẩy (mot-cua, nd61); dùng để bốc câu hỏi "
        "theo chủ đề cho từng phần thi.",
    ),
    (
        "Thời gian",
        "Không",
        f"Số giây để trả lời, từ {TIME_LIMIT_MIN} đến {TIME_LIMIT_MAX}; để trống là 20 giây.",
    ),
    ("Điểm", "Không", f"Số điểm, từ {POINTS_MIN} đến {POINTS_MAX}; để trống là 10 điểm."),
    ("Sai số", "Chỉ câu number", "Chênh lệch cho phép so với đáp án (0,5); để trống là 0."),
    ("Đơn vị", "Chỉ câu number", "Đơn vị hiện sau ô nhập số (%, năm, ngày)."),
    (
        "Không dấu",
        "Chỉ câu text",
        "Ghi 'có' để chấp nhận cả câu trả lời gõ không dấu (nên dùng khi đội thi gõ trên "
        "máy tính bảng).",
    ),
    (
        "Hình ảnh",
        "Không",
        "Tên tệp ảnh (png, jpg, gif, svg, webp) nằm trong thư mục của tệp bộ câu hỏi.",
    ),
)


def add_guide(workbook: Workbook) -> None:
    from openpyxl.styles import Alignment, Font

    guide = workbook.create_sheet(GUIDE_SHEET)
    guide.column_dimensions["A"].width = 18
    guide.column_dimensions["B"].width = 22
    guide.column_dimensions["C"].width = 100
    guide.append(["Hướng dẫn nhập câu hỏi"])
    guide["A1"].font = Font(bold=True, size=14)
    for note in GUIDE_NOTES:
        guide.append([None, None, note])
    guide.append([])
    guide.append(["Cột", "Bắt buộc", "Cách ghi"])
    header = guide.max_row
    for cell in guide[header]:
        cell.font = Font(bold=True)
    for row in GUIDE:
        guide.append(list(row))
    for cells in guide.iter_rows(min_row=2):
        for cell in cells:
            cell.alignment = Alignment(vertical="top", wrap_text=True)
