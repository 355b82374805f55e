#!/usr/bin/env python3
"""Ratio summary of a bench/run.sh output: Latchkey against node-oidc-provider.

Usage: python3 bench/summarize.py bench/results/latest.txt

Reads the CSV and RSS lines (formats in bench/run.sh), prints per algorithm and connection count
Latchkey's tokens per server CPU-second divided by the peer's, and checks the targets:
RS256 >= 2x and ES256 >= 8x per core (1core cases), idle RSS <= 20 MiB.
"""

import sys

# (latchkey label, peer label, what, target ratio or None)
PAIRS = [
    ("latchkey-rs256-1core", "oidc-provider-jwt-1core", "RS256, 1 core", 2.0),
    ("latchkey-es256-1core", "oidc-provider-es256-1core", "ES256, 1 core", 8.0),
    ("latchkey-eddsa-1core", "oidc-provider-es256-1core", "EdDSA vs peer ES256, 1 core", None),
    ("latchkey-rs256-2w", "oidc-provider-jwt-2w", "RS256, 2 workers", None),
    ("latchkey-es256-2w", "oidc-provider-es256-2w", "ES256, 2 workers", None),
]
IDLE_RSS_TARGET_MIB = 20.0


def load(path):
    runs, rss = {}, {}
    with open(path) as f:
        for line in f:
            parts = line.strip().split(",")
            if parts[0] == "CSV" and len(parts) >= 12:
                label, conns = parts[1], int(parts[2])
                runs.setdefault(label, {})[conns] = {
                    "rps": float(parts[4]),
                    "p50": float(parts[5]),
                    "p99": float(parts[6]),
                    "non2xx": int(parts[8]),
                    "cpu": float(parts[9]),
                    "per_cpu": float(parts[10]),
                    "idle": parts[11],
                }
            elif parts[0] == "RSS" and len(parts) >= 4:
                rss[parts[1]] = {k: float(v) for k, v in (p.split("=") for p in parts[2:])}
    return runs, rss


def main():
    runs, rss = load(sys.argv[1] if len(sys.argv) > 1 else "bench/results/latest.txt")
    out = ["", "# Summary: Latchkey / node-oidc-provider, tokens per server CPU-second"]
    out.append("# %-30s %6s %12s %12s %7s %8s  %s" % (
        "case", "conns", "latchkey", "peer", "ratio", "target", "verdict"))
    for lk, peer, what, target in PAIRS:
        if lk not in runs or peer not in runs:
            continue
        best = None
        for conns in sorted(runs[lk]):
            if conns not in runs[peer]:
                continue
            a, b = runs[lk][conns]["per_cpu"], runs[peer][conns]["per_cpu"]
            ratio = a / b if b else float("nan")
            out.append("# %-30s %6d %12.0f %12.0f %6.2fx %8s" % (
                what, conns, a, b, ratio, "" if target is None else ">= %gx" % target))
        a = max(r["per_cpu"] for r in runs[lk].values())
        b = max(r["per_cpu"] for r in runs[peer].values())
        best = a / b if b else float("nan")
        verdict = ""
        if target is not None:
            verdict = "MET" if best >= target else "MISSED by %.0f%% (need %.0f/cpu-s)" % (
                100 * (1 - best / target), target * b)
        out.append("# %-30s %6s %12.0f %12.0f %6.2fx %8s  %s" % (
            what, "best", a, b, best, "" if target is None else ">= %gx" % target, verdict))
    for label, r in sorted(rss.items()):
        line = "# RSS %-26s idle %6.1f MiB, peak %6.1f MiB" % (label, r["idle_MiB"], r["peak_MiB"])
        if label.startswith("latchkey"):
            ok = r["idle_MiB"] <= IDLE_RSS_TARGET_MIB
            line += "  idle target <= %g MiB: %s" % (IDLE_RSS_TARGET_MIB, "MET" if ok else "MISSED")
        out.append(line)
    bad = [(l, c, r["non2xx"]) for l, cs in runs.items() for c, r in cs.items() if r["non2xx"]]
    for l, c, n in bad:
        out.append("# WARNING %s at %d conns: %d non-2xx responses" % (l, c, n))
    busy = [(l, c, r["idle"]) for l, cs in runs.items() for c, r in cs.items()
            if r["idle"] and r["idle"].rstrip("%").isdigit() and int(r["idle"].rstrip("%")) < 90]
    for l, c, i in busy:
        out.append("# WARNING %s at %d conns: machine only %s idle before the run" % (l, c, i))
    print("\n".join(out))


if __name__ == "__main__":
    main()
