"""What a payout batch write's failed condition means, free of DynamoDB and boto3 (both the
DynamoDB and the in-memory store raise these)."""

from __future__ import annotations

from chalicelib.store.refusals import AlreadyDone


class BatchAlreadyApproved(AlreadyDone):
    """The batch was approved before (by this request's twin, or earlier)."""


class ItemChanged(AlreadyDone):
    """The item is no longer as this request read it: another approval (or a settlement) did
    this step. The caller reads again."""
