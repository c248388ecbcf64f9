"""Every expression of the subset, over a typed resource."""
import datetime
from ipaddress import ip_network

ALLOWED = {"amazon", "microsoft"}
PREFIXES = ("ami-", "img-")
EPOCH = datetime.datetime(2024, 1, 1)


def policy(resource):
    tags = resource.get("Tags") or {}
    names = sorted([k for k in tags], key=lambda k: k.lower(), reverse=True)
    sizes = {k: len(v) for k, v in tags.items() if isinstance(v, str)}
    unique = {v.upper() for v in tags.values() if isinstance(v, str)}
    first = names[0] if names else None
    label = f"{resource.get('Name')!r}:{first}:{{x}}"
    numbers = [1, 2.5, -3, 7 // 2, 7 % 3, 2 * 3 - 1, 6 / 4, 5 & 3, 5 | 2, 5 ^ 1]
    cidr = resource.get("Description") or "10.0.0.0/8"
    print(label)
    return (
        resource["ImageId"].startswith(PREFIXES)
        and (resource.get("ImageOwnerAlias") in ALLOWED or not resource["Public"])
        and 0 <= len(names) < 5
        and min(numbers) < max(numbers)
        and any(s > 0 for s in sizes.values())
        and all(isinstance(u, str) for u in unique)
        and len(label) > 0
        and ip_network(cidr, strict=False).is_private
        and -len(names) <= 0
        and bool(str(int("3")))
        and tuple(names) == tuple(list(names))
        and EPOCH < datetime.datetime(2025, 1, 1)
        and set(names).issubset(set(tags.keys()))
        and names.count("zzz") == 0
        and resource.get("KernelId", 7) == 7
        and dict(tags) == tags
    )
