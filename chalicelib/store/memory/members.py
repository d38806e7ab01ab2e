"""Members in memory (`chalicelib.store.members.MemberStore`)."""

from __future__ import annotations

from chalicelib.domain.errors import NotFound
from chalicelib.domain.membership import Member
from chalicelib.store.memory.uow import MemoryState


class MemoryMembers:
    """The members a service reads (`get_member`, `get_members`); a test adds them."""

    def __init__(self, state: MemoryState) -> None:
        self.state = state

    def add(self, member: Member) -> Member:
        with self.state.lock:
            self.state.members[member.id] = member
        return member

    def get_member(self, member_id: str) -> Member:
        member = self.state.members.get(member_id)
        if member is None:
            raise NotFound("member_not_found")
        return member

    def get_members(self, member_ids: list[str]) -> dict[str, Member]:
        return {m: self.state.members[m] for m in member_ids if m in self.state.members}
