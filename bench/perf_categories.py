#!/usr/bin/env python3
"""Where a Latchkey process spends its CPU: groups a `perf record` profile's symbols into
categories (signature maths, randomness, kernel networking, allocator, hyper, serde_json...).

Usage: python3 bench/perf_categories.py perf.data [us_per_token]
With us_per_token (server CPU-µs per issued token), each category is also shown in µs per token.
"""

import collections
import re
import subprocess
import sys

RULES = [
    # (category, symbol regex); the first match wins. Kernel symbols are handled separately.
    ("crypto: randomness (DRBG, RDRAND)",
     r"rdrand|ctr_drbg|rand_bytes|RAND_bytes|CRYPTO_sysrand|aes_hw_|aes_nohw|"
     r"jent_|CRYPTO_get_fork"),
    ("crypto: SHA-256 / HMAC", r"sha256_block|SHA256|HMAC|hmac"),
    ("crypto: SHA-512 (Ed25519 hashing, ECDSA nonce)", r"sha512_block|SHA512"),
    ("crypto: signature maths",
     r"ecp_nistz256|nistz256|p256|bignum_|Lbignum|[Bb][Nn]_|rsaz|RSAZ|RSA_|rsa_|ecdsa|ECDSA|"
     r"ed25519|ED25519|x25519|edwards25519|curve25519|fiat_|_montx?\b|mont_|CBB_|CBS_|EVP_|"
     r"ec_GFp|ec_point|EC_|ec_scalar|ec_simple|ec_felem|extract_multiplier|aws_lc_"),
    ("malloc/free", r"malloc|free|realloc|memalign|unlink_chunk|consolidate|tcache|_int_"),
    ("memcpy/memset", r"memmove|memcpy|memset|memcmp|strlen"),
    ("serde_json", r"serde|json|itoa|ryu"),
    ("base64", r"base64"),
    ("hyper/http/httparse", r"hyper|\bhttp::|httparse|http_body|\bh2::|bytes::"),
    ("tokio", r"tokio|mio::|parking_lot|futures_"),
    ("axum/tower/matchit", r"axum|tower|matchit"),
    ("tracing", r"tracing"),
    ("uuid", r"uuid|getrandom"),
    ("hash maps", r"hashbrown|sip::|BuildHasher"),
    ("latchkey code", r"latchkey|form_urlencoded|percent_encoding"),
    ("clock", r"vdso|clock_gettime|Timespec|Instant"),
    ("locks", r"pthread_|futex|lll_"),
    ("utf8/str", r"utf8|str::|Utf8"),
]
KERNEL_RULES = [
    ("kernel: getrandom", r"crng|getrandom|chacha"),
    ("kernel: loopback TCP, syscalls, scheduling", r"."),
]


def categorize(dso, sym):
    rules = KERNEL_RULES if dso.startswith("[kernel") else RULES
    for cat, rx in rules:
        if re.search(rx, sym):
            return cat
    return "other (%s)" % ("libc" if dso.startswith("libc") else "rust std/other")


def main():
    data = sys.argv[1]
    us_per_token = float(sys.argv[2]) if len(sys.argv) > 2 else None
    out = subprocess.run(
        ["perf", "report", "-i", data, "--no-children", "-g", "none", "--sort", "dso,symbol",
         "--stdio", "--percent-limit", "0"],
        capture_output=True, text=True, check=True).stdout
    cats = collections.Counter()
    top = []
    for line in out.splitlines():
        m = re.match(r"\s+([\d.]+)%\s+(\S+)\s+\[.\]\s+(.*)", line)
        if not m:
            continue
        pct, dso, sym = float(m.group(1)), m.group(2), m.group(3).strip()
        cats[categorize(dso, sym)] += pct
        top.append((pct, dso, sym))
    total = sum(cats.values()) or 1.0
    print("# share of server CPU by category%s" % (
        "" if us_per_token is None else " (µs per token at %.1f µs/token)" % us_per_token))
    for cat, pct in cats.most_common():
        share = pct / total
        extra = "" if us_per_token is None else "  %6.1f µs" % (share * us_per_token)
        print("%6.1f%%%s  %s" % (100 * share, extra, cat))
    print("# top symbols")
    for pct, dso, sym in sorted(top, reverse=True)[:25]:
        print("%6.2f%%  %-18s %s" % (pct, dso[:18], sym[:110]))


if __name__ == "__main__":
    main()
