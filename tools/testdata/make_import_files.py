#!/usr/bin/env python3
"""Writes the import test files in crates/suiji/tests/data/import/, made by programs other
than suiji: Python's own codecs for the GB18030 CSV, openpyxl (pip install openpyxl==3.1.5)
for the workbook. The files are committed; run this only to change them.

    python3 tools/testdata/make_import_files.py crates/suiji/tests/data/import
"""
import datetime
import os
import sys

import openpyxl

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def uscc(body):
    """A USCC with its GB 32100-2015 check character."""
    total = sum(ALPHABET.index(c) * w for c, w in zip(body, WEIGHTS))
    return body + ALPHABET[(31 - total % 31) % 31]


def full_width(s):
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in s)


A = uscc("91410307MA0000001")
B = uscc("91410307MA0000002")
C = uscc("92410421MA0000003")
D = uscc("91150802MA0000004")
E = uscc("91411722MA0000005")


def wrong_check(code):
    right = code[17]
    return code[:17] + ("1" if right == "0" else "0")


def main(out):
    os.makedirs(out, exist_ok=True)
    # Excel on Chinese Windows: GB18030 (GBK), CRLF, a blank line, padded and full-width cells.
    gb = [
        "统一社会信用代码,名称,规模,行业代码,区划代码,职工人数,诚信等级,风险分类",
        f"{A},洛阳市偃师区甲机械有限公司,小型,C3411,410307,86,A,B",
        "",
        f"  {full_width(B)}  ,偃师区乙服装厂　,{full_width('中型')},1810,{full_width('410307')},\"1,200\",ｂ,A",
        f"{C},宝丰县丙建筑劳务有限公司 ,微型,E4790,410421,12,C,D",
    ]
    with open(os.path.join(out, "targets-gb18030.csv"), "wb") as f:
        f.write("\r\n".join(gb).encode("gb18030") + b"\r\n")

    # A workbook written by openpyxl: numbers as numbers, a real date, two sheets.
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "检查对象"
    sheet.append(["序号", "统一社会信用代码", "名称", "区划代码", "职工人数", "状态"])
    sheet.append([1, D, "临河区丁食品有限公司", 150802, 45, "正常"])
    sheet.append([2, E, "上蔡县戊纺织厂", 411722, 300.0, None])
    people = book.create_sheet("执法人员")
    people.append(["执法证号", "姓名", "性别", "单位", "证件有效期至", "状态"])
    people.append(["豫人社0101", "王一", "男", "劳动保障监察大队", datetime.date(2027, 12, 31), "在岗"])
    people.append(["豫人社0102", "李二", "女", "社会保险科", datetime.datetime(2026, 6, 30), "在岗"])
    people["E3"].number_format = "yyyy-mm-dd"
    book.save(os.path.join(out, "directory-openpyxl.xlsx"))

    # Every kind of problem, each with its exact expected report.
    bad = [
        "统一社会信用代码,名称,规模,区划代码",
        f"{A},甲,小型,410307",
        "",
        f"{wrong_check(B)},乙,中型,410307",
        f"{full_width(A)},甲（重复）,小型,410307",
        f"{C}   ,丙,巨型,419999",
        ",无代码,,",
        f"{D[:17]},短代码,,150802",
    ]
    with open(os.path.join(out, "targets-bad.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("\n".join(bad) + "\n")
    with open(os.path.join(out, "codes.txt"), "w", encoding="utf-8") as f:
        f.write(f"A={A}\nB={B}\nC={C}\nD={D}\nE={E}\nB_WRONG={wrong_check(B)}\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "crates/suiji/tests/data/import")
