#!/usr/bin/env python3
"""suiji-draw/1 computed with the public consistent_sampler package, independent of suiji.

    pip install consistent-sampler==1.0.10
    python3 bench/reference_draw.py POPULATION.csv SEED (--size K | --ratio-bp R | --quota S=Q ...) [--reserve N]

Prints the draw document (the protocol's JSON). It drives the package the way
docs/draw-protocol.md describes: every entity of weight w gets the ticket names id, id#2 ... id#w;
`sampler(names, seed=S)` yields names by ascending ticket, and the first name of each entity
seen gives its place in the ranking. The benchmark runs this side by side with `suiji draw`,
and CI checks that both print the same document.
"""
import argparse
import csv
import hashlib
import json
import math
import sys

from consistent_sampler import sampler


def read_population(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    return [(r["id"], int(r.get("weight") or 1), r.get("stratum") or "") for r in rows]


def population_sha256(population):
    lines = sorted(f"{i}\t{w}\t{s}\n" for i, w, s in population)
    return hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()


def ranking(population, seed):
    """Yields (ticket, ticket_name, id, stratum) per entity, in ranking order."""
    owner = {}
    for i, w, s in population:
        for k in range(1, w + 1):
            owner[i if k == 1 else f"{i}#{k}"] = (i, s)
    seen = set()
    # digits=100 keeps the whole ticket (the package trims it for display by default).
    for ticket, name, _generation in sampler(list(owner), seed=seed, digits=100):
        i, s = owner[name]
        if i not in seen:
            seen.add(i)
            yield ticket, name, i, s


def draw(population, seed, rule, reserve):
    n = len(population)
    if "quotas" in rule:
        left = dict(rule["quotas"])
        wanted = sum(left.values())
    else:
        wanted = rule.get("size") or math.ceil(n * rule["ratio_bp"] / 10000)
    selected, others = [], []
    for ticket, name, i, s in ranking(population, seed):
        entry = {"id": i, "ticket": ticket, "ticket_name": name, "stratum": s}
        if len(selected) < wanted and ("quotas" not in rule or left.get(s, 0) > 0):
            selected.append(entry)
            if "quotas" in rule:
                left[s] -= 1
        else:
            others.append(entry)
        if len(selected) == wanted and len(others) >= reserve:
            break
    for rank, entry in enumerate(selected + others[:reserve], start=1):
        entry["rank"] = rank
    document = {
        "protocol": "suiji-draw/1",
        "seed": seed,
        "population_sha256": population_sha256(population),
        "population_size": n,
        "rule": rule,
        "selected": selected,
    }
    if reserve:
        document["reserve"] = others[:reserve]
    return document


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("population")
    p.add_argument("seed")
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--size", type=int)
    g.add_argument("--ratio-bp", type=int)
    g.add_argument("--quota", action="append", metavar="STRATUM=Q")
    p.add_argument("--reserve", type=int, default=0)
    a = p.parse_args()
    if a.size is not None:
        rule = {"size": a.size}
    elif a.ratio_bp is not None:
        rule = {"ratio_bp": a.ratio_bp}
    else:
        rule = {"quotas": {q.rsplit("=", 1)[0]: int(q.rsplit("=", 1)[1]) for q in a.quota}}
    json.dump(draw(read_population(a.population), a.seed, rule, a.reserve), sys.stdout, ensure_ascii=False, indent=2)
    print()


if __name__ == "__main__":
    main()
