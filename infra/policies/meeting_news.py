"""Meeting news: invitations to a newly planned meeting and notices of changes and
cancellations, queued in the outbox of the main table and sent."""

from __future__ import annotations

from infra.cfn import Json
from infra.policies import Function, grants


def statements(function: Function) -> list[Json]:
    return [grants.main_table(write=True), grants.send_mail()]
