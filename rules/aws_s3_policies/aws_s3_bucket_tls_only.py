"""S3 buckets must refuse requests that do not use TLS.

A bucket complies when its bucket policy has a `Deny` statement for every
principal that applies when `aws:SecureTransport` is false.
"""
import json

from panther_base_helpers import deep_get

# Buckets that serve public static content over plain HTTP on purpose.
EXEMPT_PREFIXES = ("public-website-", "legacy-http-")


def _statements(document):
    statements = document.get("Statement", [])
    if isinstance(statements, dict):
        return [statements]
    return statements


def _denies_plain_http(statement):
    if statement.get("Effect") != "Deny":
        return False
    principal = statement.get("Principal")
    if principal != "*" and deep_get(statement, "Principal", "AWS") != "*":
        return False
    secure = deep_get(statement, "Condition", "Bool", "aws:SecureTransport")
    return str(secure).lower() == "false"


def policy(resource):
    name = resource.get("Name") or ""
    if name.startswith(EXEMPT_PREFIXES):
        return True
    raw = resource.get("Policy")
    if not raw:
        return False
    try:
        document = json.loads(raw) if isinstance(raw, str) else raw
    except ValueError:
        # An unreadable policy cannot be shown to enforce TLS.
        return False
    return any(_denies_plain_http(s) for s in _statements(document))


def title(resource):
    return f"S3 bucket [{resource.get('Name')}] accepts requests without TLS"


def severity(resource):
    tags = resource.get("Tags") or {}
    if tags.get("DataClassification", "").lower() in {"confidential", "restricted"}:
        return "CRITICAL"
    return "DEFAULT"
