#!/usr/bin/env python3
"""Writes a targets CSV of N rows with valid USCCs (GB 32100-2015 check characters), codes
from the built-in region table and plausible values in every column, for the import benchmark.

    python3 bench/make_targets.py 1000000 > bench/data/targets-1m.csv
"""
import csv
import random
import sys

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def uscc(body):
    total = sum(ALPHABET.index(c) * w for c, w in zip(body, WEIGHTS))
    return body + ALPHABET[(31 - total % 31) % 31]


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    rng = random.Random(20261123)
    with open("crates/domain/data/regions.csv", encoding="utf-8") as f:
        counties = [r["code"] for r in csv.DictReader(f) if r["code"].startswith(("41", "15")) and not r["code"].endswith("00")]
    industries = ["C3411", "C1811", "E4790", "F5191", "H6210", "C13", "G5810", "I6513"]
    kinds = ["有限责任公司", "个体工商户", "股份有限公司", "个人独资企业"]
    scales = ["大型", "中型", "小型", "微型"]
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["统一社会信用代码", "名称", "类型", "规模", "行业代码", "区划代码", "地址", "法定代表人", "职工人数", "诚信等级", "风险分类", "状态"])
    for i in range(n):
        region = rng.choice(counties)
        body = f"91{region}MA{i:07d}"
        out.writerow([
            uscc(body),
            f"测试第{i}号有限公司",
            rng.choice(kinds),
            rng.choice(scales),
            rng.choice(industries),
            region,
            f"某路{rng.randrange(1, 999)}号",
            "张三",
            rng.randrange(1, 5000),
            rng.choice("ABC"),
            rng.choice("ABCD"),
            "正常",
        ])


if __name__ == "__main__":
    main()
