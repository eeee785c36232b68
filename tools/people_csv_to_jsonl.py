#!/usr/bin/env python3
"""Turn a people CSV (gen_people.py / gen_customers.py columns) into the JSON
Lines that `c360 ingest` reads, so the hub's real-time matching can be measured
end to end on the same data as `c360 bench match`:

    python3 tools/people_csv_to_jsonl.py /tmp/customers_30k.csv > /tmp/customers_30k.jsonl
    c360 --config prob.toml --database sqlite:///tmp/c.db ingest /tmp/customers_30k.jsonl
    c360 --database sqlite:///tmp/c.db eval --truth /tmp/customers_30k.csv

Standard library only. The external id is the CSV's rec_id; a record without a
source column comes from "people".
"""

from __future__ import annotations

import csv
import json
import sys


def record(row: dict[str, str]) -> dict:
    get = lambda key: (row.get(key) or "").strip()
    line1 = " ".join(part for part in (get("street_number"), get("address_1")) if part)
    out = {
        "type": "record",
        "source": get("source") or "people",
        "external_id": get("rec_id"),
        "given_name": get("given_name"),
        "family_name": get("surname"),
        "full_name": get("full_name"),
        "emails": [get("email")] if get("email") else [],
        "phones": [get("phone")] if get("phone") else [],
        "company": get("company"),
        "birth_date": get("date_of_birth"),
        "attributes": {"national_id": get("soc_sec_id")} if get("soc_sec_id") else {},
    }
    address = {
        "line1": line1,
        "line2": get("address_2"),
        "city": get("suburb"),
        "region": get("state"),
        "postal_code": get("postcode"),
        "country": get("country"),
    }
    if any(address.values()):
        out["addresses"] = [address]
    return out


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit("usage: people_csv_to_jsonl.py FILE.csv > FILE.jsonl")
    with open(sys.argv[1], newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            print(json.dumps(record(row), ensure_ascii=False))


if __name__ == "__main__":
    main()
