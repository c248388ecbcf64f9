"""AWS AMI Sharing: an AMI this account owns must not be public."""

# Publishers whose AMIs are meant to be public.
TRUSTED_PUBLISHERS = {"amazon", "microsoft"}


def policy(resource):
    if resource.get("ImageOwnerAlias") in TRUSTED_PUBLISHERS:
        return True
    # An AMI shared with this account by another one is not ours to judge.
    if resource["OwnerId"] != resource["AccountId"]:
        return True
    return not resource["Public"]
