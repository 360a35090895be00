#!/usr/bin/env python3
"""Scores convdoc analyze on a held-out log set (docs/log-benchmark-5.md): runs
`node bin/convdoc.js analyze <log> --format json` on each file of a verdicts JSON and applies the
agreement rules fixed before the run. Usage: python3 bench/score-log-set.py bench/logs/set5-verdicts.json"""
import json, subprocess, sys, collections

# verdict -> symptom ids whose CRITICAL finding names the same problem (docs/log-benchmark-2.md rules)
CRITICAL = {
    'overfitting': {'overfitting'},
    'diverging': {'lr-too-high', 'nan-loss', 'exploding-gradients'},
    'plateau-or-stuck': {'plateau', 'lr-too-low'},
    'frozen': {'plateau'},
    'unstable-spikes': {'lr-too-high', 'oscillating-loss', 'exploding-gradients'},
}
# set 4's added rule: an lr-too-high WARNING counts for unstable-spikes
WARNING_OK = {'unstable-spikes': {'lr-too-high'}}

def judge(verdict, code, findings):
    # "a|b": either verdict agrees (sets 1-2 transcribed: set 1's "unhealthy", set 2's "frozen or stuck")
    if '|' in verdict:
        return any(judge(v, code, findings) for v in verdict.split('|'))
    if verdict == 'not-a-log':
        return code == 2
    if code == 2:
        return False
    sev = [(f.get('symptom'), f.get('severity')) for f in findings]
    if verdict == 'healthy':
        return not any(s in ('warning', 'critical') for _, s in sev)
    crit = {s for s, v in sev if v == 'critical'}
    warn = {s for s, v in sev if v == 'warning'}
    return bool(crit & CRITICAL[verdict]) or bool(warn & WARNING_OK.get(verdict, set()))

def main(path):
    verdicts = json.load(open(path))['verdicts']
    agree, crashes, by = 0, 0, collections.defaultdict(lambda: [0, 0])
    for name, verdict in verdicts.items():
        p = subprocess.run(['node', 'bin/convdoc.js', 'analyze', 'bench/logs/' + name, '--format', 'json'],
                           capture_output=True, text=True)
        crash = p.returncode not in (0, 1, 2) or '\n    at ' in p.stderr
        crashes += crash
        findings = json.loads(p.stdout).get('findings', []) if p.returncode in (0, 1) and p.stdout else []
        ok = judge(verdict, p.returncode, findings) and not crash
        agree += ok
        by[verdict][0] += ok
        by[verdict][1] += 1
        got = ', '.join(f"{f.get('symptom')}:{f.get('severity')}" for f in findings) or '-'
        err = p.stderr.strip().splitlines()[0][:100] if p.returncode == 2 and p.stderr.strip() else ''
        print(f"{name}\t{verdict}\texit {p.returncode}\t{got}{' ' + err if err else ''}\t{'yes' if ok else 'NO'}{' CRASH' if crash else ''}")
    n = len(verdicts)
    print(f"agreement {agree}/{n} ({100 * agree / n:.0f}%), crashes {crashes}")
    print('by verdict: ' + ', '.join(f"{v} {a}/{t}" for v, (a, t) in sorted(by.items())))

main(sys.argv[1])
