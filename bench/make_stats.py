#!/usr/bin/env python3
"""Fills a store (the demo bureau plus a million imported targets) with a province's year of
random inspections for the statistics benchmark: 50 tasks of 10 departments, each drawing 4,000
firms (200,000 draw entries), 200,000 completed inspections of two members each (10,000
inspectors), their items' verdicts, some 36,000 rectifications (the corrected ones), 2,000 penalties with their notices.
Rows copy the demo's own task and draw, with their own ids; figures vary by a fixed seed.

    python3 bench/make_stats.py sqlite:///tmp/x/suiji.db
    python3 bench/make_stats.py postgres://postgres@127.0.0.1:5432/suiji_bench_stats
"""
import csv, datetime, io, json, random, sqlite3, subprocess, sys

url = sys.argv[1]
TASKS, PER_TASK, INSPECTORS = 50, 4000, 10000
DEPARTMENTS = ["劳动保障监察大队", "社会保险科", "就业促进科", "人力资源市场科", "工资福利科",
               "职业能力建设科", "劳动关系科", "养老保险科", "工伤保险科", "失业保险科"]
CONCLUSIONS = ["no_problem"] * 70 + ["corrected"] * 18 + ["pending_handling"] * 6 + ["unreachable"] * 3 + \
              ["no_activity"] * 2 + ["non_cooperation"]
rng = random.Random(20261207)


def query(sql):
    if url.startswith("sqlite://"):
        with sqlite3.connect(url[len("sqlite://"):]) as db:
            cur = db.execute(sql)
            return [d[0] for d in cur.description], cur.fetchall()
    out = subprocess.run(["psql", url, "-AtF", "\t", "-c", sql], check=True, capture_output=True, text=True).stdout
    return None, [tuple(line.split("\t")) for line in out.splitlines()]


def insert(table, cols, rows):
    if url.startswith("sqlite://"):
        with sqlite3.connect(url[len("sqlite://"):]) as db:
            db.executemany(f"insert into {table} ({','.join(cols)}) values ({','.join('?' * len(cols))})", rows)
        return
    buf = io.StringIO()
    csv.writer(buf).writerows(["\\N" if v is None else v for v in r] for r in rows)
    subprocess.run(["psql", url, "-qc", f"\\copy {table} ({','.join(cols)}) from stdin (format csv, null '\\N')"],
                   input=buf.getvalue(), check=True, text=True)


def next_id(table):
    _, rows = query(f"select coalesce(max(id), 0) + 1 from {table}")
    return int(rows[0][0])


task_cols = ["id", "code", "year", "title", "kind", "definition", "status", "created_by", "created_at", "updated_at",
             "published_at", "population_sha256", "population_size", "department"]
_, rows = query("select definition, population_sha256 from tasks where id = 1")
definition, sha = rows[0]
draw_cols = ["id", "task_id", "seed", "seed_source", "contributions", "document", "status", "drawn_by", "drawn_at"]
_, rows = query("select seed, seed_source, contributions, document from draws where id = 1")
seed, source, contributions, document = rows[0]
_, rows = query("select uscc, name from targets where status = 'active'")
firms = rows
print(f"{len(firms)} active firms")

first_task, first_draw, first_inspection = next_id("tasks"), next_id("draws"), next_id("inspections")
first_rect, first_penalty = next_id("rectifications"), next_id("penalties")
tasks, draws, entries, inspections, members, verdicts, rects, penalties, notices = ([] for _ in range(9))
year_start = datetime.date(2026, 1, 1)
iid = first_inspection
for t in range(TASKS):
    tid, did = first_task + t, first_draw + t
    department = DEPARTMENTS[t % len(DEPARTMENTS)]
    d = json.loads(definition)
    d["departments"] = [department]
    d["title"] = f"2026年第{t + 1}项抽查"
    drawn = year_start + datetime.timedelta(days=7 * (t % 40))
    at = f"{drawn.isoformat()} 01:00:00+00:00"
    tasks.append((tid, f"T-2026-B{t + 1:03d}", 2026, d["title"], "random", json.dumps(d, ensure_ascii=False), "assigned",
                  "bench", at, at, at, sha, 1_000_000, department))
    draws.append((did, tid, f"{seed}/{t}", source, contributions, document, "valid", "bench", at))
    for rank, (uscc, name) in enumerate(rng.sample(firms, PER_TASK), 1):
        entries.append((did, tid, 2026, rank, uscc, "", "selected", True))
        ended = drawn + datetime.timedelta(days=rng.randint(5, 60))
        published = ended + datetime.timedelta(days=rng.randint(1, 35))
        due = ended + datetime.timedelta(days=28)
        conclusion = rng.choice(CONCLUSIONS)
        referred = conclusion == "pending_handling" and rng.random() < 0.5
        status = "published" if rng.random() < 0.98 else "withheld"
        inspections.append((iid, tid, 1, rank, uscc, name, status, "{}", due.isoformat(), "bench", at, conclusion,
                            ended.isoformat(), published.isoformat() if status == "published" else None, referred))
        for position, cert in enumerate(rng.sample(range(INSPECTORS), 2)):
            members.append((iid, f"省人社监{cert:05d}", f"检查员{cert:05d}", position))
        verdict = {"no_problem": "compliant", "unreachable": "not_checked", "no_activity": "not_checked"}.get(conclusion, "non_compliant")
        verdicts.append((iid, "RS-001", verdict))
        if conclusion == "corrected":
            rid = first_rect + len(rects)
            state = rng.choice(["rectified"] * 6 + ["open"] * 3 + ["escalated"])
            rects.append((rid, iid, tid, uscc, name, ended.isoformat(), (ended + datetime.timedelta(days=15)).isoformat(),
                          state, at, at, "bench"))
            if len(penalties) < 2000 and rng.random() < 0.12:
                pid = first_penalty + len(penalties)
                decided = ended + datetime.timedelta(days=20)
                penalties.append((pid, iid, tid, uscc, name, "general", f"省人社罚〔2026〕{pid}号", decided.isoformat(),
                                  "事实", "依据", "罚款", (decided + datetime.timedelta(days=9)).isoformat(), "published",
                                  at, "bench", at, "bench"))
                shown = decided + datetime.timedelta(days=rng.randint(1, 12))
                notices.append((pid, 1, uscc, name, "{}", "current", "", "bench", f"{shown.isoformat()} 02:00:00+00:00"))
        iid += 1

insert("tasks", task_cols, tasks)
insert("draws", draw_cols, draws)
insert("draw_entries", ["draw_id", "task_id", "year", "rank", "uscc", "stratum", "state", "counts_to_cap"], entries)
insert("inspections", ["id", "task_id", "assignment_id", "rank", "uscc", "target_name", "status", "form", "publish_by",
                       "updated_by", "updated_at", "conclusion", "ended_on", "published_on", "referred"], inspections)
insert("inspection_members", ["inspection_id", "cert_no", "name", "position"], members)
insert("inspection_verdicts", ["inspection_id", "item", "verdict"], verdicts)
insert("rectifications", ["id", "inspection_id", "task_id", "uscc", "target_name", "ordered_on", "deadline", "status",
                          "created_at", "updated_at", "updated_by"], rects)
insert("penalties", ["id", "inspection_id", "task_id", "uscc", "target_name", "procedure", "decision_no", "decided_on",
                     "facts", "basis", "penalty", "due_on", "status", "created_at", "created_by", "updated_at",
                     "updated_by"], penalties)
insert("penalty_notices", ["penalty_id", "version", "uscc", "target_name", "content", "status", "reason", "published_by", "published_at"], notices)
if url.startswith("sqlite://"):
    with sqlite3.connect(url[len("sqlite://"):]) as db:
        db.execute("analyze")
else:
    for table in ("tasks", "draws", "inspections", "rectifications", "penalties", "inspection_verdicts", "penalty_notices"):
        subprocess.run(["psql", url, "-qc", f"select setval(pg_get_serial_sequence('{table}', 'id'), (select max(id) from {table}))"],
                       check=True, capture_output=True)
    subprocess.run(["psql", url, "-qc", "analyze"], check=True)
print(f"{len(tasks)} tasks, {len(entries)} draw entries, {len(inspections)} inspections, {len(members)} members, "
      f"{len(rects)} rectifications, {len(penalties)} penalties added")
