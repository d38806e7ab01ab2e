"""Member numbers and the payment references made of them.

Every member admitted gets the next number in the admission's own unit of work
(`register_at_admission`). Members admitted before numbers existed get theirs the first time
one is needed (`number_of`), atomically too: nobody runs a migration.
"""

from __future__ import annotations

from collections.abc import Callable

from chalicelib.domain.errors import Conflict
from chalicelib.domain.references import member_number_of, payment_reference, references_in
from chalicelib.store.member_numbers import AlreadyNumbered, MemberNumberStore, NumberTaken
from chalicelib.store.uow import UnitOfWork

ATTEMPTS = 10  # admissions racing for the counter; each attempt re-reads it


class MemberNumbers:
    def __init__(self, store: MemberNumberStore, uow: Callable[[], UnitOfWork]) -> None:
        self.store = store
        self.uow = uow

    def number_of(self, member_id: str) -> int:
        """The member's number, given now if they have none yet (NotFound for an unknown
        member)."""
        number = self.store.number_of(member_id)
        if number is not None:
            return number
        for _ in range(ATTEMPTS):
            number = self.store.last_number() + 1
            with self.uow() as uow:
                self.store.register_number(uow, member_id, number, member_must_exist=True)
                try:
                    uow.commit()
                    return number
                except AlreadyNumbered:
                    found = self.store.number_of(member_id)
                    if found is not None:
                        return found
                except NumberTaken:
                    continue
        raise Conflict("busy")

    def member_id_of(self, number: int) -> str | None:
        return self.store.member_id_of(number)

    def member_ids_of(self, numbers: list[int]) -> dict[int, str]:
        """The members of these numbers, in batches (a statement's references at once)."""
        return self.store.member_ids_of(numbers)

    def reference_of(self, member_id: str) -> str:
        """The member's payment reference, compact (`RF4700001042`)."""
        return payment_reference(self.number_of(member_id))

    def member_id_of_reference(self, reference: str) -> str | None:
        """The member a payment reference names (any case or spacing); None when the check
        digits fail or no member has that number."""
        number = member_number_of(reference)
        return None if number is None else self.store.member_id_of(number)

    def members_named_in(self, text: str) -> set[str]:
        """The members whose payment reference a search or a bank line's text holds (as a
        statement writes it: any case, spaces anywhere); one read per reference found."""
        found = (self.member_id_of_reference(r) for r in references_in(text))
        return {member_id for member_id in found if member_id is not None}

    def next_for_admission(self) -> int:
        """The number the next admission registers (`register_at_admission`)."""
        return self.store.last_number() + 1

    def register_at_admission(self, uow: UnitOfWork, member_id: str, number: int) -> None:
        """In the admission's unit of work: the new member gets `number`. A NumberTaken from
        its commit means another member took it: read `next_for_admission` and try again."""
        self.store.register_number(uow, member_id, number)
