"""Globals rebound through mocks, mocked helpers, mutation, several
resource types."""
import json
from unittest.mock import MagicMock

from panther_base_helpers import deep_get

CONFIG = {"threshold": 2}


def is_exempt(resource):
    return resource.get("Name") == "exempt"


def count_items(resource):
    seen = []
    counts = {}
    for item in deep_get(resource, "Tags", default=[]) or []:
        seen.append(item)
        counts[item] = counts.get(item, 0) + 1
    return len(seen), counts


def policy(resource):
    global CONFIG
    if isinstance(CONFIG, MagicMock):
        CONFIG = json.loads(CONFIG())
    if is_exempt(resource):
        return True
    total, counts = count_items(resource)
    return total <= CONFIG["threshold"] and all(n == 1 for n in counts.values())
