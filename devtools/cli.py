"""The operator's command line: jobs run by hand, against the local runtime or AWS.

    python -m devtools.cli dues run 2026-Q3            # the local runtime (`make run`)
    python -m devtools.cli dues run 2026-Q3 --aws      # the AWS account of the environment

The commands only wire and print; what a job does is in its service (DuesService for dues),
the same code the schedule and the admin route run.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from chalicelib.bootstrap import Services, build_services
from chalicelib.config import ConfigError, from_environment
from chalicelib.domain.errors import Conflict
from chalicelib.domain.membership import Member
from chalicelib.periods import Quarter
from chalicelib.services.dues import DuesReport

DEFAULT_DEV_JSON = Path(__file__).resolve().parent.parent / ".local" / "dev.json"
LOCAL_TABLE = "coop-local"  # the table devtools.local_runtime creates
USAGE_ERROR = 2  # what click answers for bad arguments; a refused job is the caller's error too

app = typer.Typer(
    help="Co-operations operator commands.", no_args_is_help=True, rich_markup_mode="markdown"
)
dues_app = typer.Typer(help="The quarterly dues run.", no_args_is_help=True)
app.add_typer(dues_app, name="dues")


# --- where the services come from --------------------------------------------------------------


def read_dev_json(path: Path) -> dict[str, Any]:
    try:
        info: dict[str, Any] = json.loads(path.read_text())
    except FileNotFoundError:
        raise typer.BadParameter(
            f"{path} does not exist; start the local runtime with `make run` first",
            param_hint="--dev-json",
        ) from None
    except json.JSONDecodeError as error:
        raise typer.BadParameter(f"{path} is not JSON: {error}", param_hint="--dev-json") from None
    return info


def local_environment(info: Mapping[str, Any], env: Mapping[str, str]) -> dict[str, str]:
    """The variables that point this process's boto3 clients and config at the local runtime."""
    region = str(info["region"])
    return {
        "AWS_ENDPOINT_URL": str(info["aws_endpoint_url"]),
        "AWS_DEFAULT_REGION": region,
        "AWS_REGION": region,
        # moto accepts any credentials, but botocore refuses to sign without some
        "AWS_ACCESS_KEY_ID": env.get("AWS_ACCESS_KEY_ID") or "local",
        "AWS_SECRET_ACCESS_KEY": env.get("AWS_SECRET_ACCESS_KEY") or "local",
        "COOP_STAGE": "local",
        "COOP_TABLE_NAME": LOCAL_TABLE,
        "COOP_USER_POOL_ID": str(info["user_pool_id"]),
        "COOP_USER_POOL_CLIENT_ID": str(info["user_pool_client_id"]),
    }


def load_services(local: bool, dev_json: Path) -> Services:
    """The app's services for this process; tests replace this function."""
    if local:
        os.environ.update(local_environment(read_dev_json(dev_json), os.environ))
    try:
        config = from_environment()
    except ConfigError as error:  # e.g. COOP_NOW with --aws: the operator's setup, not a bug
        Console(stderr=True).print(f"[red]Error:[/red] {error}")
        raise typer.Exit(USAGE_ERROR) from None
    return build_services(config)


# --- dues ---------------------------------------------------------------------------------------


def parse_quarter(text: str) -> Quarter:
    try:
        return Quarter.parse(text)
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None


@dues_app.command("run")
def dues_run(
    quarter: Annotated[
        Quarter, typer.Argument(parser=parse_quarter, help="The quarter, like 2026-Q3.")
    ],
    local: Annotated[
        bool, typer.Option("--local/--aws", help="The local runtime, or AWS as configured.")
    ] = True,
    dev_json: Annotated[
        Path, typer.Option(help="The local runtime's description (with --local).")
    ] = DEFAULT_DEV_JSON,
) -> None:
    """Charge every active member the quarter's dues; members already charged are skipped.

    Exits 0 when no member failed, 1 when some did (a re-run retries them), 2 for a bad
    quarter or one that has not started.
    """
    console = Console()
    services = load_services(local, dev_json)
    try:
        report = run_with_progress(services, quarter, console)
    except Conflict as refused:
        Console(stderr=True).print(f"[red]Error:[/red] {refused.message}")
        raise typer.Exit(USAGE_ERROR) from None
    console.print(report_table(report))
    raise typer.Exit(0 if report.failed == 0 else 1)


def run_with_progress(services: Services, quarter: Quarter, console: Console) -> DuesReport:
    # Counting first costs one extra pass over the index, but gives the bar a real total.
    total = sum(1 for _ in services.members_store.iter_member_ids("active"))
    columns = (
        TextColumn("dues {task.fields[quarter]}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    # transient: the bar makes way for the report (or the error) when the run ends
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("dues", total=total, quarter=str(quarter))

        def advance(_member: Member, _outcome: str) -> None:
            progress.advance(task)

        return services.dues.run(quarter, progress=advance)


def report_table(report: DuesReport) -> Table:
    table = Table(title=f"Dues {report.quarter}", show_header=False)
    table.add_column("", style="bold")
    table.add_column("", justify="right")
    rows = [
        ("quarter", report.quarter),
        ("members seen", str(report.members_seen)),
        ("charged", str(report.charged)),
        ("already charged", str(report.already_charged)),
        ("not due", str(report.not_due)),
        ("failed", str(report.failed)),
    ]
    for label, value in rows:
        table.add_row(label, value)
    if report.failed_member_ids:
        table.add_row("failed ids", "\n".join(report.failed_member_ids), style="red")
    return table


if __name__ == "__main__":
    app()
