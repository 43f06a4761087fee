"""Build the 100k-row customers table used for the dataset-throughput half of ``pii_detection.py``.

    benchmarks/.venv-pii-peers/bin/python benchmarks/corpus/build_customers_csv.py [--rows N] [--out DIR] [--seed N]

Writes ``customers.csv`` (UTF-8, comma-separated, header row) and ``customers.columns.json`` (which kind each
column holds, or null for a non-personal column) under ``benchmarks/work/pii-corpus/``. Rows mix Russian
and US customers (``locale`` column); personal columns hold the same checksum-valid synthetic values as the
evaluation set (generators and their standards are documented in ``build_pii_corpus.py``), and the
non-personal columns hold the look-alikes a real table carries (UUIDs, order numbers, versions, prices,
timestamps). The ``comment`` column is free text: some cells mention a phone, e-mail or name, most do not.
Seeded: the same ``--seed`` and Faker version give the same file.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_pii_corpus import DEFAULT_OUT, Values, fill

SEED = 20240613
COLUMNS: dict[str, str | None] = {
    "customer_id": None,
    "external_ref": None,
    "locale": None,
    "full_name": "PERSON",
    "email": "EMAIL",
    "phone": "PHONE",
    "date_of_birth": "DATE_OF_BIRTH",
    "address": "ADDRESS",
    "tax_id": "RU_INN|US_SSN",
    "snils": "RU_SNILS",
    "passport": "RU_PASSPORT",
    "card_number": "CREDIT_CARD",
    "iban": "IBAN",
    "last_login_ip": "IP_ADDRESS",
    "signup_at": None,
    "orders_count": None,
    "lifetime_value": None,
    "loyalty_tier": None,
    "last_order_id": None,
    "app_version": None,
    "comment": "free text (mixed)",
}
COMMENTS_RU = [
    "Перезвонить на {{PHONE_RU}} после 18:00",
    "Просит доставку к подъезду",
    "VIP, скидка 5%",
    "Связаться с {{NAME_RU}} по вопросу возврата",
    "Чек отправить на {{EMAIL_RU}}",
    "",
    "Оплата наличными курьеру",
    "Заказ {{ORDER}} вернули на склад",
]
COMMENTS_EN = [
    "Call back at {{PHONE_US}} after 6 pm",
    "Prefers e-mail contact",
    "",
    "Spouse {{NAME_EN}} may pick up orders",
    "Send receipts to {{EMAIL_EN}}",
    "Gift wrap every order",
    "Order {{ORDER}} returned, refund issued",
    "Net 30 terms approved",
]


def row(values: Values, index: int) -> list[str]:
    """One customer; Russian and US customers alternate at random (60/40)."""
    ru = values.rng.random() < 0.6
    birth = values._birth_date()
    comment, _, _ = fill(values.pick(COMMENTS_RU if ru else COMMENTS_EN), values)
    return [
        str(100000 + index),
        values.uuid(),
        "ru" if ru else "en",
        values.fio() if ru else values.name_en(),
        values.email_ru() if ru else values.email_en(),
        values.phone_ru() if ru else values.phone_us(),
        birth.strftime("%d.%m.%Y") if ru else birth.isoformat(),
        values.addr_ru() if ru else values.addr_en(),
        values.inn12() if ru else values.ssn(),
        values.snils() if ru else "",
        values.passport() if ru else "",
        values.card(),
        values.iban() if values.rng.random() < 0.3 else "",
        values.ipv4() if values.rng.random() < 0.8 else values.ipv6(),
        values.timestamp(),
        str(values.rng.randint(0, 140)),
        f"{values.rng.randint(0, 250000)}.{values.rng.randint(0, 99):02d}",
        values.pick(["bronze", "silver", "gold", "platinum"]),
        values.order(),
        values.semver(),
        comment,
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    values = Values(args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / "customers.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(list(COLUMNS))
        for i in range(args.rows):
            writer.writerow(row(values, i))
    meta = {"seed": args.seed, "rows": args.rows, "bytes": path.stat().st_size, "columns": COLUMNS}
    (args.out / "customers.columns.json").write_text(json.dumps(meta, indent=2))
    print(json.dumps({k: meta[k] for k in ("seed", "rows", "bytes")}))
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
