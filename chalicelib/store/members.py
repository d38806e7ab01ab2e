"""Applications, members and the email claims that keep one email to one person."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

from chalicelib.domain.errors import Conflict, NotFound
from chalicelib.domain.membership import Application, Member
from chalicelib.store.dynamo import DynamoTable, Item, Page
from chalicelib.store.records import ApplicationPage as ApplicationPage
from chalicelib.store.records import MemberPage as MemberPage
from chalicelib.store.schema import GSI_BY_STATUS
from chalicelib.store.timestamps import maybe_unstamp, stamp, unstamp
from chalicelib.store.uow import AlreadyDone, UnitOfWork

STATUS = {"#status": "status"}  # a DynamoDB reserved word
NEW = "attribute_not_exists(PK)"


def _application_key(application_id: str) -> tuple[str, str]:
    return f"APPLICATION#{application_id}", "APPLICATION"


def _member_key(member_id: str) -> tuple[str, str]:
    return f"MEMBER#{member_id}", "PROFILE"


def _email_key(email: str) -> tuple[str, str]:
    return f"EMAIL#{email}", "EMAIL"


def applications_partition(status: str) -> str:
    return f"APPLICATIONS#{status}"


def members_partition(status: str) -> str:
    return f"MEMBERS#{status}"


class MemberStore:
    def __init__(self, table: DynamoTable) -> None:
        self.table = table

    # Applications ------------------------------------------------------------------------

    def add_application(self, application: Application) -> None:
        """Stores a new application and claims its email, or fails if the email is taken."""
        with UnitOfWork(self.table.client) as uow:
            self.register_application(uow, application)
            uow.commit()

    def register_application(self, uow: UnitOfWork, application: Application) -> None:
        """A new application ("application.new") and the claim on its email
        ("application.email": taken is Conflict("already_applied"))."""
        t = self.table
        pk, sk = _email_key(application.email)
        claim = {"PK": pk, "SK": sk, "email": application.email, "application_id": application.id}
        uow.put("application.new", t, _application_item(application), condition=NEW)
        uow.put(
            "application.email",
            t,
            claim,
            condition=NEW,
            refusal=lambda: Conflict("already_applied", email=application.email),
        )

    def get_application(self, application_id: str) -> Application:
        item = self.table.get(*_application_key(application_id))
        if item is None:
            raise NotFound("application_not_found")
        return _application_from(item)

    def list_applications(self, status: str, limit: int, cursor: str | None) -> ApplicationPage:
        page = self.table.query_page(
            applications_partition(status),
            index=GSI_BY_STATUS,
            limit=limit,
            cursor=cursor,
            newest_first=True,
        )
        return ApplicationPage([_application_from(i) for i in page.items], page.next_cursor)

    def admit(
        self,
        approved: Application,
        member: Member,
        also: Callable[[UnitOfWork], None] | None = None,
    ) -> bool:
        """Marks the application approved and creates its member, atomically, with what `also`
        registers in the same unit of work (the member's number).

        Returns False when the application was no longer pending (someone else decided it).
        """
        t = self.table
        with UnitOfWork(t.client) as uow:
            self._register_decision(uow, approved)
            if also is not None:
                also(uow)
            uow.put("member.new", t, _member_item(member), condition=NEW)
            uow.update(
                "application.email",
                t,
                _email_key(member.email),
                "SET member_id = :member",
                {":member": member.id, ":application": approved.id},
                condition="application_id = :application",
            )
            try:
                uow.commit()
            except AlreadyDone:
                return False
        return True

    def register_rejection(self, uow: UnitOfWork, rejected: Application) -> None:
        """Marks the application rejected ("application.decision": decided before is
        AlreadyDone) and frees its email for a later application. Register it first."""
        self._register_decision(uow, rejected)
        uow.delete(
            "application.email",
            self.table,
            _email_key(rejected.email),
            condition="application_id = :application",
            values={":application": rejected.id},
        )

    def _register_decision(self, uow: UnitOfWork, decided: Application) -> None:
        uow.put(
            "application.decision",
            self.table,
            _application_item(decided),
            condition="#status = :pending",
            values={":pending": "pending"},
            names=STATUS,
            refusal=lambda: AlreadyDone("application.decision"),
        )

    # Members -----------------------------------------------------------------------------

    def get_member(self, member_id: str) -> Member:
        item = self.table.get(*_member_key(member_id))
        if item is None:
            raise NotFound("member_not_found")
        return _member_from(item)

    def get_members(self, member_ids: list[str]) -> dict[str, Member]:
        """Several members at once (a batch read); unknown ids are left out."""
        found = self.table.get_many([_member_key(m) for m in member_ids])
        return {item["member_id"]: _member_from(item) for item in found.values()}

    def member_id_for_email(self, email: str) -> str | None:
        claim = self.table.get(*_email_key(email))
        member_id = claim.get("member_id") if claim else None
        return member_id if isinstance(member_id, str) else None

    def list_members(
        self,
        status: str,
        limit: int,
        cursor: str | None,
        keep: Callable[[Member], bool] | None = None,
    ) -> MemberPage:
        def keep_item(item: Item) -> bool:
            return keep is None or keep(_member_from(item))

        page: Page = self.table.query_page(
            members_partition(status),
            index=GSI_BY_STATUS,
            limit=limit,
            cursor=cursor,
            keep=keep_item,
        )
        return MemberPage([_member_from(i) for i in page.items], page.next_cursor)

    def list_cancelled_since(self, since: datetime, limit: int, cursor: str | None) -> MemberPage:
        """Members who cancelled at or after `since`, in order of cancellation."""
        page = self.table.query_page(
            members_partition("cancelled"),
            index=GSI_BY_STATUS,
            sk_from=stamp(since),
            limit=limit,
            cursor=cursor,
        )
        return MemberPage([_member_from(i) for i in page.items], page.next_cursor)

    def iter_members(self, status: str) -> Iterator[Member]:
        """Every member of a status, by a paginated query on the status index."""
        for item in self.table.query_all(members_partition(status), index=GSI_BY_STATUS):
            yield _member_from(item)

    def iter_member_ids(self, status: str) -> Iterator[str]:
        """Every member id of a status, by a paginated query on the status index."""
        for item in self.table.query_all(members_partition(status), index=GSI_BY_STATUS):
            yield str(item["member_id"])

    def update_profile(self, member_id: str, changes: dict[str, object]) -> None:
        """Sets only the changed profile fields, so two edits of different fields both land;
        refused once the membership is cancelled."""
        fields = {name: list(v) if isinstance(v, tuple) else v for name, v in changes.items()}
        assignments = ", ".join(f"#{name} = :{name}" for name in fields)
        names = {f"#{name}": name for name in fields} | STATUS
        values = {f":{name}": value for name, value in fields.items()} | {":active": "active"}

        def refusal() -> Exception:
            try:
                self.get_member(member_id)
            except NotFound as unknown:  # 404 for an unknown member
                return unknown
            return Conflict("membership_cancelled_unchangeable")

        with UnitOfWork(self.table.client) as uow:
            uow.update(
                "member.profile",
                self.table,
                _member_key(member_id),
                f"SET {assignments}",
                values,
                condition="#status = :active",
                names=names,
                refusal=refusal,
            )
            uow.commit()

    def save_member(self, member: Member, expected_status: str) -> None:
        """Writes a changed member, provided its status is still what the change was based on."""
        with UnitOfWork(self.table.client) as uow:
            uow.put(
                "member",
                self.table,
                _member_item(member),
                condition="#status = :expected",
                values={":expected": expected_status},
                names=STATUS,
                refusal=lambda: Conflict("busy"),
            )
            uow.commit()


def _application_item(a: Application) -> Item:
    pk, sk = _application_key(a.id)
    return {
        "PK": pk,
        "SK": sk,
        "GSI1PK": applications_partition(a.status),
        "GSI1SK": f"{stamp(a.created_at)}#{a.id}",
        "application_id": a.id,
        "name": a.name,
        "email": a.email,
        "disciplines": list(a.disciplines),
        "sectors": list(a.sectors),
        "years_experience": a.years_experience,
        "linkedin_url": a.linkedin_url,
        "motivation": a.motivation,
        "referred_by_email": a.referred_by_email,
        "status": a.status,
        "created_at": stamp(a.created_at),
        "decided_at": stamp(a.decided_at) if a.decided_at else None,
        "decided_by": a.decided_by,
        "rejection_reason": a.rejection_reason,
        "language": a.language,
    }


def _application_from(item: Item) -> Application:
    return Application(
        id=item["application_id"],
        name=item["name"],
        email=item["email"],
        disciplines=tuple(item.get("disciplines", [])),
        sectors=tuple(item.get("sectors", [])),
        years_experience=item["years_experience"],
        linkedin_url=item.get("linkedin_url"),
        motivation=item.get("motivation"),
        referred_by_email=item.get("referred_by_email"),
        status=item["status"],
        created_at=unstamp(item["created_at"]),
        decided_at=maybe_unstamp(item.get("decided_at")),
        decided_by=item.get("decided_by"),
        rejection_reason=item.get("rejection_reason"),
        language=item.get("language") or "nl",
    )


def _member_item(m: Member) -> Item:
    pk, sk = _member_key(m.id)
    return {
        "PK": pk,
        "SK": sk,
        "GSI1PK": members_partition(m.status),
        "GSI1SK": _status_sort_key(m),
        "member_id": m.id,
        "name": m.name,
        "email": m.email,
        "headline": m.headline,
        "disciplines": list(m.disciplines),
        "sectors": list(m.sectors),
        "available": m.available,
        "notify_opportunities": m.notify_opportunities,
        "status": m.status,
        "joined_at": stamp(m.joined_at),
        "recruited_by": m.recruited_by,
        "linkedin_url": m.linkedin_url,
        "cancelled_at": stamp(m.cancelled_at) if m.cancelled_at else None,
        "language": m.language,
        "notify_meetings": m.notify_meetings,
        "opportunity_mail": m.opportunity_mail,
    }


def _status_sort_key(m: Member) -> str:
    """Active members sort by name (the directory); cancelled ones by when they left (a dues
    run finds who was still a member at a quarter's start). The id keeps keys distinct."""
    if m.cancelled_at is not None:
        return f"{stamp(m.cancelled_at)}#{m.id}"
    return f"{m.name.casefold()}#{m.id}"


def _member_from(item: Item) -> Member:
    return Member(
        id=item["member_id"],
        name=item["name"],
        email=item["email"],
        headline=item.get("headline", ""),
        disciplines=tuple(item.get("disciplines", [])),
        sectors=tuple(item.get("sectors", [])),
        available=bool(item.get("available", False)),
        notify_opportunities=bool(item.get("notify_opportunities", False)),
        status=item["status"],
        joined_at=unstamp(item["joined_at"]),
        recruited_by=item.get("recruited_by"),
        linkedin_url=item.get("linkedin_url"),
        cancelled_at=maybe_unstamp(item.get("cancelled_at")),
        language=item.get("language", "nl"),
        notify_meetings=bool(item.get("notify_meetings", True)),
        opportunity_mail=item.get("opportunity_mail", "each"),
    )
