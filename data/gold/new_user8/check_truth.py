import csv, os, re, sys
from collections import Counter
root = os.path.dirname(os.path.abspath(__file__))
ed = os.path.join(root, 'editorials')
# parse simple yaml
targets = {}; cur = None
for line in open(os.path.join(root, 'targets.yaml'), encoding='utf-8'):
    if not line.strip() or line.lstrip().startswith('#'): continue
    if not line.startswith(' '):
        cur = line.strip().rstrip(':'); targets[cur] = {}
    else:
        k, v = line.strip().split(':', 1); v = v.strip()
        if v.startswith('['):
            v = [x.strip().strip('"\'') for x in v.strip('[]').split(',') if x.strip()]
        targets[cur][k] = v
rows = list(csv.DictReader(open(os.path.join(root, 'truth.csv'), encoding='utf-8')))
probs = []
date_re = re.compile(r'^(\d{4})年(\d{1,2})月(\d{1,2})日$|^(\d{4})-(\d{2})-(\d{2}) \d{2}:\d{2}$')
months = {}
for r in rows:
    p = os.path.join(ed, r['file'])
    if not os.path.exists(p): probs.append(('missing', r['file'])); continue
    if r['target'] not in targets: probs.append(('bad target', r['file']))
    lines = open(p, encoding='utf-8').read().split('\n')
    while lines and lines[-1] == '': lines.pop()
    if not lines[0].strip(): probs.append(('no title', r['file']))
    m = date_re.match(lines[1])
    if not m: probs.append(('bad date', r['file'], lines[1]))
    else:
        g = [x for x in m.groups() if x]
        fd = os.path.basename(p)[:10]
        if '%s-%02d-%02d' % (g[0], int(g[1]), int(g[2])) != fd: probs.append(('date mismatch', r['file']))
        months.setdefault(r['file'].split('/')[0], set()).add(fd[:7])
    if lines[2] != '': probs.append(('line3 not blank', r['file']))
    paras = lines[3:]
    if not (3 <= len(paras) <= 6): probs.append(('para count', r['file'], len(paras)))
    for q in paras:
        if not q.startswith('\u3000') or q.startswith('\u3000\u3000'): probs.append(('para indent', r['file'], q[:10]))
    n = sum(len(q) for q in paras)
    r['len'] = n
    if not (400 <= n <= 650): probs.append(('length', r['file'], n))
    if r['kind'] == 'thesis_unnamed':
        txt = open(p, encoding='utf-8').read()
        for a in targets[r['target']]['aliases']:
            if a in txt: probs.append(('alias in unnamed', r['file'], a))
print('rows', len(rows), 'files on disk', sum(len(f) for _,_,f in os.walk(ed)))
print('labels', Counter(r['label'] for r in rows))
print('kinds', Counter(r['kind'] for r in rows))
print('target x label', sorted(Counter((r['target'], r['label']) for r in rows).items()))
print('paper x label', sorted(Counter((r['file'].split('/')[0], r['label']) for r in rows).items()))
print('paper x target', sorted(Counter((r['file'].split('/')[0], r['target']) for r in rows).items()))
print('kind x label', sorted(Counter((r['kind'], r['label']) for r in rows).items()))
print('months per paper', {k: len(v) for k, v in months.items()})
print('lengths min/max', min(r['len'] for r in rows), max(r['len'] for r in rows))
exp_k = dict(thesis_named=6, thesis_unnamed=8, concession=4, reported_then_verdict=4, rhetorical=4, hedged=3, reports_only=4, mixed=3)
if Counter(r['kind'] for r in rows) != exp_k: probs.append(('kind counts',))
if Counter(r['label'] for r in rows) != dict(FAVOR=13, AGAINST=13, NONE=10): probs.append(('label counts',))
for r in rows:
    if r['kind'] in ('reports_only', 'mixed') and r['label'] != 'NONE': probs.append(('kind/label', r['file']))
print('PROBLEMS', probs if probs else 'none')
for r in rows: print(r['len'], r['file'])
