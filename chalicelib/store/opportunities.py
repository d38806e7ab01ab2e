"""Opportunities, interest, conversations, assignments and revenue reports in DynamoDB.

Every state change is one conditional write on the opportunity's version, so two admins
closing at once, or an award racing a close, end with exactly one winner. A revenue report
is one unit of work: the report record (condition: new invoice_ref), the assignment's new
totals (condition: the version read), and the ledger booking.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime

from chalicelib.domain.disciplines import Recognised
from chalicelib.domain.errors import Conflict, NotFound
from chalicelib.domain.fees import FeeBooking, FeeTotals
from chalicelib.domain.opportunities import Assignment, HistoryEvent, Opportunity, RevenueReport
from chalicelib.domain.teams import Team, TeamMember
from chalicelib.store.dynamo import DynamoTable, Item
from chalicelib.store.intake import attachment_from
from chalicelib.store.ledger import LedgerStore
from chalicelib.store.records import (
    AssignmentPage,
    AssignmentRole,
    Conversation,
    Interest,
    OpportunityPage,
    figures_as_read,
    may_have_moved,
    moved_by,
    replayed_report,
)
from chalicelib.store.refusals import ReportReplayed, VersionConflict
from chalicelib.store.schema import GSI_BY_STATUS, GSI_BY_TIME
from chalicelib.store.timestamps import stamp, unstamp
from chalicelib.store.uow import AlreadyDone, UnitOfWork

__all__ = [  # the values and refusals that moved to records and refusals, as before
    "AssignmentPage",
    "AssignmentRole",
    "Conversation",
    "Interest",
    "OpportunityPage",
    "OpportunityStore",
    "ReportReplayed",
    "VersionConflict",
    "member_assignments_partition",
]

ALL_OPPORTUNITIES = "OPPORTUNITIES"
PENDING_ANNOUNCEMENTS = "ANNOUNCEMENTS#pending"
NEW = "attribute_not_exists(PK)"


def _opportunity_key(opportunity_id: str) -> tuple[str, str]:
    return f"OPPORTUNITY#{opportunity_id}", "OPPORTUNITY"


def _assignment_key(assignment_id: str) -> tuple[str, str]:
    return f"ASSIGNMENT#{assignment_id}", "ASSIGNMENT"


def member_assignments_partition(member_id: str, role: AssignmentRole) -> str:
    """An assignment is indexed under its executing member (GSI1) and its referrer (GSI2);
    a joint assignment's team member item under each member invited or active (GSI1, the
    same partition: a member's assignments as lead and as team member are one list)."""
    return f"ASSIGNMENTS#{role}#{member_id}"


TEAM_MEMBER = "MEMBER#"
_CONSISTENT_READS = 5


def _team_member_key(assignment_id: str, member_id: str) -> tuple[str, str]:
    return f"ASSIGNMENT#{assignment_id}", f"{TEAM_MEMBER}{member_id}"


def _report_key(assignment_id: str, invoice_ref: str, member_key: str | None) -> tuple[str, str]:
    """The lead's reports keep the key they always had (REPORT#<invoice>); another member's
    report is keyed by member and invoice, with a `~` that no invoice number contains."""
    if member_key is None:
        return f"ASSIGNMENT#{assignment_id}", f"REPORT#{invoice_ref}"
    return f"ASSIGNMENT#{assignment_id}", f"REPORT#~{member_key}#{invoice_ref}"


class OpportunityStore:
    def __init__(self, table: DynamoTable, ledger_store: LedgerStore) -> None:
        self.table = table
        self.ledger = ledger_store

    # Opportunities -----------------------------------------------------------------------

    def add(self, opportunity: Opportunity) -> None:
        """Stores a new opportunity with its pending announcement (mailed by a job)."""
        with UnitOfWork(self.table.client) as uow:
            self.register_new(uow, opportunity)
            uow.commit()

    def register_new(self, uow: UnitOfWork, opportunity: Opportunity) -> None:
        """A new opportunity ("opportunity.new") and its pending announcement."""
        uow.put("opportunity.new", self.table, _opportunity_item(opportunity), condition=NEW)
        uow.put(
            "opportunity.announcement", self.table, _announcement_item(opportunity), condition=NEW
        )

    # Announcements -------------------------------------------------------------------------

    def register_announcement(self, uow: UnitOfWork, opportunity: Opportunity) -> None:
        """(Again) leaves an opportunity to be announced ("opportunity.announcement"): after
        its disciplines were added, the members they match hear of it (nobody twice: mails
        are keyed)."""
        uow.put("opportunity.announcement", self.table, _announcement_item(opportunity))

    def pending_announcements(self) -> list[str]:
        return [
            str(item["opportunity_id"])
            for item in self.table.query_all(PENDING_ANNOUNCEMENTS, index=GSI_BY_STATUS)
        ]

    def finish_announcement(self, opportunity_id: str) -> None:
        with UnitOfWork(self.table.client) as uow:
            uow.delete(
                "announcement", self.table, (f"ANNOUNCEMENT#{opportunity_id}", "ANNOUNCEMENT")
            )
            uow.commit()

    def get(self, opportunity_id: str) -> Opportunity:
        item = self.table.get(*_opportunity_key(opportunity_id))
        if item is None:
            raise NotFound("opportunity_not_found")
        return _opportunity_from(item)

    def browse(
        self,
        status: str | None,
        discipline: str | Callable[[list[str]], bool] | None,
        limit: int,
        cursor: str | None,
    ) -> OpportunityPage:
        """A page, newest first; `discipline` is a name, or a test of the disciplines (a
        filter that knows every name of a discipline)."""

        def keep(item: Item) -> bool:
            stored = list(item.get("disciplines", []))
            if discipline is None:
                return True
            return discipline(stored) if callable(discipline) else discipline in stored

        if status is None:
            partition, index = ALL_OPPORTUNITIES, GSI_BY_TIME
        else:
            partition, index = f"OPPORTUNITIES#{status}", GSI_BY_STATUS
        page = self.table.query_page(
            partition, index=index, limit=limit, cursor=cursor, newest_first=True, keep=keep
        )
        return OpportunityPage([_opportunity_from(i) for i in page.items], page.next_cursor)

    def created_between(self, start: datetime, end: datetime) -> Iterator[Opportunity]:
        """Opportunities posted in [start, end), oldest first (GSI2, from `start` on)."""
        until = stamp(end)
        for item in self.table.query_all(
            ALL_OPPORTUNITIES, index=GSI_BY_TIME, sk_from=stamp(start)
        ):
            if str(item["GSI2SK"]) >= until:
                return
            yield _opportunity_from(item)

    def register_save(self, uow: UnitOfWork, changed: Opportunity) -> None:
        """The changed opportunity ("opportunity"), written if nobody changed it since it was
        read: else VersionConflict, and the caller reads it again. Register it first."""
        uow.put(
            "opportunity",
            self.table,
            _opportunity_item(changed),
            condition="version = :read",
            values={":read": changed.version - 1},
            refusal=lambda: VersionConflict(changed.id),
        )

    # Interest and conversations ------------------------------------------------------------

    def add_interest(self, opportunity_id: str, member_id: str, note: str, at_s: str) -> bool:
        """Records interest once; False when the member had already expressed it."""
        t = self.table
        item = {
            "PK": f"OPPORTUNITY#{opportunity_id}",
            "SK": f"INTEREST#{member_id}",
            "member_id": member_id,
            "note": note,
            "at": at_s,
        }
        with UnitOfWork(t.client) as uow:
            uow.put("interest", t, item, condition=NEW, refusal=lambda: AlreadyDone("interest"))
            try:
                uow.commit()
            except AlreadyDone:
                return False
        return True

    def interests(self, opportunity_id: str) -> list[Interest]:
        return [
            Interest(i["member_id"], i.get("note", ""), i["at"])
            for i in self.table.query_all(f"OPPORTUNITY#{opportunity_id}", sk_prefix="INTEREST#")
        ]

    def interest_of(self, opportunity_id: str, member_id: str) -> Interest | None:
        i = self.table.get(f"OPPORTUNITY#{opportunity_id}", f"INTEREST#{member_id}")
        return Interest(i["member_id"], i.get("note", ""), i["at"]) if i else None

    def has_interest(self, opportunity_id: str, member_id: str) -> bool:
        return self.table.get(f"OPPORTUNITY#{opportunity_id}", f"INTEREST#{member_id}") is not None

    def register_conversation(
        self, uow: UnitOfWork, opportunity_id: str, conversation: Conversation
    ) -> None:
        item = {
            "PK": f"OPPORTUNITY#{opportunity_id}",
            "SK": f"CONVERSATION#{conversation.member_id}#{conversation.held_on.isoformat()}",
            "member_id": conversation.member_id,
            "held_on": conversation.held_on.isoformat(),
            "recorded_by": conversation.recorded_by,
            "at": conversation.at_s,
        }
        uow.put("opportunity.conversation", self.table, item)

    def conversations(self, opportunity_id: str) -> list[Conversation]:
        return [
            Conversation(
                i["member_id"], date.fromisoformat(i["held_on"]), i["recorded_by"], i["at"]
            )
            for i in self.table.query_all(
                f"OPPORTUNITY#{opportunity_id}", sk_prefix="CONVERSATION#"
            )
        ]

    def was_introduced(self, opportunity_id: str, member_id: str) -> bool:
        found = self.table.query_page(
            f"OPPORTUNITY#{opportunity_id}", sk_prefix=f"CONVERSATION#{member_id}#", limit=1
        )
        return bool(found.items)

    # Assignments ---------------------------------------------------------------------------

    def register_assignment(self, uow: UnitOfWork, assignment: Assignment) -> None:
        uow.put("assignment.new", self.table, _assignment_item(assignment), condition=NEW)

    def get_assignment(self, assignment_id: str) -> Assignment:
        item = self.table.get(*_assignment_key(assignment_id))
        if item is None:
            raise NotFound("assignment_not_found")
        return _assignment_from(item)

    def assignments_of(
        self, member_id: str, role: AssignmentRole, limit: int, cursor: str | None
    ) -> AssignmentPage:
        """A member's assignments in one role, newest first."""
        page = self.table.query_page(
            member_assignments_partition(member_id, role),
            index=GSI_BY_STATUS if role == "executing" else GSI_BY_TIME,
            limit=limit,
            cursor=cursor,
            newest_first=True,
        )
        # a team member's item stands for the assignment it is on: read those assignments
        memberships = {
            str(i["assignment_id"]): _team_member_from(i)
            for i in page.items
            if str(i["SK"]).startswith(TEAM_MEMBER)
        }
        found = self.table.get_many([_assignment_key(a) for a in memberships])
        assignments = []
        for item in page.items:
            if str(item["SK"]).startswith(TEAM_MEMBER):
                joint = found.get(_assignment_key(str(item["assignment_id"])))
                if joint is None:
                    continue
                item = joint
            assignments.append(_assignment_from(item))
        return AssignmentPage(assignments, page.next_cursor, memberships)

    # Teams -----------------------------------------------------------------------------------

    def with_team(self, assignment_id: str) -> tuple[Assignment, Team]:
        """The assignment and its team as of one moment: read again while a report committed
        between the two reads (its figures and the totals would not add up); still torn
        after that, VersionConflict (the caller's retry, or "busy")."""
        for _ in range(_CONSISTENT_READS):
            assignment = self.get_assignment(assignment_id)
            team = self.team(assignment)
            if team.matches(assignment.totals):
                return assignment, team
        raise VersionConflict(assignment_id)

    def team(self, assignment: Assignment) -> Team:
        """The assignment's team: its lead and every member invited, active or left."""
        others = [
            _team_member_from(i)
            for i in self.table.query_all(f"ASSIGNMENT#{assignment.id}", sk_prefix=TEAM_MEMBER)
        ]
        return Team.of(
            assignment.id,
            assignment.member_id,
            assignment.referrer_id,
            assignment.totals,
            others,
            assignment.lead_revenue_cents,
            assignment.lead_fee_cents,
        )

    def register_invitation(
        self, uow: UnitOfWork, assignment: Assignment, invited: TeamMember
    ) -> None:
        """The invitee's item ("team.invite"): new, or one who left before; invited or
        active meanwhile (a double click, two admins) is already_on_team."""
        uow.put(
            "team.invite",
            self.table,
            _team_member_item(assignment, invited),
            condition="attribute_not_exists(PK) OR team_status = :left",
            values={":left": "left"},
            refusal=lambda: Conflict("already_on_team"),
        )

    def register_acceptance(
        self, uow: UnitOfWork, assignment: Assignment, joined: TeamMember
    ) -> None:
        """The invitee joins ("team.accept"), if the invitation still stands."""
        uow.put(
            "team.accept",
            self.table,
            _team_member_item(assignment, joined),
            condition="team_status = :invited",
            values={":invited": "invited"},
            refusal=lambda: VersionConflict(assignment.id),
        )

    def register_withdrawal(
        self, uow: UnitOfWork, assignment: Assignment, member: TeamMember
    ) -> None:
        """An invitation declined or withdrawn ("team.withdraw"): its item goes, if it is
        still an invitation."""
        uow.delete(
            "team.withdraw",
            self.table,
            _team_member_key(assignment.id, member.member_id),
            condition="team_status = :invited",
            values={":invited": "invited"},
            refusal=lambda: VersionConflict(assignment.id),
        )

    def register_departure(self, uow: UnitOfWork, assignment: Assignment, left: TeamMember) -> None:
        """An active member leaves ("team.leave"), if no report was booked as theirs
        meanwhile: a member with revenue stays (the report's own condition is the other
        half: it books only for a member still active)."""
        uow.put(
            "team.leave",
            self.table,
            _team_member_item(assignment, left),
            condition="team_status = :active AND reports_count = :none",
            values={":active": "active", ":none": 0},
            refusal=lambda: Conflict("team_member_has_revenue"),
        )

    def reports(self, assignment_id: str) -> list[RevenueReport]:
        """Every report: the lead's (REPORT#<invoice>) and other members' (REPORT#~...)."""
        return [
            _report_from(i)
            for i in self.table.query_all(f"ASSIGNMENT#{assignment_id}", sk_prefix="REPORT#")
        ]

    def get_report(
        self, assignment_id: str, invoice_ref: str, member_key: str | None = None
    ) -> RevenueReport | None:
        """A report by its invoice: the lead's (`member_key` None) or a team member's."""
        item = self.table.get(*_report_key(assignment_id, invoice_ref, member_key))
        return _report_from(item) if item else None

    def register_report(
        self,
        uow: UnitOfWork,
        assignment: Assignment,
        report: RevenueReport,
        team_after: Team | None = None,
    ) -> None:
        """The report ("revenue.report": reported before is ReportReplayed) and the
        assignment's new totals ("assignment.totals": changed since it was read is
        VersionConflict). On a joint assignment also every team member's figures that moved
        ("team.figures.<member>"; the reporter's only while still active, else
        VersionConflict: read again, and the team says why not), and every other member's
        item checked ("team.as_read.<member>"): each only while it holds the figures the
        report was computed from, else VersionConflict (a torn read of the team never books).
        At most 2 + 9 writes for a team of 10. Register them before the ledger booking."""
        uow.put(
            "revenue.report",
            self.table,
            _report_item(report),
            condition=NEW,
            refusal=lambda: ReportReplayed("revenue.report", report),
        )
        update = "SET totals = :totals, version = :next"
        values: dict[str, object] = {
            ":totals": _totals_map(report.booking.after),
            ":next": assignment.version + 1,
            ":read": assignment.version,
        }
        if team_after is not None:
            update += ", lead_revenue_cents = :lead_revenue, lead_fee_cents = :lead_fee"
            values |= {
                ":lead_revenue": team_after.lead.revenue_cents,
                ":lead_fee": team_after.lead.fee_cents,
            }
        uow.update(
            "assignment.totals",
            self.table,
            _assignment_key(assignment.id),
            update,
            values,
            condition="version = :read",
            refusal=lambda: VersionConflict(assignment.id),
        )
        if team_after is None:
            return
        # The figures were computed from every member's item as read; a Query is not
        # isolated from another report's transaction (read-committed per item), so the
        # read may have been torn. Each member item is therefore written, or checked, only
        # while it still holds exactly the figures read: else VersionConflict, read again.
        as_read, moved = figures_as_read(team_after, report), moved_by(report)
        for member in team_after.members[1:]:
            read = as_read[member.member_id]
            if member.member_id not in moved and not may_have_moved(member, read):
                continue
            key = _team_member_key(assignment.id, member.member_id)
            read_condition, values = _as_read_condition(*read)
            if member.member_id not in moved:
                uow.check(
                    f"team.as_read.{member.member_id}",
                    self.table,
                    key,
                    read_condition,
                    values=values,
                    refusal=lambda: VersionConflict(assignment.id),
                )
                continue
            values |= {
                ":revenue": member.revenue_cents,
                ":fee": member.fee_cents,
                ":reports": member.reports,
            }
            condition = "attribute_exists(PK)"  # never recreate an item that went
            if member.member_id == report.member_id:
                values[":active"] = "active"
                condition = "team_status = :active"
            uow.update(
                f"team.figures.{member.member_id}",
                self.table,
                key,
                "SET revenue_cents = :revenue, fee_cents = :fee, reports_count = :reports",
                values,
                condition=f"{condition} AND {read_condition}",
                refusal=lambda: VersionConflict(assignment.id),
            )

    def replay_report(self, report: RevenueReport) -> RevenueReport:
        """The report booked before under its invoice (its request must be the same)."""
        original = self.get_report(
            report.assignment_id,
            report.invoice_ref,
            report.member_id if report.keyed_by_member else None,
        )
        return replayed_report(original, report)


def _as_read_condition(revenue: int, fee: int, reports: int) -> tuple[str, dict[str, object]]:
    """A member item holds exactly these figures; a figure of 0 may also be absent (an item
    written before it had figures, or, all three 0, no item at all: a withdrawn invitation)."""
    parts = []
    values: dict[str, object] = {}
    for attribute, value in (
        ("revenue_cents", revenue),
        ("fee_cents", fee),
        ("reports_count", reports),
    ):
        placeholder = f":read_{attribute}"
        values[placeholder] = value
        same = f"{attribute} = {placeholder}"
        parts.append(f"(attribute_not_exists({attribute}) OR {same})" if value == 0 else same)
    return " AND ".join(parts), values


def _announcement_item(opportunity: Opportunity) -> Item:
    return {
        "PK": f"ANNOUNCEMENT#{opportunity.id}",
        "SK": "ANNOUNCEMENT",
        "GSI1PK": PENDING_ANNOUNCEMENTS,
        "GSI1SK": f"{stamp(opportunity.created_at)}#{opportunity.id}",
        "opportunity_id": opportunity.id,
    }


def _opportunity_item(o: Opportunity) -> Item:
    pk, sk = _opportunity_key(o.id)
    created = stamp(o.created_at)
    return {
        "PK": pk,
        "SK": sk,
        "GSI1PK": f"OPPORTUNITIES#{o.status}",
        "GSI1SK": f"{created}#{o.id}",
        "GSI2PK": ALL_OPPORTUNITIES,
        "GSI2SK": f"{created}#{o.id}",
        "opportunity_id": o.id,
        "title": o.title,
        "description": o.description,
        "disciplines": list(o.disciplines),
        "sector": o.sector,
        "location": o.location,
        "client": o.client,
        "starts_on": o.starts_on.isoformat() if o.starts_on else None,
        "referrer_id": o.referrer_id,
        "posted_by": o.posted_by,
        "status": o.status,
        "outcome": o.outcome,
        "created_at": created,
        "version": o.version,
        "intake_id": o.intake_id,
        "attachments": [
            {"name": a.name, "content_type": a.content_type, "size": a.size, "key": a.key}
            for a in o.attachments
        ]
        or None,
        "recognised": [{"discipline": r.discipline, "words": list(r.words)} for r in o.recognised]
        or None,
        "history": [
            {
                "at": stamp(e.at),
                "by": e.by,
                "action": e.action,
                "from_status": e.from_status,
                "to_status": e.to_status,
                "note": e.note,
                **({"member": e.member} if e.member else {}),
            }
            for e in o.history
        ],
    }


def _opportunity_from(item: Item) -> Opportunity:
    return Opportunity(
        id=item["opportunity_id"],
        title=item["title"],
        description=item["description"],
        disciplines=tuple(item.get("disciplines", [])),
        sector=item.get("sector"),
        location=item.get("location"),
        client=item.get("client"),
        starts_on=date.fromisoformat(item["starts_on"]) if item.get("starts_on") else None,
        referrer_id=item.get("referrer_id"),
        posted_by=item["posted_by"],
        status=item["status"],
        created_at=unstamp(item["created_at"]),
        version=item["version"],
        outcome=item.get("outcome"),
        intake_id=item.get("intake_id"),
        attachments=tuple(attachment_from(a) for a in item.get("attachments", [])),
        recognised=tuple(
            Recognised(r["discipline"], tuple(r.get("words", [])))
            for r in item.get("recognised", [])
        ),
        history=tuple(
            HistoryEvent(
                at=unstamp(e["at"]),
                by=e.get("by"),
                action=e["action"],
                from_status=e.get("from_status"),
                to_status=e["to_status"],
                note=e.get("note", ""),
                member=e.get("member") or _member_in_note(e),
            )
            for e in item.get("history", [])
        ),
    )


def _member_in_note(event: Item) -> str | None:
    """Events written before they named their member: "<id> on <day>", "to <id>, tier ..."."""
    note = str(event.get("note", ""))
    if event["action"] == "conversation":
        return note.split(" ", 1)[0] or None
    if event["action"] == "award" and note.startswith("to "):
        return note[3:].split(",", 1)[0] or None
    return None


def _totals_map(t: FeeTotals) -> dict[str, int]:
    return {
        "revenue_cents": t.revenue_cents,
        "fee_cents": t.fee_cents,
        "referrer_cents": t.referrer_cents,
        "collective_cents": t.collective_cents,
        "pot_cents": t.pot_cents,
        "operations_cents": t.operations_cents,
    }


def _totals_from(m: dict[str, int]) -> FeeTotals:
    return FeeTotals(**{k: int(v) for k, v in m.items()})


def _assignment_item(a: Assignment) -> Item:
    pk, sk = _assignment_key(a.id)
    created = stamp(a.created_at)
    referrer_keys = (
        {
            "GSI2PK": member_assignments_partition(a.referrer_id, "referrer"),
            "GSI2SK": f"{created}#{a.id}",
        }
        if a.referrer_id
        else {}
    )
    return {
        "PK": pk,
        "SK": sk,
        "GSI1PK": member_assignments_partition(a.member_id, "executing"),
        "GSI1SK": f"{created}#{a.id}",
        **referrer_keys,
        "assignment_id": a.id,
        "opportunity_id": a.opportunity_id,
        "member_id": a.member_id,
        "referrer_id": a.referrer_id,
        "contribution": a.contribution,
        "fee_cap_cents": a.fee_cap_cents,
        "starts_on": a.starts_on.isoformat(),
        "created_at": created,
        "totals": _totals_map(a.totals),
        "version": a.version,
        **(
            {"lead_revenue_cents": a.lead_revenue_cents, "lead_fee_cents": a.lead_fee_cents}
            if a.lead_revenue_cents is not None
            else {}
        ),
    }


def _assignment_from(item: Item) -> Assignment:
    return Assignment(
        id=item["assignment_id"],
        opportunity_id=item["opportunity_id"],
        member_id=item["member_id"],
        referrer_id=item.get("referrer_id"),
        contribution=item["contribution"],
        fee_cap_cents=item["fee_cap_cents"],
        starts_on=date.fromisoformat(item["starts_on"]),
        created_at=unstamp(item["created_at"]),
        totals=_totals_from(item["totals"]),
        version=item["version"],
        lead_revenue_cents=_optional_int(item.get("lead_revenue_cents")),
        lead_fee_cents=_optional_int(item.get("lead_fee_cents")),
    )


def _optional_int(value: object) -> int | None:
    return None if value is None else int(value)  # type: ignore[call-overload]


def _team_member_item(a: Assignment, m: TeamMember) -> Item:
    pk, sk = _team_member_key(a.id, m.member_id)
    # Invited and active members find the assignment among their own (GSI1); one who left
    # (never with revenue) no longer does.
    listed = (
        {
            "GSI1PK": member_assignments_partition(m.member_id, "executing"),
            "GSI1SK": f"{stamp(a.created_at)}#{a.id}",
        }
        if m.on_team
        else {}
    )
    return {
        "PK": pk,
        "SK": sk,
        **listed,
        "assignment_id": a.id,
        "member_id": m.member_id,
        "role": m.role,
        "team_status": m.status,
        "revenue_cents": m.revenue_cents,
        "fee_cents": m.fee_cents,
        "reports_count": m.reports,
        "invited_by": m.invited_by,
        "changed_at": stamp(m.changed_at) if m.changed_at else None,
    }


def _team_member_from(item: Item) -> TeamMember:
    return TeamMember(
        member_id=item["member_id"],
        role=item.get("role", "member"),
        status=item["team_status"],
        revenue_cents=int(item.get("revenue_cents", 0)),
        fee_cents=int(item.get("fee_cents", 0)),
        reports=int(item.get("reports_count", 0)),
        invited_by=item.get("invited_by"),
        changed_at=unstamp(item["changed_at"]) if item.get("changed_at") else None,
    )


def _report_item(r: RevenueReport) -> Item:
    b = r.booking
    pk, sk = _report_key(r.assignment_id, r.invoice_ref, r.member_id if r.keyed_by_member else None)
    team = (
        {
            "member_id": r.member_id,
            "keyed_by_member": r.keyed_by_member,
            "my_revenue_cents": r.my_revenue_cents,
            "my_fee_cents": r.my_fee_cents,
            "burden_changes": {m: cents for m, cents in r.burden_changes},
        }
        if r.member_id is not None
        else {}
    )
    return {
        "PK": pk,
        "SK": sk,
        **team,
        "assignment_id": r.assignment_id,
        "invoice_ref": r.invoice_ref,
        "amount_cents": r.amount_cents,
        "invoiced_on": r.invoiced_on.isoformat(),
        "reported_at": stamp(r.reported_at),
        "request_hash": r.request_hash,
        "reported_by": r.reported_by,
        "booking": {
            "fee_cents": b.fee_cents,
            "referrer_share_cents": b.referrer_share_cents,
            "collective_share_cents": b.collective_share_cents,
            "pot_share_cents": b.pot_share_cents,
            "operations_share_cents": b.operations_share_cents,
        },
        "after": _totals_map(b.after),
    }


def _report_from(item: Item) -> RevenueReport:
    booking = item["booking"]
    return RevenueReport(
        assignment_id=item["assignment_id"],
        invoice_ref=item["invoice_ref"],
        amount_cents=item["amount_cents"],
        invoiced_on=date.fromisoformat(item["invoiced_on"]),
        reported_at=unstamp(item["reported_at"]),
        booking=FeeBooking(**booking, after=_totals_from(item["after"])),
        request_hash=item["request_hash"],
        reported_by=item.get("reported_by"),
        member_id=item.get("member_id"),
        keyed_by_member=bool(item.get("keyed_by_member", False)),
        my_revenue_cents=_optional_int(item.get("my_revenue_cents")),
        my_fee_cents=_optional_int(item.get("my_fee_cents")),
        burden_changes=tuple(
            sorted((m, int(c)) for m, c in (item.get("burden_changes") or {}).items())
        ),
    )
