"""Applications and members in memory (`chalicelib.store.members.MemberStore`'s methods and
refusals): one e-mail to one person, a decision taken once, a cancelled member unchangeable."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields, replace
from datetime import datetime

from chalicelib.domain.errors import Conflict, NotFound
from chalicelib.domain.membership import Application, Member
from chalicelib.store.memory.paging import page_of
from chalicelib.store.memory.uow import MemoryState, MemoryUnitOfWork
from chalicelib.store.records import ApplicationPage, MemberPage
from chalicelib.store.refusals import AlreadyDone
from chalicelib.store.timestamps import stamp

MEMBER_FIELDS = frozenset(f.name for f in fields(Member))


@dataclass
class _EmailClaim:
    application_id: str
    member_id: str | None = None


class MemoryMembers:
    """Applications, members and e-mail claims; `add` puts a member in directly (tests)."""

    def __init__(self, state: MemoryState) -> None:
        self.state = state
        self.applications: dict[str, Application] = {}
        self.emails: dict[str, _EmailClaim] = {}

    def add(self, member: Member) -> Member:
        with self.state.lock:
            self.state.members[member.id] = member
        return member

    # Applications ------------------------------------------------------------------------

    def add_application(self, application: Application) -> None:
        with MemoryUnitOfWork(self.state) as uow:
            self.register_application(uow, application)
            uow.commit()

    def register_application(self, uow: MemoryUnitOfWork, application: Application) -> None:
        applications, emails = self.applications, self.emails

        def put_application() -> None:
            applications[application.id] = application

        def claim_email() -> None:
            emails[application.email] = _EmailClaim(application.id)

        uow.register(
            "application.new", put_application, guard=lambda: application.id not in applications
        )
        uow.register(
            "application.email",
            claim_email,
            guard=lambda: application.email not in emails,
            refusal=lambda: Conflict("already_applied", email=application.email),
        )

    def get_application(self, application_id: str) -> Application:
        application = self.applications.get(application_id)
        if application is None:
            raise NotFound("application_not_found")
        return application

    def list_applications(self, status: str, limit: int, cursor: str | None) -> ApplicationPage:
        with self.state.lock:
            keyed = [
                (f"{stamp(a.created_at)}#{a.id}", a)
                for a in self.applications.values()
                if a.status == status
            ]
        found, next_cursor = page_of(keyed, limit, cursor, newest_first=True)
        return ApplicationPage(found, next_cursor)

    def admit(
        self,
        approved: Application,
        member: Member,
        also: Callable[[MemoryUnitOfWork], None] | None = None,
    ) -> bool:
        """False when the application was no longer pending (someone else decided it)."""
        members, emails = self.state.members, self.emails
        with MemoryUnitOfWork(self.state) as uow:
            self._register_decision(uow, approved)
            if also is not None:
                also(uow)

            def put_member() -> None:
                members[member.id] = member

            def claim_for_member() -> None:
                emails[member.email].member_id = member.id

            def claimed_by_application() -> bool:
                claim = emails.get(member.email)
                return claim is not None and claim.application_id == approved.id

            uow.register("member.new", put_member, guard=lambda: member.id not in members)
            uow.register("application.email", claim_for_member, guard=claimed_by_application)
            try:
                uow.commit()
            except AlreadyDone:
                return False
        return True

    def register_rejection(self, uow: MemoryUnitOfWork, rejected: Application) -> None:
        emails = self.emails
        self._register_decision(uow, rejected)

        def claimed_by_application() -> bool:
            claim = emails.get(rejected.email)
            return claim is not None and claim.application_id == rejected.id

        def free_email() -> None:  # a later application may claim it
            del emails[rejected.email]

        uow.register("application.email", free_email, guard=claimed_by_application)

    def _register_decision(self, uow: MemoryUnitOfWork, decided: Application) -> None:
        applications = self.applications

        def pending() -> bool:
            current = applications.get(decided.id)
            return current is not None and current.status == "pending"

        uow.register(
            "application.decision",
            lambda: applications.__setitem__(decided.id, decided),
            guard=pending,
            refusal=lambda: AlreadyDone("application.decision"),
        )

    # Members -----------------------------------------------------------------------------

    def get_member(self, member_id: str) -> Member:
        member = self.state.members.get(member_id)
        if member is None:
            raise NotFound("member_not_found")
        return member

    def get_members(self, member_ids: list[str]) -> dict[str, Member]:
        return {m: self.state.members[m] for m in member_ids if m in self.state.members}

    def member_id_for_email(self, email: str) -> str | None:
        claim = self.emails.get(email)
        return claim.member_id if claim else None

    def list_members(
        self,
        status: str,
        limit: int,
        cursor: str | None,
        keep: Callable[[Member], bool] | None = None,
    ) -> MemberPage:
        keyed = [(key, m) for key, m in self._by_status(status) if keep is None or keep(m)]
        found, next_cursor = page_of(keyed, limit, cursor)
        return MemberPage(found, next_cursor)

    def list_cancelled_since(self, since: datetime, limit: int, cursor: str | None) -> MemberPage:
        keyed = [(k, m) for k, m in self._by_status("cancelled") if k >= stamp(since)]
        found, next_cursor = page_of(keyed, limit, cursor)
        return MemberPage(found, next_cursor)

    def iter_members(self, status: str) -> Iterator[Member]:
        for _, member in self._by_status(status):
            yield member

    def iter_member_ids(self, status: str) -> Iterator[str]:
        for _, member in self._by_status(status):
            yield member.id

    def _by_status(self, status: str) -> list[tuple[str, Member]]:
        """The status index, in its order: active members by name, cancelled ones by when
        they left (as `MemberStore`'s sort key)."""
        with self.state.lock:
            found = [(_status_sort_key(m), m) for m in self.state.members.values()]
        return sorted(pair for pair in found if pair[1].status == status)

    def update_profile(self, member_id: str, changes: dict[str, object]) -> None:
        unknown = set(changes) - MEMBER_FIELDS
        if unknown:
            raise ValueError(f"not a member's field: {sorted(unknown)}")
        members = self.state.members
        values = {k: tuple(v) if isinstance(v, list) else v for k, v in changes.items()}

        def active() -> bool:
            current = members.get(member_id)
            return current is not None and current.status == "active"

        def refusal() -> Exception:
            if member_id not in members:
                return NotFound("member_not_found")
            return Conflict("membership_cancelled_unchangeable")

        with MemoryUnitOfWork(self.state) as uow:
            uow.register(
                "member.profile",
                lambda: members.__setitem__(member_id, replace(members[member_id], **values)),  # type: ignore[arg-type]
                guard=active,
                refusal=refusal,
            )
            uow.commit()

    def save_member(self, member: Member, expected_status: str) -> None:
        members = self.state.members

        def as_expected() -> bool:
            current = members.get(member.id)
            return current is not None and current.status == expected_status

        with MemoryUnitOfWork(self.state) as uow:
            uow.register(
                "member",
                lambda: members.__setitem__(member.id, member),
                guard=as_expected,
                refusal=lambda: Conflict("busy"),
            )
            uow.commit()


def _status_sort_key(m: Member) -> str:
    if m.cancelled_at is not None:
        return f"{stamp(m.cancelled_at)}#{m.id}"
    return f"{m.name.casefold()}#{m.id}"
