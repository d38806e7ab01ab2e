"""The REST API Chalice made: a stage-specific name (its metrics' dimension) and gateway
responses, so that errors API Gateway answers itself have the app's shape and CORS origin.

They live in the API definition (not as separate GatewayResponse resources), so a change
redeploys the API stage with them.
"""

from __future__ import annotations

from infra import ids
from infra.cfn import Json, sub
from infra.stages import Stage

# response type -> (status, error code); the message is API Gateway's own
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
    body = '{"error":"' + code + '","message":$context.error.messageString}'
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
