#!/usr/bin/env python3
"""Independent summary of a training log for docs/log-benchmark-2.md: first, best and last of each
numeric column, split where epoch/step goes back (stdlib only, shares nothing with convdoc)."""
import csv, io, json, math, sys

def num(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None

def rows_from(path):
    raw = open(path, 'rb').read()
    txt = raw.decode('utf-8', 'replace')
    crs = raw.count(b'\r')
    print(f"bytes={len(raw)} CR={crs} lines={txt.count(chr(10))}")
    s = txt.lstrip()
    if s.startswith('{') and '"log_history"' in s:
        return json.loads(s)['log_history']
    if s.startswith('{'):
        out = []
        for line in s.splitlines():
            line = line.strip()
            if line:
                try:
                    out.append(json.loads(line))
                except Exception as e:
                    print('bad json line', line[:80])
        return out
    lines = txt.replace('\r', '').split('\n')
    return list(csv.DictReader(io.StringIO('\n'.join(lines))))

def segments(rows):
    key = next((k for k in ('epoch', 'step', 'iter', 'Epoch', 'global_step') if rows and k in rows[0]), None)
    if key is None:
        return [rows]
    segs, prev = [[]], None
    for r in rows:
        v = num(r.get(key))
        if v is not None and prev is not None and v < prev:
            segs.append([])
        if v is not None:
            prev = v
        segs[-1].append(r)
    return segs

def main(path):
    allrows = rows_from(path)
    segs = segments(allrows)
    print(f"segments={len(segs)} sizes={[len(x) for x in segs]}")
    for si, rows in enumerate(segs):
        if len(segs) > 1:
            print(f"--- segment {si}")
        summarize(rows)

def summarize(rows):
    cols = []
    for r in rows:
        for k in r:
            if k not in cols:
                cols.append(k)
    print(f"rows={len(rows)} cols={cols}")
    for c in cols:
        seq = [(i, num(r.get(c))) for i, r in enumerate(rows) if num(r.get(c)) is not None]
        if not seq:
            continue
        vals = [v for _, v in seq]
        nan = sum(1 for v in vals if math.isnan(v) or math.isinf(v))
        fin = [(i, v) for i, v in seq if not (math.isnan(v) or math.isinf(v))]
        if not fin:
            print(f"{c}: n={len(vals)} all non-finite"); continue
        lo = min(fin, key=lambda t: t[1]); hi = max(fin, key=lambda t: t[1])
        k = max(1, len(fin) // 10)
        tail = sum(v for _, v in fin[-k:]) / k
        print(f"{c}: n={len(vals)} nonfinite={nan} first={fin[0][1]:.5g} min={lo[1]:.5g}@row{lo[0]} max={hi[1]:.5g}@row{hi[0]} last={fin[-1][1]:.5g} mean_last10%={tail:.5g}")

for p in sys.argv[1:]:
    print('#####', p); main(p)
