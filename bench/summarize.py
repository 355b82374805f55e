#!/usr/bin/env python3
"""Ratio summary of a bench/run.sh output: Latchkey against node-oidc-provider.

Usage: python3 bench/summarize.py bench/results/latest.txt [--markdown]
(--markdown prints the per-case table, medians over the rounds, for BENCHMARKS.md instead)

Reads the CSV and RSS lines (formats in bench/run.sh). For each algorithm and connection count it
divides Latchkey's tokens per server CPU-second by the peer's measured in the same round (the two
run back to back), and gives the median over the rounds with the range. The "best" row divides
each server's best figure of the round (over connection counts). Targets checked on the median of
"best": RS256 >= 2x and ES256 >= 8x per core (1core cases); idle RSS <= 20 MiB.
"""

import statistics
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
    """runs[label][conns] = [one dict per round, in order]; rss[label] = {idle_MiB, peak_MiB}."""
    runs, rss = {}, {}
    with open(path) as f:
        for line in f:
            parts = line.strip().split(",")
            if parts[0] == "CSV" and len(parts) >= 12:
                runs.setdefault(parts[1], {}).setdefault(int(parts[2]), []).append({
                    "rps": float(parts[4]),
                    "p50": float(parts[5]),
                    "p99": float(parts[6]),
                    "non2xx": int(parts[8]),
                    "cpu": float(parts[9]),
                    "per_cpu": float(parts[10]),
                    "idle": parts[11].rstrip("%"),
                })
            elif parts[0] == "RSS" and len(parts) >= 4:
                rss[parts[1]] = {k: float(v) for k, v in (p.split("=") for p in parts[2:])}
    return runs, rss


def fmt_range(xs):
    return "" if len(xs) < 2 else "%.2f-%.2f" % (min(xs), max(xs))


def markdown(runs):
    """Per case and connection count, the median over the rounds of each column."""
    rows = ["| case | conns | req/s | p50 ms | p99 ms | tokens per server CPU-s | non-2xx |",
            "|---|---:|---:|---:|---:|---:|---:|"]
    for label, cs in runs.items():
        for conns, rs in sorted(cs.items()):
            med = {k: statistics.median(r[k] for r in rs) for k in ("rps", "p50", "p99", "per_cpu")}
            rows.append("| %s | %d | %.0f | %.2f | %.2f | %.0f | %d |" % (
                label, conns, med["rps"], med["p50"], med["p99"], med["per_cpu"],
                sum(r["non2xx"] for r in rs)))
    print("\n".join(rows))


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    runs, rss = load(args[0] if args else "bench/results/latest.txt")
    if "--markdown" in sys.argv:
        markdown(runs)
        return
    rounds = max((len(v) for cs in runs.values() for v in cs.values()), default=0)
    out = ["", "# Summary: Latchkey / node-oidc-provider, tokens per server CPU-second "
           "(median of %d round%s)" % (rounds, "" if rounds == 1 else "s")]
    out.append("# %-28s %5s %10s %10s %7s %11s %7s  %s" % (
        "case", "conns", "latchkey", "peer", "ratio", "range", "target", "verdict"))
    for lk, peer, what, target in PAIRS:
        if lk not in runs or peer not in runs:
            continue
        tgt = "" if target is None else ">=%gx" % target
        for conns in sorted(runs[lk]):
            if conns not in runs[peer]:
                continue
            a = [r["per_cpu"] for r in runs[lk][conns]]
            b = [r["per_cpu"] for r in runs[peer][conns]]
            ratios = [x / y for x, y in zip(a, b) if y]
            out.append("# %-28s %5d %10.0f %10.0f %6.2fx %11s %7s" % (
                what, conns, statistics.median(a), statistics.median(b),
                statistics.median(ratios), fmt_range(ratios), tgt))
        n = min(len(v) for v in list(runs[lk].values()) + list(runs[peer].values()))
        best_a = [max(v[i]["per_cpu"] for v in runs[lk].values()) for i in range(n)]
        best_b = [max(v[i]["per_cpu"] for v in runs[peer].values()) for i in range(n)]
        ratios = [x / y for x, y in zip(best_a, best_b) if y]
        med = statistics.median(ratios)
        verdict = ""
        if target is not None:
            verdict = "MET" if med >= target else "MISSED by %.0f%% (needs %.0f/cpu-s)" % (
                100 * (1 - med / target), target * statistics.median(best_b))
        out.append("# %-28s %5s %10.0f %10.0f %6.2fx %11s %7s  %s" % (
            what, "best", statistics.median(best_a), statistics.median(best_b), med,
            fmt_range(ratios), tgt, verdict))
    for label, r in sorted(rss.items()):
        line = "# RSS %-24s idle %6.1f MiB, peak %6.1f MiB" % (label, r["idle_MiB"], r["peak_MiB"])
        if label.startswith("latchkey"):
            ok = r["idle_MiB"] <= IDLE_RSS_TARGET_MIB
            line += "   idle <= %g MiB: %s" % (IDLE_RSS_TARGET_MIB, "MET" if ok else "MISSED")
        out.append(line)
    for label, cs in sorted(runs.items()):
        for conns, rs in sorted(cs.items()):
            for i, r in enumerate(rs, 1):
                where = "%s at %d conns (round %d)" % (label, conns, i)
                if r["non2xx"]:
                    out.append("# WARNING %s: %d non-2xx responses" % (where, r["non2xx"]))
                if r["idle"].isdigit() and int(r["idle"]) < 90:
                    out.append("# WARNING %s: machine only %s%% idle before the run" % (
                        where, r["idle"]))
    print("\n".join(out))


if __name__ == "__main__":
    main()
