"""Statements a pure condition cannot say: `while`, `try`, `break`,
unpacking, `raise`, unbound locals, a missing `return`."""
import json

LIMIT = 3
NAMES = ["a", "b"]


def total_of(items):
    total = 0
    i = 0
    while i < len(items):
        if items[i] is None:
            i += 1
            continue
        total += items[i]
        i += 1
        if total > 100:
            break
    else:
        total -= 1
    return total


def parse(doc):
    try:
        value = json.loads(doc)
    except (ValueError, TypeError):
        return None
    else:
        value["parsed"] = True
    return value


def policy(resource):
    kind = resource.get("Kind", "none")
    if kind == "loop":
        return total_of(resource["Items"]) < LIMIT * 10
    elif kind == "json":
        doc = parse(resource.get("Doc"))
        return doc is not None and doc.get("ok") is True and doc["parsed"]
    elif kind == "unpack":
        a, b = resource["Pair"]
        c = d = a
        return a + b + c + d > 0
    elif kind == "raise":
        raise ValueError(f"bad {kind!r}")
    elif kind == "unbound":
        if resource.get("Flag"):
            x = 1
        return x == 1
    elif kind == "none":
        return
    for name in NAMES:
        if name == kind:
            break
    else:
        return False
    return True
