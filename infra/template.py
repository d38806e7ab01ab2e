"""The complete stack of a stage: `python -m infra.template --stage dev` writes
dist/<stage>/template.json with the Lambda bundle (deployment.zip) beside it.

Chalice packages app.py (functions, API, schedules, SNS handler) as SAM; this module
completes that template with everything around it (infra/stack/*) and one least-privilege
role per function (infra/policies/; a job's access is named in the job registry,
chalicelib/jobs.py). No AWS credentials are needed.
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

from infra import ids
from infra.agreement import differences
from infra.cfn import Json, get_att, ref
from infra.package import ROOT, package
from infra.policies import Function
from infra.stack import alarms, api, functions, identity, mail, parameters, tables, web
from infra.stages import Stage, stage

DIST = ROOT / "dist"


def assemble(sam: Json, stage: Stage) -> Json:
    """Chalice's SAM template -> the stage's complete template (pure; sam is not changed)."""
    template: Json = json.loads(json.dumps(sam))
    template["Description"] = f"Co-operations platform, stage {stage.name}"
    template["Parameters"] = parameters.parameters(stage)
    template["Conditions"] = parameters.conditions()
    resources = template["Resources"]
    resources |= tables.resources(stage)
    resources |= identity.resources(stage)
    resources |= mail.resources(stage)
    resources |= web.resources(stage)
    resources[ids.SIGNING_SECRET] = functions.signing_secret(stage)
    by_id = dict(_complete_functions(template, stage))
    api.complete(template, stage)
    resources |= alarms.resources(stage, by_id)
    template["Outputs"] = outputs(stage)
    return template


def _complete_functions(template: Json, stage: Stage) -> list[tuple[str, Function]]:
    logical_ids = list(functions.function_names(template))
    return list(zip(logical_ids, functions.complete(template, stage), strict=True))


def output(value: Json | str, description: str) -> Json:
    return {"Value": value, "Description": description}


def outputs(stage: Stage) -> Json:
    found = {
        "Stage": output(stage.name, "The stage"),
        "Region": output(ref("AWS::Region"), "The region"),
        "EndpointURL": output(api.api_url(), "The API's base URL (Chalice's name)"),
        "ApiUrl": output(api.api_url(), "The API's base URL"),
        "ConfiguredApiUrl": output(ref(ids.P_API_URL), "COOP_API_URL as the functions have it"),
        "RestAPIId": output(ref(ids.REST_API), "The REST API"),
        "WebUrl": output(web.web_url(), "The members' web app"),
        "WebBucketName": output(ref(ids.WEB_BUCKET), "Bucket of the web app's files"),
        "WebDistributionId": output(ref(ids.WEB_DISTRIBUTION), "CloudFront distribution"),
        "UserPoolId": output(ref(ids.USER_POOL), "Cognito user pool"),
        "UserPoolClientId": output(ref(ids.USER_POOL_CLIENT), "Cognito app client (no secret)"),
        "TableName": output(ref(ids.MAIN_TABLE), "Main DynamoDB table"),
        "LedgerTableName": output(ref(ids.LEDGER_TABLE), "Ledger DynamoDB table"),
        "MailDomain": output(ref(ids.P_MAIL_DOMAIN), "Domain of the collective's mail"),
        "MailFrom": output(ref(ids.P_MAIL_FROM), "Sender of the app's mail"),
        "IntakeAddress": output(ref(ids.P_INTAKE_ADDRESS), "Address for mailed opportunities"),
        "IntakeBucketName": output(ref(ids.INTAKE_BUCKET), "Raw intake mail and attachments"),
        "IntakeTopicArn": output(ref(ids.INTAKE_TOPIC), "SES notifies the intake here"),
        "ReceiptRuleSetName": output(ref(ids.RECEIPT_RULE_SET), "SES rule set to make active"),
        "AlarmTopicArn": output(ref(ids.ALARM_TOPIC), "Alarms are published here"),
        "SigningSecretArn": output(ref(ids.SIGNING_SECRET), "HMAC key of signed links"),
        "UserPoolArn": output(get_att(ids.USER_POOL, "Arn"), "Cognito user pool ARN"),
    }
    return found | mail.dkim_outputs()


def build(stage: Stage, dist: Path = DIST) -> Path:
    """Writes dist/<stage>/template.json and deployment.zip; answers the template's path."""
    out = dist / stage.name
    out.mkdir(parents=True, exist_ok=True)
    sam, bundle = package(stage.name, out / "chalice")
    shutil.move(bundle, out / "deployment.zip")  # CodeUri ./deployment.zip stays true
    (out / "chalice-sam.json").write_text(json.dumps(sam, indent=2))
    shutil.rmtree(out / "chalice")
    template = assemble(sam, stage)
    check_agreement(template, stage)
    target = out / "template.json"
    target.write_text(json.dumps(template, indent=2, sort_keys=True) + "\n")
    return target


def check_agreement(template: Json, stage: Stage) -> None:
    """Refuses a template that does not deploy what app.py defines (see infra/agreement.py)."""
    from app import app  # the same app Chalice just packaged

    problems = differences(app, template, stage)
    if problems:
        raise SystemExit("app.py and the stack disagree:\n" + "\n".join(problems))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stage", required=True, help="dev or prod")
    parser.add_argument("--no-lint", action="store_true", help="skip cfn-lint")
    args = parser.parse_args()
    target = build(stage(args.stage))
    print(f"wrote {target.relative_to(ROOT)} and {target.parent.relative_to(ROOT)}/deployment.zip")
    if not args.no_lint:
        from infra.lint import lint

        findings = lint(target)
        for finding in findings:
            print(f"cfn-lint: {finding}")
        if findings:
            raise SystemExit(1)
        print("cfn-lint: no findings")


if __name__ == "__main__":
    main()
