"""Mail in and out: the SES identity, and the intake path SES -> S3 (raw/) -> SNS -> Lambda.

CloudFormation cannot make a receipt rule set active (one per account and region):
`make deploy` does that with the SES API, and says so when another set is active.
"""

from __future__ import annotations

from infra import ids
from infra.cfn import (
    Json,
    arn,
    deny_insecure_transport,
    get_att,
    policy_document,
    private_bucket_properties,
    ref,
    retained,
    sub,
)
from infra.stages import Stage

RAW_PREFIX = "raw/"  # SES writes each received mail here; expires after RawMailRetentionDays
ATTACHMENTS_PREFIX = "attachments/"  # the intake keeps attachments here; they never expire


def intake_bucket(stage: Stage) -> Json:
    properties = private_bucket_properties() | {
        "LifecycleConfiguration": {
            "Rules": [
                {
                    "Id": "expire-raw-mail",
                    "Status": "Enabled",
                    "Prefix": RAW_PREFIX,
                    "ExpirationInDays": ref(ids.P_RAW_MAIL_DAYS),
                },
                {
                    "Id": "abort-incomplete-uploads",
                    "Status": "Enabled",
                    "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 7},
                },
            ]
        }
    }
    return retained({"Type": "AWS::S3::Bucket", "Properties": properties}, stage.prod)


def rule_arn(stage: Stage) -> Json:
    return arn("ses", f"receipt-rule-set/{stage.rule_set_name}:receipt-rule/{stage.rule_set_name}")


def intake_bucket_policy(stage: Stage) -> Json:
    ses_writes_raw_mail = {
        "Sid": "SesWritesRawMail",
        "Effect": "Allow",
        "Principal": {"Service": "ses.amazonaws.com"},
        "Action": "s3:PutObject",
        "Resource": sub(f"${{{ids.INTAKE_BUCKET}.Arn}}/{RAW_PREFIX}*"),
        "Condition": {
            "StringEquals": {"AWS:SourceAccount": ref("AWS::AccountId")},
            "ArnLike": {"AWS:SourceArn": rule_arn(stage)},
        },
    }
    return {
        "Type": "AWS::S3::BucketPolicy",
        "Properties": {
            "Bucket": ref(ids.INTAKE_BUCKET),
            "PolicyDocument": policy_document(
                [deny_insecure_transport(ids.INTAKE_BUCKET), ses_writes_raw_mail]
            ),
        },
    }


def intake_topic(stage: Stage) -> Json:
    return {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": stage.intake_topic_name}}


def intake_topic_policy() -> Json:
    return {
        "Type": "AWS::SNS::TopicPolicy",
        "Properties": {
            "Topics": [ref(ids.INTAKE_TOPIC)],
            "PolicyDocument": policy_document(
                [
                    {
                        "Sid": "SesPublishes",
                        "Effect": "Allow",
                        "Principal": {"Service": "ses.amazonaws.com"},
                        "Action": "sns:Publish",
                        "Resource": ref(ids.INTAKE_TOPIC),
                        "Condition": {"StringEquals": {"AWS:SourceAccount": ref("AWS::AccountId")}},
                    }
                ]
            ),
        },
    }


def receipt_rule(stage: Stage) -> Json:
    return {
        "Type": "AWS::SES::ReceiptRule",
        # SES checks that it may write and publish when the rule is created
        "DependsOn": ["IntakeBucketPolicy", "IntakeTopicPolicy"],
        "Properties": {
            "RuleSetName": ref(ids.RECEIPT_RULE_SET),
            "Rule": {
                "Name": stage.rule_set_name,
                "Enabled": True,
                "Recipients": [ref(ids.P_INTAKE_ADDRESS)],
                "ScanEnabled": True,  # spam and virus verdicts in the notification
                "Actions": [
                    {
                        "S3Action": {
                            "BucketName": ref(ids.INTAKE_BUCKET),
                            "ObjectKeyPrefix": RAW_PREFIX,
                            "TopicArn": ref(ids.INTAKE_TOPIC),
                        }
                    }
                ],
            },
        },
    }


def resources(stage: Stage) -> Json:
    return {
        ids.MAIL_IDENTITY: {
            "Type": "AWS::SES::EmailIdentity",
            "Condition": ids.C_CREATE_MAIL_IDENTITY,
            "Properties": {"EmailIdentity": ref(ids.P_MAIL_DOMAIN)},
        },
        ids.INTAKE_BUCKET: intake_bucket(stage),
        "IntakeBucketPolicy": intake_bucket_policy(stage),
        ids.INTAKE_TOPIC: intake_topic(stage),
        "IntakeTopicPolicy": intake_topic_policy(),
        ids.RECEIPT_RULE_SET: {
            "Type": "AWS::SES::ReceiptRuleSet",
            "Properties": {"RuleSetName": stage.rule_set_name},
        },
        ids.RECEIPT_RULE: receipt_rule(stage),
    }


def dkim_outputs() -> Json:
    """The three CNAME records that verify MailDomain (when the stack created the identity)."""
    outputs: Json = {}
    for n in (1, 2, 3):
        outputs[f"DkimRecord{n}"] = {
            "Condition": ids.C_CREATE_MAIL_IDENTITY,
            "Description": "CNAME record to add to MailDomain's DNS (SES DKIM verification)",
            "Value": {
                "Fn::Join": [
                    " CNAME ",
                    [
                        get_att(ids.MAIL_IDENTITY, f"DkimDNSTokenName{n}"),
                        get_att(ids.MAIL_IDENTITY, f"DkimDNSTokenValue{n}"),
                    ],
                ]
            },
        }
    return outputs
