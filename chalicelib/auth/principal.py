"""Who is calling: a verified token resolved to an active member, and what they may do."""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.auth.tokens import TokenVerifier, bearer_token
from chalicelib.domain.errors import Forbidden, NotFound
from chalicelib.domain.membership import normalise_email
from chalicelib.store.ports import MemberRepository

ADMIN_GROUP = "admin"


@dataclass(frozen=True)
class Principal:
    member_id: str
    email: str
    is_admin: bool
    language: str = "nl"  # the member's profile language: what they read errors in

    def require_admin(self) -> None:
        if not self.is_admin:
            raise Forbidden("admins_only")


class Authenticator:
    def __init__(self, verifier: TokenVerifier, members: MemberRepository) -> None:
        self._verifier = verifier
        self._members = members

    def authenticate(self, authorization: str | None, cancelled_may: bool = False) -> Principal:
        """The caller. A cancelled member is refused, except where `cancelled_may` (reading
        their own profile and statement until it is settled)."""
        token = self._verifier.verify(bearer_token(authorization))
        # The Cognito username is the member's email (see infra and docs/auth.md).
        email = normalise_email(token.username)
        member_id = self._members.member_id_for_email(email)
        if member_id is None:
            raise Forbidden("sign_in_not_a_member")
        try:
            member = self._members.get_member(member_id)
        except NotFound as error:
            raise Forbidden("sign_in_not_a_member") from error
        if not member.is_active and not cancelled_may:
            raise Forbidden("membership_cancelled")
        return Principal(member.id, member.email, ADMIN_GROUP in token.groups, member.language)
