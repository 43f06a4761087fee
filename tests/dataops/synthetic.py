"""Small synthetic, checksum-valid PII generators for the dataset tests (no real person's data)."""

from __future__ import annotations

import csv
import random
from pathlib import Path

FIRST = ("Иван", "Мария", "Пётр", "Anna", "John", "Olga")


def inn12(rng: random.Random) -> str:
    digits = [rng.randint(0, 9) for _ in range(10)]
    for weights in ((7, 2, 4, 10, 3, 5, 9, 4, 6, 8), (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)):
        digits.append(sum(d * w for d, w in zip(digits, weights, strict=False)) % 11 % 10)
    return "".join(map(str, digits))


def snils(rng: random.Random) -> str:
    body = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(8)]
    total = sum(d * w for d, w in zip(body, range(9, 0, -1), strict=True))
    total = total % 101 if total > 101 else total
    check = 0 if total in (100, 101) else total
    b = "".join(map(str, body))
    return f"{b[:3]}-{b[3:6]}-{b[6:]} {check:02d}"


def phone(rng: random.Random) -> str:
    return f"+7 916 {rng.randint(100, 999)}-{rng.randint(10, 99)}-{rng.randint(10, 99)}"


def email(index: int) -> str:
    return f"user{index}.test@example.ru"


def people_rows(count: int, *, seed: int = 7) -> list[list[str]]:
    rng = random.Random(seed)
    rows = [["id", "email", "phone", "snils", "inn", "comment", "amount"]]
    for i in range(count):
        comment = rng.choice(["ok", "good product", f"call me: {phone(rng)}", "line one\nline two, quoted"])
        rows.append([str(i), email(i), phone(rng), snils(rng), inn12(rng), comment, f"{rng.random() * 100:.2f}"])
    return rows


def write_csv(path: Path, rows: list[list[str]], *, delimiter: str = ",") -> Path:
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream, delimiter=delimiter).writerows(rows)
    return path


def read_csv(path: Path, *, delimiter: str = ",") -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.reader(stream, delimiter=delimiter))
