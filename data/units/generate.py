#!/usr/bin/env python3
"""Generate an administrative-unit list for Phòng Dịch from the `vietnam-provinces` package.

Usage (one list per installed version of the package):

    python3 -m venv /tmp/vp && /tmp/vp/bin/pip install vietnam-provinces==2025.10.1
    /tmp/vp/bin/python data/units/generate.py > data/units/vn-2025.10.1.csv

The output is CSV with the header `code,parent_code,tier,kind,name`:
- `code`: the official GSO code, zero-padded by tier (province 2, district 3, commune 5 digits),
  so codes are unique inside one list;
- `parent_code`: empty for provinces;
- `tier`: province, district or commune (the 2025 list has no districts);
- `kind`: the Vietnamese division type (tỉnh, quận, huyện, phường, xã, thị trấn, đặc khu, …);
- `name`: the official name.
"""

import csv
import json
import sys

import vietnam_provinces

# The 0.x data files label every district "huyện" and every ward "xã"; the name's prefix is right.
PREFIX_KINDS = [
    ("Thành phố", "thành phố"),
    ("Thị xã", "thị xã"),
    ("Thị trấn", "thị trấn"),
    ("Quận", "quận"),
    ("Huyện", "huyện"),
    ("Phường", "phường"),
    ("Xã", "xã"),
    ("Đặc khu", "đặc khu"),
]


def kind_of(name: str, fallback: str) -> str:
    for prefix, kind in PREFIX_KINDS:
        if name.startswith(prefix + " "):
            return kind
    return fallback


def main() -> None:
    with open(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH, encoding="utf-8") as f:
        provinces = json.load(f)
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["code", "parent_code", "tier", "kind", "name"])
    for p in provinces:
        pcode = f"{p['code']:02d}"
        out.writerow([pcode, "", "province", p["division_type"], p["name"]])
        if "districts" in p:
            for d in p["districts"]:
                dcode = f"{d['code']:03d}"
                out.writerow([dcode, pcode, "district", kind_of(d["name"], d["division_type"]), d["name"]])
                for w in d["wards"]:
                    out.writerow([f"{w['code']:05d}", dcode, "commune", kind_of(w["name"], w["division_type"]), w["name"]])
        for w in p.get("wards", []):
            out.writerow([f"{w['code']:05d}", pcode, "commune", kind_of(w["name"], w["division_type"]), w["name"]])


if __name__ == "__main__":
    main()
