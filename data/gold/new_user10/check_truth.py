#!/usr/bin/env python3
"""Stdlib-only consistency check for the new_user10 planted-stance corpus.

Checks for every row of truth.csv:
  * the file exists under editorials/ and is UTF-8;
  * 3-line header: headline, date, blank line; the date matches the file name
    and the paper's own date format;
  * every body line is a paragraph starting with U+3000 (ideographic space), 4-5 paragraphs;
  * body length 400-650 characters (newlines and the leading U+3000 not counted);
  * label / kind / target values are valid; every editorial file is listed.
Prints counts by label, target, kind, paper, and alias mentions per editorial.
"""
import csv
import os
import re
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
ED = os.path.join(HERE, "editorials")
LABELS = {"FAVOR", "AGAINST", "NONE"}
KINDS = {"thesis_named", "thesis_unnamed", "support_with_caveats",
         "opposition_with_concession", "reported_then_verdict", "rhetorical",
         "hedged", "reports_only", "other_issue", "undecided"}
HEADLINE = {"tokiwa": r"^【主張】.+", "sanga": r"^＜社説＞.+", "toyo_sangyo": r"^[^【＜].+"}


def date_line(paper, y, m, d):
    y, m, d = int(y), int(m), int(d)
    if paper == "tokiwa":
        return [f"{y}年{m}月{d}日"]
    if paper == "sanga":
        return [f"{y:04d}-{m:02d}-{d:02d}"]
    return [f"{y}年{m}月{d}日 5時00分"]


def read_targets():
    targets, cur = {}, None
    with open(os.path.join(HERE, "targets.yaml"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            if not line.startswith(" ") and line.rstrip().endswith(":"):
                cur = line.strip()[:-1]
                targets[cur] = []
            elif line.strip().startswith("aliases:"):
                inner = line.split("[", 1)[1].rsplit("]", 1)[0]
                targets[cur] = [a.strip() for a in inner.split(",")]
    return targets


def main():
    problems = []
    targets = read_targets()
    if len(targets) != 4:
        problems.append(f"targets.yaml: expected 4 targets, got {len(targets)}")
    rows = list(csv.DictReader(open(os.path.join(HERE, "truth.csv"), encoding="utf-8")))
    seen = set()
    lab, tgt, knd, pap = Counter(), Counter(), Counter(), Counter()
    tl, pl = Counter(), Counter()
    lengths, sparse = [], []
    for r in rows:
        fn = r["file"]
        if fn in seen:
            problems.append(f"{fn}: duplicate row")
        seen.add(fn)
        paper = fn.split("/")[0]
        if r["label"] not in LABELS:
            problems.append(f"{fn}: bad label {r['label']}")
        if r["kind"] not in KINDS:
            problems.append(f"{fn}: bad kind {r['kind']}")
        if r["target"] not in targets:
            problems.append(f"{fn}: unknown target {r['target']}")
        lab[r["label"]] += 1; tgt[r["target"]] += 1; knd[r["kind"]] += 1; pap[paper] += 1
        tl[(r["target"], r["label"])] += 1; pl[(paper, r["label"])] += 1
        path = os.path.join(ED, fn)
        if not os.path.isfile(path):
            problems.append(f"{fn}: missing file")
            continue
        try:
            text = open(path, encoding="utf-8").read()
        except UnicodeDecodeError:
            problems.append(f"{fn}: not UTF-8")
            continue
        lines = text.rstrip("\n").split("\n")
        m = re.match(r"^(\d{4})-(\d{2})-(\d{2})_[a-z0-9_]+\.txt$", os.path.basename(fn))
        if not m:
            problems.append(f"{fn}: bad file name")
            continue
        if len(lines) < 4:
            problems.append(f"{fn}: too short")
            continue
        if not re.match(HEADLINE.get(paper, ".+"), lines[0]):
            problems.append(f"{fn}: headline style wrong: {lines[0]}")
        if lines[1] not in date_line(paper, *m.groups()):
            problems.append(f"{fn}: date line {lines[1]!r} != {date_line(paper, *m.groups())}")
        if lines[2] != "":
            problems.append(f"{fn}: line 3 not blank")
        body = lines[3:]
        for i, p in enumerate(body, 4):
            if not p.startswith("\u3000") or p.startswith("\u3000\u3000") or len(p) < 2:
                problems.append(f"{fn}: line {i} not a U+3000-indented paragraph")
        if not 4 <= len(body) <= 5:
            problems.append(f"{fn}: {len(body)} paragraphs (want 4-5)")
        n = sum(len(p.lstrip("\u3000")) for p in body)
        lengths.append(n)
        if not 400 <= n <= 650:
            problems.append(f"{fn}: body length {n} outside 400-650")
        full = "\n".join([lines[0]] + body)
        names = [r["target"]] + targets.get(r["target"], [])
        hits = sum(full.count(a) for a in names)
        if hits <= 1:
            sparse.append(fn)
    on_disk = set()
    for paper in os.listdir(ED):
        for f in os.listdir(os.path.join(ED, paper)):
            on_disk.add(f"{paper}/{f}")
    for f in sorted(on_disk - seen):
        problems.append(f"{f}: file not in truth.csv")

    print(f"rows: {len(rows)}")
    print("by label :", dict(sorted(lab.items())))
    print("by paper :", dict(sorted(pap.items())))
    print("by target:")
    for t in targets:
        print(f"  {t}: {tgt[t]}  (FAVOR {tl[(t,'FAVOR')]}, AGAINST {tl[(t,'AGAINST')]}, NONE {tl[(t,'NONE')]})")
    print("paper x label:")
    for p in sorted(pap):
        print(f"  {p}: FAVOR {pl[(p,'FAVOR')]}, AGAINST {pl[(p,'AGAINST')]}, NONE {pl[(p,'NONE')]}")
    print("by kind  :", dict(sorted(knd.items())))
    if lengths:
        print(f"body length: min {min(lengths)}, max {max(lengths)}, mean {sum(lengths)/len(lengths):.0f}")
    print(f"editorials naming the target (name or alias, headline included) at most once: {len(sparse)}")
    if problems:
        print(f"\nPROBLEMS ({len(problems)}):")
        for p in problems:
            print("  " + p)
        return 1
    print("\nOK: no problems found")
    return 0


if __name__ == "__main__":
    sys.exit(main())
