"""Demo data for the local runtime: two admins (the treasurer and the chair, so that four eyes
can be tried), a few members with their bank accounts, an opportunity.

People go through the real services (apply, then approve), so the data is exactly what the app
itself would have written; approval creates the Cognito user, and we then give it a known
password. A marker item records that seeding happened, so a restart never seeds twice; it also
holds the demo logins that `.local/dev.json` lists.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)

MARKER_KEY = {"PK": {"S": "META#seed"}, "SK": {"S": "META"}}
ADMIN_GROUP = "admin"


@dataclass(frozen=True)
class DemoPerson:
    role: str  # "admin" or "member"
    name: str
    email: str
    password: str
    disciplines: list[str]
    sectors: list[str]
    years_experience: int
    referred_by_email: str | None = None
    motivation: str | None = None
    linkedin_url: str | None = None
    # The account payouts go to (a valid demo IBAN), as if the member had registered it.
    iban: str | None = None


@dataclass(frozen=True)
class DemoOpportunity:
    referrer_email: str
    title: str
    description: str
    disciplines: list[str]
    extra: dict[str, Any] = field(default_factory=dict)
    interested: list[str] = field(default_factory=list)


# Referrers come before the people they referred: a referral must name an existing member.
DEMO_PEOPLE = [
    DemoPerson(
        role="admin",
        name="Ton de Vries",
        email="ton@co-operations.nl",
        password="Demo-pass-1!",
        disciplines=["interim-management", "project-management"],
        sectors=["government", "finance"],
        years_experience=22,
        motivation="Treasurer of the co-operative.",
        iban="NL86 INGB 0002 4455 88",
    ),
    DemoPerson(
        role="member",
        name="Mieke Jansen",
        email="mieke.jansen@example.nl",
        password="Demo-pass-2!",
        disciplines=["software-development", "data-engineering"],
        sectors=["healthcare", "government"],
        years_experience=12,
        linkedin_url="https://www.linkedin.com/in/miekejansen-demo",
        iban="NL39 RABO 0300 0652 64",
    ),
    DemoPerson(
        role="member",
        name="Patrick Bakker",
        email="patrick.bakker@example.nl",
        password="Demo-pass-3!",
        disciplines=["project-management", "interim-management"],
        sectors=["energy", "government"],
        years_experience=18,
        iban="NL20 INGB 0001 2345 67",
    ),
    DemoPerson(
        role="member",
        name="Sanne Visser",
        email="sanne.visser@example.nl",
        password="Demo-pass-4!",
        disciplines=["ux-design"],
        sectors=["finance", "healthcare"],
        years_experience=8,
        referred_by_email="mieke.jansen@example.nl",
        motivation="Mieke and I worked together on a patient portal.",
    ),
    DemoPerson(
        role="member",
        name="Daan Smit",
        email="daan.smit@example.nl",
        password="Demo-pass-5!",
        disciplines=["data-engineering", "software-development"],
        sectors=["energy"],
        years_experience=6,
    ),
    # The chair: the second admin, who approves what the treasurer prepares (four eyes).
    DemoPerson(
        role="admin",
        name="Fatima El Amrani",
        email="fatima@co-operations.nl",
        password="Demo-pass-6!",
        disciplines=["legal", "interim-management"],
        sectors=["government"],
        years_experience=25,
        motivation="Chair of the co-operative.",
        iban="NL18 RABO 0123 4598 76",
    ),
]

DEMO_OPPORTUNITIES = [
    DemoOpportunity(
        referrer_email="patrick.bakker@example.nl",
        title="Data platform for a regional grid operator",
        description="Six months, three days a week: streaming meter data into a new warehouse.",
        disciplines=["data-engineering"],
        extra={"sector": "energy", "location": "Arnhem", "client": "Netbeheer Oost (demo)"},
        interested=["daan.smit@example.nl", "mieke.jansen@example.nl"],
    ),
    DemoOpportunity(
        referrer_email="mieke.jansen@example.nl",
        title="UX research for a municipal permit portal",
        description="Interview residents and redesign the application flow for permits.",
        disciplines=["ux-design"],
        extra={"sector": "government", "location": "Utrecht"},
    ),
]


def seed(services: Any, cognito: Any, user_pool_id: str) -> list[dict[str, Any]]:
    """Create the demo people (and opportunities if the service exists); returns their logins."""
    from chalicelib.api.models import ApplicationIn

    users: list[dict[str, Any]] = []
    for person in DEMO_PEOPLE:
        form = ApplicationIn(
            name=person.name,
            email=person.email,
            disciplines=person.disciplines,
            sectors=person.sectors,
            years_experience=person.years_experience,
            linkedin_url=person.linkedin_url,
            motivation=person.motivation,
            referred_by_email=person.referred_by_email,
        )
        application = services.membership.apply(form.new_application())
        member = services.membership.approve(application.id, actor_id=None)
        _set_login(cognito, user_pool_id, person)
        if person.iban:
            _register_bank_account(services, member.id, person)
        users.append(
            {
                "role": person.role,
                "email": person.email,
                "password": person.password,
                "member_id": member.id,
            }
        )
    _post_opportunities(services, {u["email"]: u["member_id"] for u in users})
    return users


def _register_bank_account(services: Any, member_id: str, person: DemoPerson) -> None:
    """The demo member's payout account, written as registered long ago: no mail about it in
    the local mailbox (a member registering one in the app is mailed)."""
    from chalicelib.domain.bank_accounts import BankAccount, normalise_iban

    account = BankAccount(
        member_id, normalise_iban(person.iban or ""), person.name, services.clock.now()
    )
    with services.bank_accounts.uow() as uow:
        services.bank_accounts.store.register_change(uow, account, None)
        uow.commit()


def _set_login(cognito: Any, user_pool_id: str, person: DemoPerson) -> None:
    # Approval created the user (Username = email) with a temporary password; make ours permanent
    # so the demo logins work with plain USER_PASSWORD_AUTH.
    cognito.admin_set_user_password(
        UserPoolId=user_pool_id, Username=person.email, Password=person.password, Permanent=True
    )
    if person.role == "admin":
        cognito.admin_add_user_to_group(
            UserPoolId=user_pool_id, Username=person.email, GroupName=ADMIN_GROUP
        )


def _post_opportunities(services: Any, member_ids: dict[str, str]) -> None:
    from chalicelib.services.opportunities import NewOpportunity

    for demo in DEMO_OPPORTUNITIES:
        form = NewOpportunity(
            title=demo.title,
            description=demo.description,
            disciplines=tuple(demo.disciplines),
            sector=demo.extra.get("sector"),
            location=demo.extra.get("location"),
            client=demo.extra.get("client"),
            starts_on=None,
            on_behalf_of_collective=False,
        )
        posted = services.opportunities.post(form, member_ids[demo.referrer_email], False)
        for email in demo.interested:
            services.opportunities.express_interest(posted.id, member_ids[email], "")


def load_services() -> Any:
    """The app's services, built from the environment the runtime has set up."""
    from chalicelib.bootstrap import build_services
    from chalicelib.config import from_environment

    return build_services(from_environment())


def seeded_users(dynamodb: Any, table_name: str) -> list[dict[str, Any]] | None:
    """The demo logins recorded by an earlier seed, or None if the table was never seeded."""
    marker = dynamodb.get_item(TableName=table_name, Key=MARKER_KEY, ConsistentRead=True)
    if "Item" not in marker:
        return None
    users: list[dict[str, Any]] = json.loads(marker["Item"]["users"]["S"])
    return users


def seed_once(dynamodb: Any, table_name: str, cognito: Any, user_pool_id: str) -> list[Any]:
    """Seed unless the marker says it was done; returns the demo logins."""
    existing = seeded_users(dynamodb, table_name)
    if existing is not None:
        return existing
    users = seed(load_services(), cognito, user_pool_id)
    dynamodb.put_item(
        TableName=table_name,
        Item={**MARKER_KEY, "users": {"S": json.dumps(users)}},
        ConditionExpression="attribute_not_exists(PK)",
    )
    return users
