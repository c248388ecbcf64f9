"""Active IAM access keys must be rotated at least every 180 days."""
import datetime

from panther_base_helpers import deep_get, resolve_timestamp_string

MAX_KEY_AGE = datetime.timedelta(days=180)
KEY_SLOTS = [1, 2]


def key_is_stale(report, slot):
    if not report.get(f"AccessKey{slot}Active"):
        return False
    rotated = resolve_timestamp_string(report.get(f"AccessKey{slot}LastRotated"))
    if rotated is None:
        # An active key that never rotated is as old as the user.
        return True
    return datetime.datetime.utcnow() - rotated > MAX_KEY_AGE


def policy(resource):
    report = deep_get(resource, "CredentialReport", default={})
    if not report:
        return True
    stale = [slot for slot in KEY_SLOTS if key_is_stale(report, slot)]
    return len(stale) == 0


def dedup(resource):
    return resource.get("Arn") or resource.get("UserName") or "<unknown user>"
