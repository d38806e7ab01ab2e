"""`make deploy STAGE=dev|prod`: build the stage's template and deploy it with the
environment's AWS credentials (boto3; no AWS CLI needed).

1. builds dist/<stage>/ (as `make template`) and lints it;
2. uploads the Lambda bundle and the template to the deployment bucket
   `coop-deploy-<account>-<region>` (created on first use: private, encrypted);
3. creates or updates the stack `coop-<stage>` (SAM: CAPABILITY_AUTO_EXPAND) and waits;
4. fills in the API's own URL (COOP_API_URL) with a second, parameter-only update when it
   changed (the API's URL exists only once the API does: see infra/README.md);
5. makes the stage's SES receipt rule set active (CloudFormation cannot) unless another
   rule set is active (then --activate-rule-set replaces it);
6. publishes web/ and its config.json to the web bucket and invalidates CloudFront;
7. prints the API URL, the web app URL and what is still to be done by hand.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import mimetypes
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
from botocore.exceptions import ClientError, WaiterError

from infra.cfn import Json
from infra.package import ROOT
from infra.stages import Stage, stage

CAPABILITIES = ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"]
WEB_DIR = ROOT / "web"
NO_CHANGES = "No updates are to be performed"
Say = Callable[[str], None]


class DeployError(Exception):
    pass


@dataclass
class Outcome:
    outputs: dict[str, str]
    rule_set: str
    web_files: int
    manual: list[str] = field(default_factory=list)


# --- artifacts --------------------------------------------------------------------------------


def artifact_bucket_name(account: str, region: str) -> str:
    return f"coop-deploy-{account}-{region}"


def ensure_artifact_bucket(s3: Any, name: str, region: str) -> None:
    try:
        s3.head_bucket(Bucket=name)
        return
    except ClientError as error:
        if error.response["Error"]["Code"] not in ("404", "NoSuchBucket", "NotFound"):
            raise
    options: Json = {}
    if region != "us-east-1":
        options["CreateBucketConfiguration"] = {"LocationConstraint": region}
    s3.create_bucket(Bucket=name, **options)
    s3.put_public_access_block(
        Bucket=name,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
    )
    s3.put_bucket_encryption(
        Bucket=name,
        ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
        },
    )
    s3.put_bucket_lifecycle_configuration(
        Bucket=name,
        LifecycleConfiguration={
            "Rules": [
                {
                    "ID": "old-artifacts",
                    "Status": "Enabled",
                    "Filter": {},
                    "Expiration": {"Days": 90},
                }
            ]
        },
    )


def upload(s3: Any, bucket: str, prefix: str, body: bytes, suffix: str) -> str:
    """Stores body under a content-addressed key (re-deploying the same bundle uploads nothing
    new for CloudFormation to notice); answers the key."""
    key = f"{prefix}/{hashlib.sha256(body).hexdigest()}{suffix}"
    s3.put_object(Bucket=bucket, Key=key, Body=body)
    return key


def with_code_at(template: Json, bucket: str, key: str) -> Json:
    located: Json = json.loads(json.dumps(template))
    for resource in located["Resources"].values():
        if resource["Type"] == "AWS::Serverless::Function":
            resource["Properties"]["CodeUri"] = f"s3://{bucket}/{key}"
    return located


# --- the stack --------------------------------------------------------------------------------


def describe(cloudformation: Any, name: str) -> Json | None:
    try:
        [stack] = cloudformation.describe_stacks(StackName=name)["Stacks"]
    except ClientError as error:
        if "does not exist" in str(error):
            return None
        raise
    found: Json = stack
    return found


def outputs_of(stack: Json) -> dict[str, str]:
    return {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}


def parameters(template: Json, given: dict[str, str], existing: Json | None) -> list[Json]:
    """Given values first; an existing stack keeps its values; else the template's default.
    ApiUrl defaults to the existing stack's own API URL. (Previous values are passed as
    values, not UsePreviousValue: no parameter is NoEcho, and it says what is deployed.)"""
    previous = previous_values(existing)
    api_url = outputs_of(existing or {}).get("ApiUrl")
    unknown = set(given) - set(template.get("Parameters", {}))
    if unknown:
        raise DeployError(f"unknown stack parameters: {', '.join(sorted(unknown))}")
    found = []
    for key in template.get("Parameters", {}):
        value = given.get(key) or (api_url if key == "ApiUrl" else None) or previous.get(key)
        if key in given or value is not None:
            found.append({"ParameterKey": key, "ParameterValue": given.get(key, value)})
    return found


def previous_values(stack: Json | None) -> dict[str, str]:
    return {p["ParameterKey"]: p["ParameterValue"] for p in (stack or {}).get("Parameters", [])}


def wait(cloudformation: Any, name: str, waiter: str, say: Say) -> None:
    say(f"waiting for {name} ({waiter.replace('_', ' ')}) ...")
    try:
        cloudformation.get_waiter(waiter).wait(
            StackName=name, WaiterConfig={"Delay": 10, "MaxAttempts": 360}
        )
    except WaiterError as error:
        events = cloudformation.describe_stack_events(StackName=name)["StackEvents"]
        failures = [
            f"  {e['LogicalResourceId']}: {e.get('ResourceStatusReason', '')}"
            for e in events
            if e["ResourceStatus"].endswith("_FAILED")
        ][:10]
        raise DeployError(f"{name}: {error}\n" + "\n".join(failures)) from None


def create_or_update(
    cloudformation: Any,
    stage: Stage,
    template_url: str,
    params: list[Json],
    existing: Json | None,
    say: Say,
) -> None:
    name = stage.stack_name
    if existing is not None and existing["StackStatus"] == "ROLLBACK_COMPLETE":
        raise DeployError(
            f"{name} failed to create and was rolled back; delete it (it holds no data) and "
            "deploy again"
        )
    if existing is None:
        say(f"creating stack {name}")
        cloudformation.create_stack(
            StackName=name,
            TemplateURL=template_url,
            Parameters=params,
            Capabilities=CAPABILITIES,
            EnableTerminationProtection=stage.prod,
            Tags=[{"Key": "app", "Value": "coop"}, {"Key": "stage", "Value": stage.name}],
        )
        wait(cloudformation, name, "stack_create_complete", say)
        return
    update(cloudformation, name, say, TemplateURL=template_url, Parameters=params)


def update(cloudformation: Any, name: str, say: Say, **changes: Any) -> None:
    say(f"updating stack {name}")
    try:
        cloudformation.update_stack(StackName=name, Capabilities=CAPABILITIES, **changes)
    except ClientError as error:
        if NO_CHANGES in str(error):
            say(f"{name} is up to date")
            return
        raise
    wait(cloudformation, name, "stack_update_complete", say)


def fill_in_api_url(cloudformation: Any, stack: Json, say: Say) -> Json:
    """COOP_API_URL is a parameter: the functions cannot reference the API that references
    them. After the first deploy it is set from the stack's own ApiUrl output."""
    outputs = outputs_of(stack)
    if outputs.get("ConfiguredApiUrl") == outputs["ApiUrl"]:
        return stack
    values = previous_values(stack) | {"ApiUrl": outputs["ApiUrl"]}
    params = [{"ParameterKey": k, "ParameterValue": v} for k, v in values.items()]
    say("setting COOP_API_URL to the API's URL")
    update(cloudformation, stack["StackName"], say, UsePreviousTemplate=True, Parameters=params)
    found = describe(cloudformation, stack["StackName"])
    assert found is not None
    return found


# --- SES, web app, summary ------------------------------------------------------------------


def activate_rule_set(ses: Any, name: str, replace_other: bool) -> str:
    """CloudFormation cannot make a receipt rule set active; there is one per region."""
    try:
        active = ses.describe_active_receipt_rule_set().get("Metadata", {}).get("Name")
        if active == name:
            return "active"
        if active and not replace_other:
            return f"not activated: {active} is the active rule set in this region"
        ses.set_active_receipt_rule_set(RuleSetName=name)
    except ClientError as error:  # e.g. a region where SES does not receive mail
        return f"not activated: {error.response['Error'].get('Message', error)}"
    return "activated"


def web_config(outputs: dict[str, str], region: str) -> Json:
    return {
        "api_url": outputs["ApiUrl"],
        "cognito_endpoint": f"https://cognito-idp.{region}.amazonaws.com/",
        "region": region,
        "user_pool_id": outputs["UserPoolId"],
        "user_pool_client_id": outputs["UserPoolClientId"],
        "stage": outputs["Stage"],
    }


def cache_control(key: str) -> str:
    """No build step means no hashed file names: short caching, none for the entry points
    (pages, configuration, the service worker and the manifest)."""
    if key.endswith((".html", ".json", ".webmanifest")) or key.rsplit("/", 1)[-1] == "sw.js":
        return "no-cache"
    return "public, max-age=300"


CONTENT_TYPES = {".webmanifest": "application/manifest+json", ".js": "text/javascript"}


def content_type(key: str) -> str:
    suffix = "." + key.rsplit(".", 1)[-1] if "." in key else ""
    return CONTENT_TYPES.get(suffix) or mimetypes.guess_type(key)[0] or "application/octet-stream"


def web_files(web_dir: Path) -> Iterable[tuple[str, Path]]:
    if not web_dir.is_dir():
        return []
    return sorted(
        (path.relative_to(web_dir).as_posix(), path)
        for path in web_dir.rglob("*")
        if path.is_file() and not path.name.startswith(".")
    )


def publish_web(
    s3: Any, cloudfront: Any, outputs: dict[str, str], region: str, web_dir: Path
) -> int:
    """Uploads web/ and config.json, removes files no longer there, invalidates CloudFront."""
    bucket = outputs["WebBucketName"]
    published = {"config.json"}
    for key, path in web_files(web_dir):
        if key == "config.json":
            continue  # the deployed one is written below
        s3.put_object(
            Bucket=bucket,
            Key=key,
            Body=path.read_bytes(),
            ContentType=content_type(key),
            CacheControl=cache_control(key),
        )
        published.add(key)
    s3.put_object(
        Bucket=bucket,
        Key="config.json",
        Body=json.dumps(web_config(outputs, region), indent=2).encode(),
        ContentType="application/json",
        CacheControl="no-cache",
    )
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for item in page.get("Contents", []):
            if item["Key"] not in published:
                s3.delete_object(Bucket=bucket, Key=item["Key"])
    cloudfront.create_invalidation(
        DistributionId=outputs["WebDistributionId"],
        InvalidationBatch={
            "Paths": {"Quantity": 1, "Items": ["/*"]},
            "CallerReference": f"deploy-{time.time_ns()}",
        },
    )
    return len(published) - 1


def manual_steps(session: Any, outputs: dict[str, str], rule_set: str, region: str) -> list[str]:
    domain = outputs["MailDomain"]
    intake_domain = outputs["IntakeAddress"].rsplit("@", 1)[1]
    steps = []
    ses = session.client("ses")
    attributes = ses.get_identity_verification_attributes(Identities=[domain])
    status = attributes["VerificationAttributes"].get(domain, {}).get("VerificationStatus")
    if status != "Success":
        dkim = [outputs[k] for k in ("DkimRecord1", "DkimRecord2", "DkimRecord3") if k in outputs]
        records = "".join(f"\n      {record}" for record in dkim) or (
            "\n      (see the SES console: the identity already existed)"
        )
        steps.append(f"Verify {domain} for SES (status: {status or 'unknown'}): add{records}")
    steps.append(
        f"Receive mail: the MX record of {intake_domain} must be "
        f"`10 inbound-smtp.{region}.amazonaws.com` (SES receives in a few regions only)"
    )
    if rule_set != "active" and rule_set != "activated":
        steps.append(
            f"Make the rule set {outputs['ReceiptRuleSetName']} active ({rule_set}); "
            "`make deploy ... ARGS=--activate-rule-set` replaces the active one"
        )
    try:
        production = session.client("sesv2").get_account().get("ProductionAccessEnabled")
    except (ClientError, NotImplementedError):
        production = None
    if not production:
        steps.append(
            "SES sandbox: until production access is granted SES only sends to verified "
            "addresses (SES console: request production access)"
        )
    steps.append(
        "First admin: python -m devtools.cli admin create EMAIL --name NAME --discipline D "
        f"--years-experience N --aws --stage {outputs['Stage']}  (then sign in at the web "
        "app with the temporary password Cognito mails)"
    )
    return steps


# --- the whole deploy -----------------------------------------------------------------------


def deploy(
    session: Any,
    stage: Stage,
    template_path: Path,
    given: dict[str, str],
    *,
    replace_rule_set: bool = False,
    web_dir: Path = WEB_DIR,
    say: Say = print,
    for_cloudformation: Callable[[Json], Json] = lambda template: template,
) -> Outcome:
    """Deploys dist/<stage>/ (already built). `for_cloudformation` exists for the offline
    test, whose CloudFormation (moto) needs SAM translated first."""
    region = session.region_name
    if not region:
        raise DeployError("no AWS region: set AWS_REGION or AWS_DEFAULT_REGION")
    account = session.client("sts").get_caller_identity()["Account"]
    s3, cloudformation = session.client("s3"), session.client("cloudformation")
    bucket = artifact_bucket_name(account, region)
    ensure_artifact_bucket(s3, bucket, region)
    bundle = (template_path.parent / "deployment.zip").read_bytes()
    code_key = upload(s3, bucket, stage.name, bundle, ".zip")
    template = with_code_at(json.loads(template_path.read_text()), bucket, code_key)
    body = json.dumps(for_cloudformation(template)).encode()
    template_key = upload(s3, bucket, stage.name, body, ".template.json")
    template_url = f"https://{bucket}.s3.{region}.amazonaws.com/{template_key}"
    existing = describe(cloudformation, stage.stack_name)
    params = parameters(template, given, existing)
    create_or_update(cloudformation, stage, template_url, params, existing, say)
    stack = describe(cloudformation, stage.stack_name)
    assert stack is not None
    stack = fill_in_api_url(cloudformation, stack, say)
    outputs = outputs_of(stack)
    rule_set = activate_rule_set(
        session.client("ses"), outputs["ReceiptRuleSetName"], replace_rule_set
    )
    published = publish_web(s3, session.client("cloudfront"), outputs, region, web_dir)
    return Outcome(outputs, rule_set, published, manual_steps(session, outputs, rule_set, region))


def report(outcome: Outcome) -> str:
    lines = [
        "",
        f"API:      {outcome.outputs['ApiUrl']}",
        f"Web app:  {outcome.outputs['WebUrl']}  ({outcome.web_files} files and config.json)",
        f"Intake:   {outcome.outputs['IntakeAddress']} (rule set: {outcome.rule_set})",
        "",
        "Still to do by hand:",
    ]
    lines += [f"  {n}. {step}" for n, step in enumerate(outcome.manual, start=1)]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stage", required=True, help="dev or prod")
    parser.add_argument(
        "--parameter",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a stack parameter, e.g. AlarmEmail=ops@example.nl (repeat for more)",
    )
    parser.add_argument(
        "--activate-rule-set",
        action="store_true",
        help="make this stage's SES rule set active even if another one is",
    )
    args = parser.parse_args()
    chosen = stage(args.stage)
    given = dict(item.split("=", 1) for item in args.parameter)
    from infra.lint import lint
    from infra.template import build

    template_path = build(chosen)
    findings = lint(template_path)
    if findings:
        raise SystemExit("cfn-lint:\n" + "\n".join(findings))
    session = boto3.session.Session(region_name=os.environ.get("AWS_REGION") or None)
    try:
        outcome = deploy(
            session, chosen, template_path, given, replace_rule_set=args.activate_rule_set
        )
    except DeployError as error:
        raise SystemExit(f"deploy failed: {error}") from None
    print(report(outcome))


if __name__ == "__main__":
    main()
