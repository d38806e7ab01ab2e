"""Stack parameters: what an operator may choose per deploy (defaults per stage)."""

from __future__ import annotations

from infra import ids
from infra.cfn import Json
from infra.stages import Stage


def parameters(stage: Stage) -> Json:
    return {
        ids.P_MAIL_DOMAIN: {
            "Type": "String",
            "Default": stage.mail_domain,
            "Description": "Domain that sends and receives the collective's mail (SES identity)",
        },
        ids.P_MAIL_FROM: {
            "Type": "String",
            "Default": f"noreply@{stage.mail_domain}",
            "Description": "Sender of the app's mail; must be on MailDomain",
        },
        ids.P_INTAKE_ADDRESS: {
            "Type": "String",
            "Default": f"intake@{stage.mail_domain}",
            "Description": "Address members mail opportunities to (the SES receipt rule)",
        },
        ids.P_CREATE_MAIL_IDENTITY: {
            "Type": "String",
            "Default": "true",
            "AllowedValues": ["true", "false"],
            "Description": "Create the SES identity of MailDomain (false when it already exists)",
        },
        ids.P_API_URL: {
            "Type": "String",
            "Default": "",
            "Description": "Public base URL of the API, for links in mails. make deploy fills "
            "it in from the stack's own EndpointURL output (a second pass on the first deploy)",
        },
        ids.P_ALARM_EMAIL: {
            "Type": "String",
            "Default": "",
            "Description": "Optional address subscribed to the alarm topic",
        },
        ids.P_POLICY_JSON: {
            "Type": "String",
            "Default": "{}",
            "Description": "Overrides of chalicelib/policy.py as JSON (COOP_POLICY_JSON)",
        },
        ids.P_RAW_MAIL_DAYS: {
            "Type": "Number",
            "Default": 90,
            "MinValue": 1,
            "Description": "Days raw intake mail (raw/) is kept; attachments/ never expire",
        },
    }


def conditions() -> Json:
    return {
        ids.C_HAS_ALARM_EMAIL: {"Fn::Not": [{"Fn::Equals": [{"Ref": ids.P_ALARM_EMAIL}, ""]}]},
        ids.C_CREATE_MAIL_IDENTITY: {"Fn::Equals": [{"Ref": ids.P_CREATE_MAIL_IDENTITY}, "true"]},
    }
