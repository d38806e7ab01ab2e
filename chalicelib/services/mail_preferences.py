"""Unsubscribing from the mails about new opportunities by a signed link, without signing in."""

from __future__ import annotations

from chalicelib.domain.errors import Conflict, FieldProblem, InvalidInput, NotFound
from chalicelib.mail.unsubscribe import Unsubscribes
from chalicelib.store.ports import MemberRepository


class MailPreferences:
    def __init__(self, members: MemberRepository, unsubscribes: Unsubscribes) -> None:
        self.members = members
        self.unsubscribes = unsubscribes

    def unsubscribe(self, token: str) -> None:
        """Turns notify_opportunities off for the token's member; repeating it changes nothing.
        A cancelled member gets no such mail anyway, so that is a success too."""
        member_id = self.unsubscribes.member_of(token)
        if member_id is None:
            problem = FieldProblem("token", "not_an_unsubscribe_link")
            raise InvalidInput("unsubscribe_link_invalid", problems=[problem])
        try:
            member = self.members.get_member(member_id)
            if member.is_active and member.notify_opportunities:
                self.members.update_profile(member_id, {"notify_opportunities": False})
        except (NotFound, Conflict):
            return
