#!/usr/bin/env python3
"""Stdlib-only consistency check for the new_user9 gold set.

Checks, for every row of truth.csv:
  * the file exists under editorials/ and is UTF-8;
  * line 1 is a non-empty headline in the paper's style, line 2 a date in the
    paper's format that matches the YYYY-MM-DD in the file name, line 3 blank;
  * every body line is a paragraph starting with U+3000 (no blank lines), 4-5 paragraphs;
  * body length 400-650 characters (U+3000 indents and newlines not counted);
  * label / kind / target are valid, and NONE <-> NONE-kinds are consistent.
Also: no editorial file is missing from truth.csv, and prints counts.
Alias mentions (target name + aliases from targets.yaml, headline + body) are
counted so a checker can see how many editorials name the target at most once.
Run:  python3 check_truth.py
"""
import csv
import os
import re
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
ED = os.path.join(HERE, "editorials")
LABELS = {"FAVOR", "AGAINST", "NONE"}
STANCE_KINDS = {"thesis_named", "thesis_unnamed", "support_with_caveats",
                "opposition_with_concession", "reported_then_verdict",
                "rhetorical", "hedged"}
NONE_KINDS = {"reports_only", "other_issue", "undecided"}

PAPERS = {
    # dir: (headline regex, date format function)
    "gyoko": (r"^【社説】\S", lambda y, m, d: f"{int(y)}年{int(m)}月{int(d)}日"),
    "hokushin": (r"^社説：\S", lambda y, m, d: f"{y}-{m}-{d} 05:00"),
    "shoko": (r"^(?!【社説】|社説：)\S", lambda y, m, d: f"{y}/{m}/{d}"),
}


def read_targets(path):
    """Minimal parser for the simple targets.yaml used here."""
    targets = {}
    cur = None
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            if not line.startswith(" ") and line.rstrip().endswith(":"):
                cur = line.rstrip()[:-1].strip()
                targets[cur] = {"description": "", "aliases": []}
            elif cur and line.strip().startswith("description:"):
                targets[cur]["description"] = line.split(":", 1)[1].strip()
            elif cur and line.strip().startswith("aliases:"):
                inner = line.split(":", 1)[1].strip().strip("[]")
                targets[cur]["aliases"] = [a.strip() for a in inner.split(",") if a.strip()]
    return targets


def main():
    problems = []
    targets = read_targets(os.path.join(HERE, "targets.yaml"))
    if len(targets) != 4:
        problems.append(f"targets.yaml: expected 4 targets, found {len(targets)}")
    for t, v in targets.items():
        if len(v["aliases"]) != 3:
            problems.append(f"targets.yaml: {t} has {len(v['aliases'])} aliases")
        if "FAVOR" not in v["description"]:
            problems.append(f"targets.yaml: {t} description does not define FAVOR")

    with open(os.path.join(HERE, "truth.csv"), encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    if rows and list(rows[0].keys()) != ["file", "target", "label", "kind"]:
        problems.append(f"truth.csv: bad columns {list(rows[0].keys())}")

    c_label, c_kind, c_target, c_paper = Counter(), Counter(), Counter(), Counter()
    c_tl, c_pl, c_kl = Counter(), Counter(), Counter()
    lengths = []
    sparse = []  # (file, mentions) with <= 1 mention
    seen = set()

    for r in rows:
        fn, tgt, lab, kind = r["file"], r["target"], r["label"], r["kind"]
        if fn in seen:
            problems.append(f"{fn}: duplicated in truth.csv")
        seen.add(fn)
        if lab not in LABELS:
            problems.append(f"{fn}: bad label {lab}")
        if kind not in STANCE_KINDS | NONE_KINDS:
            problems.append(f"{fn}: bad kind {kind}")
        elif (lab == "NONE") != (kind in NONE_KINDS):
            problems.append(f"{fn}: label {lab} inconsistent with kind {kind}")
        if tgt not in targets:
            problems.append(f"{fn}: unknown target {tgt}")
        paper = fn.split("/")[0]
        c_label[lab] += 1; c_kind[kind] += 1; c_target[tgt] += 1; c_paper[paper] += 1
        c_tl[(tgt, lab)] += 1; c_pl[(paper, lab)] += 1; c_kl[(kind, lab)] += 1

        path = os.path.join(ED, fn)
        if not os.path.isfile(path):
            problems.append(f"{fn}: file missing")
            continue
        try:
            text = open(path, encoding="utf-8").read()
        except UnicodeDecodeError:
            problems.append(f"{fn}: not UTF-8")
            continue
        if "\r" in text:
            problems.append(f"{fn}: contains CR characters")
        lines = text.rstrip("\n").split("\n")
        if len(lines) < 4:
            problems.append(f"{fn}: too few lines")
            continue
        m = re.match(r"^(\d{4})-(\d{2})-(\d{2})_[a-z0-9-]+\.txt$", os.path.basename(fn))
        if not m:
            problems.append(f"{fn}: file name not <YYYY-MM-DD>_<ascii-slug>.txt")
            continue
        if paper not in PAPERS:
            problems.append(f"{fn}: unknown paper dir {paper}")
            continue
        head_re, datefmt = PAPERS[paper]
        if not lines[0].strip() or not re.match(head_re, lines[0]):
            problems.append(f"{fn}: headline not in {paper} style: {lines[0]!r}")
        want = datefmt(*m.groups())
        if lines[1] != want:
            problems.append(f"{fn}: date line {lines[1]!r} != {want!r}")
        if lines[2] != "":
            problems.append(f"{fn}: line 3 not blank")
        body = lines[3:]
        for i, ln in enumerate(body, start=4):
            if not ln.startswith("\u3000") or ln.startswith("\u3000\u3000") or len(ln.strip()) == 0:
                problems.append(f"{fn}: line {i} not a U+3000-indented paragraph")
        if not 4 <= len(body) <= 5:
            problems.append(f"{fn}: {len(body)} paragraphs (want 4-5)")
        n = sum(len(ln.replace("\u3000", "")) for ln in body)
        lengths.append(n)
        if not 400 <= n <= 650:
            problems.append(f"{fn}: body length {n} (want 400-650)")
        if tgt in targets:
            names = [tgt] + targets[tgt]["aliases"]
            # count non-overlapping occurrences, longest names first
            s = lines[0] + "\n" + "\n".join(body)
            cnt = 0
            for name in sorted(names, key=len, reverse=True):
                cnt += s.count(name)
                s = s.replace(name, "\0")
            if cnt <= 1:
                sparse.append((fn, lab, cnt))

    on_disk = set()
    for root, _, files in os.walk(ED):
        for x in files:
            on_disk.add(os.path.relpath(os.path.join(root, x), ED).replace(os.sep, "/"))
    for x in sorted(on_disk - seen):
        problems.append(f"{x}: on disk but not in truth.csv")

    print(f"editorials: {len(rows)}")
    print("label:", dict(sorted(c_label.items())))
    print("paper:", dict(sorted(c_paper.items())))
    print("target:")
    for t in targets:
        print(f"  {t}: {c_target[t]}  " + " ".join(f"{l}={c_tl[(t, l)]}" for l in ("FAVOR", "AGAINST", "NONE")))
    print("paper x label:")
    for p in sorted(c_paper):
        print(f"  {p}: " + " ".join(f"{l}={c_pl[(p, l)]}" for l in ("FAVOR", "AGAINST", "NONE")))
    print("kind:", ", ".join(f"{k}={c_kind[k]}" for k in sorted(c_kind)))
    if lengths:
        print(f"body length: min {min(lengths)}, max {max(lengths)}, mean {sum(lengths)/len(lengths):.0f}")
    print(f"editorials naming the target (name/alias, headline+body) at most once: {len(sparse)} "
          f"(FAVOR/AGAINST among them: {sum(1 for _, l, _ in sparse if l != 'NONE')})")
    if problems:
        print(f"\nPROBLEMS ({len(problems)}):")
        for p in problems:
            print("  " + p)
        sys.exit(1)
    print("\nOK: no problems found")


if __name__ == "__main__":
    main()
