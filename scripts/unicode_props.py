#!/usr/bin/env python3
"""Writes data/unicode/props.tsv: CPython's character classes.

Run with the CPython the policies are tested against (3.11: Unicode 14.0):

    python3 scripts/unicode_props.py > data/unicode/props.tsv

One line per run of consecutive code points that share a class: the class,
then the first and last code point (hex). The classes are what CPython's
`str` predicates test per character: `decimal` (`isdecimal`), `digit`
(`isdigit`), `numeric` (`isnumeric`), `alpha` (`isalpha`), and the case
flags `str.islower()`/`isupper()` combine: `lower`, `upper`, `title`. The
runtime reads it (include_str!), so `str.isdigit()` and its siblings answer
as this CPython does, whatever Unicode version Rust's own tables follow.
"""
import sys
import unicodedata

CLASSES = {
    "decimal": str.isdecimal,
    "digit": str.isdigit,
    "numeric": str.isnumeric,
    "alpha": str.isalpha,
    "lower": str.islower,
    "upper": str.isupper,
    # A titlecase letter (`ǅ`): `istitle()` without being uppercase.
    "title": lambda c: c.istitle() and not c.isupper(),
}


def main() -> None:
    out = sys.stdout
    out.write(f"# CPython {sys.version.split()[0]}, Unicode {unicodedata.unidata_version}: "
              "class, first and last code point of each run (scripts/unicode_props.py)\n")
    for name, test in CLASSES.items():
        start = None
        for i in range(0x110001):
            inside = i < 0x110000 and test(chr(i))
            if inside and start is None:
                start = i
            elif not inside and start is not None:
                out.write(f"{name}\t{start:X}\t{i - 1:X}\n")
                start = None


if __name__ == "__main__":
    main()
