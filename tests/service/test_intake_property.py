"""Whatever arrives, the intake handler does not raise, and every input ends as exactly one
intake record: random bytes, random mutations of the corpus, and broken notifications."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chalicelib.api.ses_events import notice_of
from tests.conftest import World
from tests.intake_helpers import CORPUS, counts, deliver, make_bucket, people

SEEDS = sorted(p.read_bytes() for p in CORPUS.glob("*.eml") if p.stat().st_size < 20_000)


@pytest.fixture
def intake_world(world: World, patched_moto: None) -> Iterator[World]:
    make_bucket()
    people(world)
    yield world


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """A corpus mail with a few random cuts, insertions, byte flips or duplications."""
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["cut", "insert", "flip", "duplicate"]))
        if kind == "cut":
            del data[at : at + draw(st.integers(1, 200))]
        elif kind == "insert":
            data[at:at] = draw(
                st.one_of(
                    st.binary(max_size=40),
                    st.sampled_from(
                        [b"\n--", b"\r\n\r\n", b"=?utf-8?b?", b"boundary=", b"\x00", b"=\n"]
                    ),
                )
            )
        elif kind == "flip" and data:
            data[min(at, len(data) - 1)] = draw(st.integers(0, 255))
        else:
            data[at:at] = data[max(0, at - 300) : at]
    return bytes(data)


mails = st.one_of(st.binary(max_size=2_000), mutated())
verdict = st.sampled_from(["PASS", "FAIL", "GRAY", "PROCESSING_FAILED"])


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(raws=st.lists(mails, min_size=1, max_size=3), spam=verdict, dkim=verdict)
def test_every_mail_ends_as_exactly_one_record(
    intake_world: World, raws: list[bytes], spam: str, dkim: str
) -> None:
    world = intake_world
    before = counts(world)[0]
    outcomes = []
    for raw in raws:
        message_id = f"p{before + len(outcomes)}"
        outcomes.append(deliver(world, raw, message_id=message_id, spam=spam, dkim=dkim))
        again = deliver(world, raw, message_id=message_id, spam=spam, dkim=dkim)
        assert again.as_dict() == outcomes[-1].as_dict()
        assert outcomes[-1].intake_id == message_id  # a real SES notification is never refused

    assert counts(world)[0] == before + len(raws)
    for outcome in outcomes:
        record = world.services.intake.get(outcome.intake_id)
        assert record.status in ("accepted", "rejected")
        assert (record.status == "accepted") == (record.opportunity_id is not None)
        assert record.status == "accepted" or record.reason


notifications = st.one_of(
    st.text(max_size=200),
    st.binary(max_size=200).map(lambda b: b.decode("latin-1")),
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner),
        max_leaves=10,
    ).map(json.dumps),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(message=notifications)
def test_any_notification_text_ends_as_one_record(intake_world: World, message: str) -> None:
    world = intake_world
    before = counts(world)[0]

    first = world.services.intake.receive(notice_of(message))
    again = world.services.intake.receive(notice_of(message))

    assert (first.status, first.reason) == ("rejected", "invalid_notification")
    assert again.intake_id == first.intake_id and again.replayed
    # hypothesis may draw the same text in an earlier example of this world: still one record
    assert counts(world)[0] == before + (0 if first.replayed else 1)
