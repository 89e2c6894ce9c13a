#!/usr/bin/env python3
"""Regenerate crates/domain/data/calendar-cn.csv from the PyPI package
`chinesecalendar` 1.11.0 (import name `chinese_calendar`, upstream
https://github.com/LKI/chinese-calendar, MIT licence).

Fetch it (a pure-Python wheel; no install needed):
    pip download --no-deps -d /tmp/data-work/pypi chinesecalendar==1.11.0

Run from the repository root:
    python3 tools/data/make_calendar.py \
        /tmp/data-work/pypi/chinesecalendar-1.11.0-py2.py3-none-any.whl \
        > crates/domain/data/calendar-cn.csv

The argument may be the wheel, an unpacked directory containing
`chinese_calendar/`, or omitted when `chinesecalendar` is installed.

Only dates listed in the package's `holidays` dict (kind `off`) and
`workdays` dict (kind `work`, the weekend days worked in lieu, 调休上班)
for the years FIRST_YEAR..LAST_YEAR are written.  The package's
`holidays` dict includes the weekend days inside each holiday block.

Optional cross-check against the independent npm package
`holiday-calendar` (https://github.com/cg-zhou/holiday-calendar):
    npm pack holiday-calendar@1.3.3 && tar xzf holiday-calendar-1.3.3.tgz
    python3 tools/data/make_calendar.py WHEEL --check-holiday-calendar package/data/CN > /dev/null
Differences are printed on stderr; the CSV is unaffected.
"""
import argparse
import json
import os
import sys

FIRST_YEAR = 2020
LAST_YEAR = 2026

# The package's own Chinese labels are short (清明, 端午, 中秋); we want the
# customary full names.  Keyed by the package's English enum value so that a
# renamed or new holiday fails loudly instead of slipping through.
NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
}


def load_package(path):
    if path:
        sys.path.insert(0, os.path.abspath(path))
    import chinese_calendar  # noqa: E402
    from chinese_calendar import constants  # noqa: E402

    return chinese_calendar, constants


def rows_from_package(constants):
    rows = []
    for kind, table in (("off", constants.holidays), ("work", constants.workdays)):
        for day, value in table.items():
            if not FIRST_YEAR <= day.year <= LAST_YEAR:
                continue
            if value not in NAMES:
                sys.exit(f"unknown holiday {value!r} on {day}: extend NAMES")
            rows.append((day.isoformat(), kind, NAMES[value]))
    rows.sort()
    dates = [r[0] for r in rows]
    if len(dates) != len(set(dates)):
        sys.exit("a date is both a holiday and a workday in the package")
    return rows


def check_holiday_calendar(rows, data_dir):
    """Compare with holiday-calendar's data/CN/YYYY.json files."""
    ours = {(d, k) for d, k, _ in rows}
    theirs = set()
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        path = os.path.join(data_dir, f"{year}.json")
        if not os.path.exists(path):
            print(f"check: {path} missing", file=sys.stderr)
            continue
        with open(path, encoding="utf-8") as f:
            for entry in json.load(f)["dates"]:
                kind = {"public_holiday": "off", "transfer_workday": "work"}.get(entry["type"])
                if kind is None:
                    print(f"check: unknown type {entry}", file=sys.stderr)
                    continue
                theirs.add((entry["date"], kind))
    only_ours = sorted(ours - theirs)
    only_theirs = sorted(theirs - ours)
    print(f"check: {len(ours & theirs)} rows agree, {len(only_ours)} only in chinesecalendar, "
          f"{len(only_theirs)} only in holiday-calendar", file=sys.stderr)
    for d, k in only_ours:
        print(f"check: only chinesecalendar: {d} {k}", file=sys.stderr)
    for d, k in only_theirs:
        print(f"check: only holiday-calendar: {d} {k}", file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("package", nargs="?", help="chinesecalendar wheel or unpacked dir")
    ap.add_argument("--check-holiday-calendar", metavar="DIR",
                    help="holiday-calendar package's data/CN directory to compare with")
    args = ap.parse_args()

    chinese_calendar, constants = load_package(args.package)
    version = getattr(chinese_calendar, "__version__", "?")
    print(f"chinesecalendar {version} from {chinese_calendar.__file__}", file=sys.stderr)
    rows = rows_from_package(constants)
    years = {r[0][:4] for r in rows}
    missing = [y for y in range(FIRST_YEAR, LAST_YEAR + 1) if str(y) not in years]
    if missing:
        sys.exit(f"package has no data for {missing}")

    out = sys.stdout
    out.reconfigure(encoding="utf-8", newline="\n")
    out.write("date,kind,name\n")
    for row in rows:
        out.write(",".join(row) + "\n")

    if args.check_holiday_calendar:
        check_holiday_calendar(rows, args.check_holiday_calendar)


if __name__ == "__main__":
    main()
