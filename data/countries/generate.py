#!/usr/bin/env python3
"""Generate data/countries/iso3166.csv (ISO 3166-1 alpha-2 code, Vietnamese name, English name).

Usage:
    python3 -m venv /tmp/pc && /tmp/pc/bin/pip install pycountry==26.2.16
    /tmp/pc/bin/python data/countries/generate.py > data/countries/iso3166.csv

Names come from pycountry (English: the common name where ISO gives one; Vietnamese: the iso-codes
project's translation). A few Vietnamese translations there are dated; the names people use on
Vietnamese forms today replace them (OVERRIDES).
"""

import csv
import gettext
import sys

import pycountry

OVERRIDES_VI = {
    "AD": "Andorra",
    "AE": "Các Tiểu vương quốc Ả Rập Thống nhất",
    "AF": "Afghanistan",
    "AR": "Argentina",
    "AU": "Australia",
    "BD": "Bangladesh",
    "BN": "Brunei",
    "BR": "Brazil",
    "CA": "Canada",
    "CZ": "Séc",
    "GB": "Vương quốc Anh",
    "HK": "Hồng Kông (Trung Quốc)",
    "ID": "Indonesia",
    "IL": "Israel",
    "IN": "Ấn Độ",
    "IQ": "Iraq",
    "IR": "Iran",
    "JP": "Nhật Bản",
    "KH": "Campuchia",
    "KP": "Triều Tiên",
    "KR": "Hàn Quốc",
    "KW": "Kuwait",
    "LA": "Lào",
    "LK": "Sri Lanka",
    "MM": "Myanmar",
    "MO": "Ma Cao (Trung Quốc)",
    "MX": "Mexico",
    "MY": "Malaysia",
    "NL": "Hà Lan",
    "NP": "Nepal",
    "NZ": "New Zealand",
    "PH": "Philippines",
    "PK": "Pakistan",
    "QA": "Qatar",
    "RU": "Nga",
    "SA": "Ả Rập Xê Út",
    "SG": "Singapore",
    "TL": "Timor-Leste",
    "TR": "Thổ Nhĩ Kỳ",
    "TW": "Đài Loan (Trung Quốc)",
    "UA": "Ukraine",
    "US": "Hoa Kỳ",
}


def main() -> None:
    vi = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["vi"])
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["code", "name_vi", "name_en"])
    for c in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        en = getattr(c, "common_name", None) or c.name
        name_vi = OVERRIDES_VI.get(c.alpha_2) or vi.gettext(c.name)
        out.writerow([c.alpha_2, name_vi, en])


if __name__ == "__main__":
    main()
