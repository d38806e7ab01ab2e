"""What differs between the deployed stages, and the names the app and the stack share."""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.store import schema


@dataclass(frozen=True)
class Stage:
    name: str
    mail_domain: str  # default of the MailDomain parameter: sender and intake address
    log_retention_days: int

    @property
    def prod(self) -> bool:
        return self.name == "prod"

    @property
    def stack_name(self) -> str:
        return f"coop-{self.name}"

    @property
    def service(self) -> str:
        """The `service` dimension of the app's metrics (Powertools) and the resource prefix."""
        return f"coop-{self.name}"

    @property
    def table_name(self) -> str:
        return f"coop-{self.name}"

    @property
    def ledger_table_name(self) -> str:
        return schema.ledger_table_name(self.table_name)

    @property
    def intake_topic_name(self) -> str:
        return f"coop-{self.name}-intake"

    @property
    def rule_set_name(self) -> str:
        return f"coop-{self.name}-intake"

    def function_name(self, function: str) -> str:
        """Lambda names are fixed, so policies and log groups can name them before they exist."""
        return f"coop-{self.name}-{function}"

    def log_group(self, function: str) -> str:
        return f"/aws/lambda/{self.function_name(function)}"


STAGES = {
    "dev": Stage("dev", mail_domain="dev.co-operations.nl", log_retention_days=30),
    "prod": Stage("prod", mail_domain="co-operations.nl", log_retention_days=365),
}


def stage(name: str) -> Stage:
    try:
        return STAGES[name]
    except KeyError:
        raise SystemExit(f"unknown stage {name!r}: choose one of {', '.join(STAGES)}") from None
