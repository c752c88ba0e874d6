"""Write the demo roster of the Rung chuông vàng contest (120 players).

Run from the repository root: `python scripts/make_roster.py`. The names are
made here from common Vietnamese family, middle and given names with a fixed
seed, so the file is the same on every run and names no real person; the
units are the communes and the town of Duy Xuyên district (Quảng Nam), the
teams of the demo contest. Output: question_banks/rung-chuong-vang/thi-sinh.csv
(UTF-8 with BOM, so Excel opens it with its diacritics), columns SBD,
Họ và tên, Đơn vị, as contest-format.md "Players" names them.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "question_banks" / "rung-chuong-vang"
COUNT = 120
SEED = 2024

# Family names, the common ones more often.
FAMILY = ("Nguyễn " * 8 + "Trần " * 4 + "Lê " * 4 + "Phạm " * 3 + "Huỳnh " * 3 + "Võ " * 3).split()
FAMILY += "Phan Trương Đặng Bùi Đỗ Hồ Ngô Dương Lý Đoàn Mai Châu".split()
MIDDLE_MALE = "Văn Văn Hữu Đức Minh Quang Thành Công Ngọc Xuân".split()
MIDDLE_FEMALE = "Thị Thị Thị Ngọc Thu Thanh Kim Mỹ Hồng Bích".split()
GIVEN_MALE = (
    "An Bảo Cường Dũng Đạt Hải Hiếu Hoàng Hùng Khánh Long Lộc Nam Nghĩa Phong Phúc Quân Sơn "
    "Tài Thắng Thịnh Trung Tuấn Việt Vinh"
).split()
GIVEN_FEMALE = (
    "Anh Châu Diễm Dung Giang Hà Hạnh Hằng Hiền Hoa Hương Lan Linh Loan Mai My Nga Ngân Nhung "
    "Oanh Phương Quyên Thảo Trang Tuyết Uyên Vân Yến"
).split()
# The teams of question_banks/rung-chuong-vang/duy-xuyen.yaml, by name.
UNITS = ["Thị trấn Nam Phước"] + [
    f"Xã Duy {name}"
    for name in "Thu|Phú|Tân|Hòa|Châu|Trinh|Sơn|Trung|Phước|Thành|Vinh|Nghĩa|Hải".split("|")
]


def names(rng: random.Random, count: int) -> list[str]:
    made: list[str] = []
    while len(made) < count:
        female = rng.random() < 0.55
        middle = rng.choice(MIDDLE_FEMALE if female else MIDDLE_MALE)
        given = rng.choice(GIVEN_FEMALE if female else GIVEN_MALE)
        name = f"{rng.choice(FAMILY)} {middle} {given}"
        if name not in made:
            made.append(name)
    return made


def main() -> None:
    rng = random.Random(SEED)
    OUT.mkdir(parents=True, exist_ok=True)
    out = OUT / "thi-sinh.csv"
    with out.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["SBD", "Họ và tên", "Đơn vị"])
        for i, name in enumerate(names(rng, COUNT), start=1):
            writer.writerow([f"{i:03d}", name, UNITS[(i - 1) % len(UNITS)]])
    print(f"wrote {out} ({COUNT} players)")


if __name__ == "__main__":
    main()
