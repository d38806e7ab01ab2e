"""`admin create EMAIL`: make someone an admin, the first one included.

They apply and are approved through the same services as the API (a member like any other:
invited by Cognito, fees charged), then join the Cognito group `admin`. Repeating it for an
existing member only ensures the group membership.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from chalicelib.api.models import ApplicationIn
from chalicelib.bootstrap import Services
from chalicelib.domain.errors import Conflict
from chalicelib.domain.membership import normalise_email
from chalicelib.i18n.errors import render
from devtools.cli import wiring

ADMIN_GROUP = "admin"


def register(subcommands: Any) -> None:
    admin = subcommands.add_parser("admin", help="admins of the collective")
    actions = admin.add_subparsers(dest="action", required=True, metavar="ACTION")
    create = actions.add_parser("create", help="admit someone (if needed) and make them admin")
    create.add_argument("email", help="their email address (their Cognito username)")
    create.add_argument("--name", required=True, help="their full name")
    create.add_argument(
        "--discipline",
        dest="disciplines",
        action="append",
        required=True,
        help="a discipline (repeat for more)",
    )
    create.add_argument("--years-experience", type=int, required=True)
    wiring.add_target_options(create)
    create.set_defaults(handler=create_admin)


def create_admin(args: argparse.Namespace) -> int:
    services = wiring.load_services(args)
    email = normalise_email(args.email)
    member_id = services.members_store.member_id_for_email(email)
    admitted = member_id is None
    if member_id is None:
        member_id = admit(services, email, args)
    services.aws_client("cognito-idp").admin_add_user_to_group(
        UserPoolId=services.config.user_pool_id, Username=email, GroupName=ADMIN_GROUP
    )
    answer = {"member_id": member_id, "email": email, "admin": True, "admitted_now": admitted}
    print(json.dumps(answer))
    return 0


def admit(services: Services, email: str, args: argparse.Namespace) -> str:
    form = {
        "name": args.name,
        "email": email,
        "disciplines": args.disciplines,
        "years_experience": args.years_experience,
    }
    try:
        application = services.membership.apply(
            ApplicationIn.model_validate(form).new_application()
        )
    except ValueError as error:  # pydantic's ValidationError: a bad name, email or discipline
        raise wiring.UsageError(str(error)) from None
    except Conflict as refused:
        said = render(refused.code, "en", refused.params, 409)
        raise wiring.UsageError(
            f"{said} (approve or reject the pending application first)"
        ) from None
    return services.membership.approve(application.id, actor_id=None).id
