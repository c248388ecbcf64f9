#!/usr/bin/env python3
"""Writes data/unicode/case.tsv: the case mappings of CPython's `str`.

Run with the CPython the policies are tested against (3.11: Unicode 14.0):

    python3 scripts/unicode_case.py > data/unicode/case.tsv

One line per code point whose `lower()`, `upper()` or `casefold()` is not
the character itself: the code point, then each mapping as code points
separated by spaces, `-` where the mapping is the character itself. The
runtime's `str.lower`/`upper`/`casefold` read it (include_str!), so the
compiled policies map case as this CPython does, whatever Unicode version
Rust's own tables follow.
"""
import sys
import unicodedata


def cps(s: str, c: str) -> str:
    return "-" if s == c else " ".join(f"{ord(x):X}" for x in s)


def main() -> None:
    out = sys.stdout
    out.write(f"# CPython {sys.version.split()[0]}, Unicode {unicodedata.unidata_version}: "
              "code point, lower, upper, casefold (scripts/unicode_case.py)\n")
    for i in range(0x110000):
        c = chr(i)
        lo, up, cf = c.lower(), c.upper(), c.casefold()
        if lo == c and up == c and cf == c:
            continue
        out.write(f"{i:X}\t{cps(lo, c)}\t{cps(up, c)}\t{cps(cf, c)}\n")


if __name__ == "__main__":
    main()
