#!/usr/bin/env python3
"""Fills a demo database (`suiji serve --demo` made it) with published results and open
inspections for the public results benchmark: N published results of task 1 and M open
inspections, half of them past their deadline. Rows are copies of the demo's own published
result, with their own USCCs and names.

    python3 bench/make_results.py sqlite:///tmp/x/suiji.db 200000 10000
    python3 bench/make_results.py postgres://postgres@127.0.0.1:5432/suiji_bench_results 200000 10000
"""
import csv, io, sqlite3, subprocess, sys

url, published, open_ = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])


def rows_of(sql):
    if url.startswith("sqlite://"):
        with sqlite3.connect(url[len("sqlite://"):]) as db:
            return db.execute(sql).fetchall()
    out = subprocess.run(["psql", url, "-AtF", "\t", "-c", sql], check=True, capture_output=True, text=True).stdout
    return [tuple(line.split("\t")) for line in out.splitlines()]


(content,), = rows_of("select content from publications order by id limit 1")
(first,), = rows_of("select coalesce(max(id), 0) + 1 from inspections")
first = int(first)
inspections, publications = [], []
for n in range(published + open_):
    iid = first + n
    uscc = f"91410307MB{n:08d}"[:18]
    name = f"公示测试第{n}号有限公司"
    if n < published:
        inspections.append((iid, 1, 1, n + 1000, uscc, name, "published", content, "", "2026-06-01", "inspector", "2026-06-01 08:00:00+00:00"))
        publications.append((first + n, iid, 1, uscc, name, content, "current", "", "inspector", "2026-06-01 08:00:00+00:00", "2026-06-01"))
    else:
        due = "2026-11-01" if n % 2 else "2027-01-15"
        inspections.append((iid, 1, 1, n + 1000, uscc, name, "assigned", None, None, due, None, None))

icols = "id,task_id,assignment_id,rank,uscc,target_name,status,form,review_comment,publish_by,updated_by,updated_at"
pcols = "id,inspection_id,version,uscc,target_name,content,status,reason,published_by,published_at,due_on"
if url.startswith("sqlite://"):
    with sqlite3.connect(url[len("sqlite://"):]) as db:
        db.executemany(f"insert into inspections ({icols}) values ({','.join('?' * 12)})", inspections)
        db.executemany(f"insert into publications ({pcols}) values ({','.join('?' * 11)})", publications)
        db.execute("analyze")
else:
    for table, cols, rows in (("inspections", icols, inspections), ("publications", pcols, publications)):
        buf = io.StringIO()
        csv.writer(buf).writerows(["\\N" if v is None else v for v in r] for r in rows)
        subprocess.run(["psql", url, "-qc", f"\\copy {table} ({cols}) from stdin (format csv, null '\\N')"],
                       input=buf.getvalue(), check=True, text=True)
    for table in ("inspections", "publications"):
        subprocess.run(["psql", url, "-qc", f"select setval(pg_get_serial_sequence('{table}', 'id'), (select max(id) from {table}))"], check=True, capture_output=True)
    subprocess.run(["psql", url, "-qc", "analyze"], check=True)
print(f"{published} published results and {open_} open inspections added")
