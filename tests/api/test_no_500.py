"""No input yields a 500: random bodies and queries against every route, as admin."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from chalice.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app import app
from chalicelib.api.framework import ENDPOINTS, EndpointSpec, model_named
from tests.conftest import ROOT, World

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False),
    st.text(max_size=30),
    st.sampled_from(["2026-05-01", "small", "no_deal", "publicity", "https://x.nl", "a@b.nl"]),
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


def body_for(spec: EndpointSpec) -> st.SearchStrategy[Any]:
    """Mostly bodies with the model's own field names, holding values of any type."""
    assert spec.body is not None
    names = list(model_named(spec.body).model_fields)
    shaped = st.dictionaries(st.sampled_from(names), json_values, max_size=len(names))
    return st.one_of(shaped, json_values)


@pytest.fixture
def client(world: World) -> Iterator[Client]:
    with Client(app, stage_name="local", project_dir=str(ROOT)) as test_client:
        yield test_client


@pytest.mark.parametrize("spec", ENDPOINTS, ids=lambda s: f"{s.method} {s.path}")
@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_no_input_is_a_server_error(
    world: World, client: Client, spec: EndpointSpec, data: st.DataObject
) -> None:
    if not world.services.members_store.member_id_for_email("ton@example.nl"):
        world.member("Ton", "ton@example.nl", admin=True)
    headers = {"Content-Type": "application/json"} | world.headers("ton@example.nl")
    path = re.sub(
        r"{\w+}", lambda _: data.draw(st.sampled_from(["x", "2026", "2026-Q2", "é"])), spec.path
    )
    if spec.query is not None:
        name = data.draw(st.sampled_from([*model_named(spec.query).model_fields, "bogus"]))
        path += f"?{name}=" + data.draw(
            st.sampled_from(["", "1", "-5", "abc", "2026-01-01", "true"])
        )
    body = json.dumps(data.draw(body_for(spec))) if spec.body is not None else None

    response = client.http.request(spec.method, path, body=body, headers=headers)

    assert response.status_code < 500, (spec.path, path, body, response.body)
