"""Building blocks for the functions' policies: each names its actions and resources."""

from __future__ import annotations

from typing import TYPE_CHECKING

from infra import ids
from infra.cfn import Json, arn, get_att, ref, sub
from infra.stack.mail import ATTACHMENTS_PREFIX, RAW_PREFIX

if TYPE_CHECKING:
    from infra.policies import Function

READ = ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"]
# TransactWriteItems has no IAM action of its own: each item needs its Put/Update/Delete/Check.
WRITE = [
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:ConditionCheckItem",
]


def _table(table: str, sid: str, actions: list[str]) -> Json:
    return {
        "Sid": sid,
        "Effect": "Allow",
        "Action": actions,
        "Resource": [get_att(table, "Arn"), sub(f"${{{table}.Arn}}/index/*")],
    }


def main_table(*, write: bool) -> Json:
    if write:
        return _table(ids.MAIN_TABLE, "MainTableReadWrite", READ + WRITE)
    return _table(ids.MAIN_TABLE, "MainTableRead", READ)


def ledger_table(*, write: bool) -> Json:
    if write:
        return _table(ids.LEDGER_TABLE, "LedgerTableReadWrite", READ + WRITE)
    return _table(ids.LEDGER_TABLE, "LedgerTableRead", READ)


def send_mail() -> Json:
    """Mail from the stage's sender only (identities of this account and region): SendEmail
    for plain text, SendRawEmail for multipart mail (text and HTML parts)."""
    return {
        "Sid": "SendMail",
        "Effect": "Allow",
        "Action": ["ses:SendEmail", "ses:SendRawEmail"],
        "Resource": arn("ses", "identity/*"),
        "Condition": {"StringEquals": {"ses:FromAddress": ref(ids.P_MAIL_FROM)}},
    }


def invite_members() -> Json:
    return {
        "Sid": "InviteMembers",
        "Effect": "Allow",
        "Action": "cognito-idp:AdminCreateUser",
        "Resource": get_att(ids.USER_POOL, "Arn"),
    }


def list_admins() -> Json:
    """Who is in the Cognito group `admin` (the board, for the quarter-without-a-meeting mail)."""
    return {
        "Sid": "ListAdmins",
        "Effect": "Allow",
        "Action": "cognito-idp:ListUsersInGroup",
        "Resource": get_att(ids.USER_POOL, "Arn"),
    }


def continue_itself(function: Function) -> Json:
    """A job that would not fit one invocation invokes itself again with a cursor."""
    return {
        "Sid": "ContinueItself",
        "Effect": "Allow",
        "Action": "lambda:InvokeFunction",
        "Resource": arn("lambda", f"function:{function.function_name}"),
    }


def read_raw_mail() -> Json:
    return {
        "Sid": "ReadRawMail",
        "Effect": "Allow",
        "Action": "s3:GetObject",
        "Resource": sub(f"${{{ids.INTAKE_BUCKET}.Arn}}/{RAW_PREFIX}*"),
    }


def read_attachments() -> Json:
    """Members download a mailed-in opportunity's attachments by presigned links, which act
    with the role that signed them."""
    return {
        "Sid": "ReadAttachments",
        "Effect": "Allow",
        "Action": "s3:GetObject",
        "Resource": sub(f"${{{ids.INTAKE_BUCKET}.Arn}}/{ATTACHMENTS_PREFIX}*"),
    }


def store_attachments() -> Json:
    return {
        "Sid": "StoreAttachments",
        "Effect": "Allow",
        "Action": "s3:PutObject",
        "Resource": sub(f"${{{ids.INTAKE_BUCKET}.Arn}}/{ATTACHMENTS_PREFIX}*"),
    }


def write_own_logs(function: Function) -> Json:
    """The function's log group is made by the stack (with its retention); it only writes."""
    return {
        "Sid": "WriteOwnLogs",
        "Effect": "Allow",
        "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
        "Resource": arn("logs", f"log-group:{function.stage.log_group(function.name)}:*"),
    }
