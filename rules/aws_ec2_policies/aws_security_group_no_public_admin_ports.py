"""Security groups must not open administrative ports to the internet."""
from ipaddress import ip_network

ADMIN_PORTS = {22: "SSH", 3389: "RDP", 5985: "WinRM", 5986: "WinRM over TLS"}


def exposes(permission, port):
    if permission.get("IpProtocol") == "-1":
        return True
    low, high = permission.get("FromPort"), permission.get("ToPort")
    if low is None or high is None:
        return False
    return low <= port <= high


def public_ranges(permission):
    cidrs = [r["CidrIp"] for r in permission.get("IpRanges") or []]
    cidrs += [r["CidrIpv6"] for r in permission.get("Ipv6Ranges") or []]
    return [c for c in cidrs if not ip_network(c, strict=False).is_private]


def policy(resource):
    for permission in resource.get("IpPermissions") or []:
        if not public_ranges(permission):
            continue
        if any(exposes(permission, port) for port in ADMIN_PORTS):
            return False
    return True


def title(resource):
    opened = set()
    for permission in resource.get("IpPermissions") or []:
        if public_ranges(permission):
            opened |= {name for port, name in ADMIN_PORTS.items() if exposes(permission, port)}
    return f"Security group {resource.get('GroupId')} opens {', '.join(sorted(opened))} to the internet"
