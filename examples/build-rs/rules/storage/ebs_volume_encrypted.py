def policy(resource):
    return bool(resource.get("Encrypted"))


def title(resource):
    return f"EBS volume {resource.get('ResourceId')} is not encrypted"
