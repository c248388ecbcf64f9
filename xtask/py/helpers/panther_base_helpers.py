"""A stand-in for Panther's `panther_base_helpers`, for difftests without a
panther-analysis checkout (CI). Written from the helper's documented
behaviour; only `deep_get` is provided. Policies importing anything else
are skipped unless the real helpers are given with `--helpers`.
"""
from collections.abc import Mapping


def deep_get(dictionary, *keys, default=None):
    """Walks `keys` through nested mappings; a missing key or a non-mapping
    along the way gives `default`, and so does a final `None`."""
    value = dictionary
    for key in keys:
        value = value.get(key, default) if isinstance(value, Mapping) else default
    return default if value is None else value
