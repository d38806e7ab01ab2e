"""The REST API Chalice made: a stage-specific name (its metrics' dimension) and gateway
responses, so that errors API Gateway answers itself have the app's shape and CORS origin.

They live in the API definition (not as separate GatewayResponse resources), so a change
redeploys the API stage with them.
"""

from __future__ import annotations

import json

from chalicelib.i18n.errors import generic
from infra import ids
from infra.cfn import Json, sub
from infra.stages import Stage

# response type -> (status, error code); the message is the app's own sentence for the status
# in Dutch (the default language: API Gateway answers before the app knows who asks)
GATEWAY_ERRORS = {
    "MISSING_AUTHENTICATION_TOKEN": ("404", "not_found"),  # unknown path or method
    "UNAUTHORIZED": ("401", "unauthenticated"),
    "ACCESS_DENIED": ("403", "forbidden"),
    "THROTTLED": ("429", "throttled"),
    "REQUEST_TOO_LARGE": ("413", "too_large"),
    "INTEGRATION_TIMEOUT": ("504", "timeout"),
    "DEFAULT_4XX": (None, "bad_request"),
    "DEFAULT_5XX": (None, "unavailable"),
}


def gateway_response(status: str | None, code: str) -> Json:
    said_for = int(status) if status else (503 if code == "unavailable" else 400)
    body = json.dumps(
        {"error": code, "message": generic(said_for, "nl"), "fields": []}, ensure_ascii=False
    )
    response: Json = {
        "responseParameters": {
            "gatewayresponse.header.Access-Control-Allow-Origin": sub(
                f"'https://${{{ids.WEB_DISTRIBUTION}.DomainName}}'"
            ),
            "gatewayresponse.header.Vary": "'Origin'",
        },
        "responseTemplates": {"application/json": body},
    }
    if status is not None:
        response["statusCode"] = status
    return response


def complete(template: Json, stage: Stage) -> None:
    api = template["Resources"][ids.REST_API]["Properties"]
    api["Name"] = stage.service
    api["DefinitionBody"]["info"]["title"] = stage.service
    api["DefinitionBody"]["x-amazon-apigateway-gateway-responses"] = {
        kind: gateway_response(status, code) for kind, (status, code) in GATEWAY_ERRORS.items()
    }


def api_url() -> Json:
    """Chalice's EndpointURL: https://<api id>.execute-api.<region>.amazonaws.com/api/"""
    return sub(f"https://${{{ids.REST_API}}}.execute-api.${{AWS::Region}}.${{AWS::URLSuffix}}/api/")
