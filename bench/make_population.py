#!/usr/bin/env python3
"""Writes a benchmark population: ROWS rows of id,weight,stratum in random order.

    python3 bench/make_population.py ROWS OUT.csv

Ids are 18-character USCC-shaped codes (unique, random); weights 1/2/4 for credit grades
A/B/C in proportions 60/30/10 (≈1.6 tickets a row); strata are the scales 大型/中型/小型/微型.
Deterministic: the same ROWS give the same file.
"""
import random
import sys

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
REGIONS = ["410307", "410421", "411722", "150802", "410302", "410311"]


def main():
    rows, out = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(rows)
    seen = set()
    weights = rng.choices([1, 2, 4], weights=[6, 3, 1], k=rows)
    strata = rng.choices(["大型", "中型", "小型", "微型"], weights=[1, 3, 6, 4], k=rows)
    with open(out, "w", encoding="utf-8", newline="") as f:
        f.write("id,weight,stratum\n")
        buf = []
        for n in range(rows):
            while True:
                code = rng.choice("9955") + rng.choice("123") + rng.choice(REGIONS) + "".join(rng.choices(ALPHABET, k=10))
                if code not in seen:
                    seen.add(code)
                    break
            buf.append(f"{code},{weights[n]},{strata[n]}\n")
            if len(buf) >= 100_000:
                f.write("".join(buf))
                buf.clear()
        f.write("".join(buf))


if __name__ == "__main__":
    main()
