"""Member numbers: a positive integer per member, from one counter, never given twice.

Three items (main table):
- the counter `COUNTER#member_number` / `COUNTER` with `value`, the last number given;
- the member's number `MEMBER#<id>` / `NUMBER` (member -> number);
- the pointer `MEMBERNUMBER#<n>` / `MEMBERNUMBER` (number -> member, and so a payment
  reference -> member).

A number is given in one unit of work: the counter moves from the value read to the next
(a condition on the value read: two admissions at once cannot both take it), and both the
member's number and the pointer are created (`attribute_not_exists`: a member is numbered
once, a number points at one member). Admissions are rare, so one counter item is no hot spot.
"""

from __future__ import annotations

from chalicelib.domain.errors import NotFound
from chalicelib.store.dynamo import DynamoTable
from chalicelib.store.uow import UnitOfWork

NEW = "attribute_not_exists(PK)"
COUNTER_KEY = ("COUNTER#member_number", "COUNTER")


class NumberTaken(Exception):
    """Another member took the number read from the counter meanwhile: read it again."""


class AlreadyNumbered(Exception):
    """The member got a number meanwhile (another request): read that one."""


def _number_key(member_id: str) -> tuple[str, str]:
    return f"MEMBER#{member_id}", "NUMBER"


def _pointer_key(number: int) -> tuple[str, str]:
    return f"MEMBERNUMBER#{number}", "MEMBERNUMBER"


class MemberNumberStore:
    def __init__(self, table: DynamoTable) -> None:
        self.table = table

    def number_of(self, member_id: str) -> int | None:
        item = self.table.get(*_number_key(member_id))
        return int(item["member_number"]) if item else None

    def member_id_of(self, number: int) -> str | None:
        if type(number) is not int or number < 1:
            return None
        item = self.table.get(*_pointer_key(number))
        return str(item["member_id"]) if item else None

    def member_ids_of(self, numbers: list[int]) -> dict[int, str]:
        """The members these numbers point at (100 a request); unknown numbers absent. For a
        bank statement's many references at once (bank-statements)."""
        wanted = [n for n in dict.fromkeys(numbers) if type(n) is int and n >= 1]
        found = self.table.get_many([_pointer_key(n) for n in wanted])
        return {
            int(pk.removeprefix("MEMBERNUMBER#")): str(item["member_id"])
            for (pk, _), item in found.items()
        }

    def last_number(self) -> int:
        """The last number given (0 before the first)."""
        item = self.table.get(*COUNTER_KEY)
        # An item without its value (the local fakes can show one half-written) reads as 0:
        # the number then taken fails its condition and is read again, never given twice.
        return int(item.get("value", 0)) if item else 0

    def register_number(
        self, uow: UnitOfWork, member_id: str, number: int, *, member_must_exist: bool = False
    ) -> None:
        """Gives `number` (the counter's last value + 1, as read) to the member.

        Refusals: "member_number.member" AlreadyNumbered (register this first when the member
        may have a number), "member_number.counter" and "member_number.pointer" NumberTaken
        (the counter moved: read it and try again), with `member_must_exist`
        "member_number.exists" NotFound for an unknown member."""
        t = self.table
        pk, sk = _number_key(member_id)
        uow.put(
            "member_number.member",
            t,
            {"PK": pk, "SK": sk, "member_id": member_id, "member_number": number},
            condition=NEW,
            refusal=AlreadyNumbered,
        )
        if member_must_exist:
            uow.check(
                "member_number.exists",
                t,
                (f"MEMBER#{member_id}", "PROFILE"),
                "attribute_exists(PK)",
                refusal=lambda: NotFound("member_not_found"),
            )
        previous = number - 1
        uow.update(
            "member_number.counter",
            t,
            COUNTER_KEY,
            "SET #value = :number",
            {":number": number, **({":previous": previous} if previous else {})},
            condition=NEW if previous == 0 else "#value = :previous",
            names={"#value": "value"},
            refusal=NumberTaken,
        )
        ppk, psk = _pointer_key(number)
        uow.put(
            "member_number.pointer",
            t,
            {"PK": ppk, "SK": psk, "member_id": member_id, "member_number": number},
            condition=NEW,
            refusal=NumberTaken,
        )
