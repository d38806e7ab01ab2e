"""The Cognito user pool: members sign in with their email address as username.

The app creates users with Username = lowercased email (no UsernameAttributes) and maps
tokens to members by username; admins are the `admin` group. The web app calls
InitiateAuth directly from the browser, so its client has no secret.
"""

from __future__ import annotations

from infra import ids
from infra.cfn import Json, ref, retained, sub
from infra.stages import Stage

INVITATION_SUBJECT = "Welkom bij Co-operations"
INVITATION = (
    "Welkom bij Co-operations!<br><br>"
    "Je aanmelding is goedgekeurd. Log in op https://${WebDistribution.DomainName}/ "
    "met je e-mailadres {username} en dit tijdelijke wachtwoord: {####}<br>"
    "Bij de eerste keer inloggen kies je je eigen wachtwoord. Het tijdelijke wachtwoord "
    "verloopt na 7 dagen.<br><br>"
    "(English: your application was approved. Sign in with your email address and the "
    "temporary password above; you will choose your own password.)"
)


def user_pool(stage: Stage) -> Json:
    properties: Json = {
        "UserPoolName": stage.service,
        "AutoVerifiedAttributes": ["email"],
        "UsernameConfiguration": {"CaseSensitive": False},
        "Schema": [
            {"Name": "email", "AttributeDataType": "String", "Required": True, "Mutable": True},
            {"Name": "name", "AttributeDataType": "String", "Required": False, "Mutable": True},
        ],
        "Policies": {
            "PasswordPolicy": {
                "MinimumLength": 12,
                "RequireLowercase": True,
                "RequireUppercase": True,
                "RequireNumbers": True,
                "RequireSymbols": False,
                "TemporaryPasswordValidityDays": 7,
            }
        },
        "AdminCreateUserConfig": {
            "AllowAdminCreateUserOnly": True,  # members are admitted, never self-registered
            "InviteMessageTemplate": {
                "EmailSubject": INVITATION_SUBJECT,
                "EmailMessage": sub(INVITATION),
            },
        },
        "AccountRecoverySetting": {
            "RecoveryMechanisms": [{"Name": "verified_email", "Priority": 1}]
        },
        "DeletionProtection": "ACTIVE" if stage.prod else "INACTIVE",
    }
    return retained({"Type": "AWS::Cognito::UserPool", "Properties": properties}, stage.prod)


def resources(stage: Stage) -> Json:
    return {
        ids.USER_POOL: user_pool(stage),
        ids.USER_POOL_CLIENT: {
            "Type": "AWS::Cognito::UserPoolClient",
            "Properties": {
                "UserPoolId": ref(ids.USER_POOL),
                "ClientName": f"{stage.service}-web",
                "GenerateSecret": False,
                "ExplicitAuthFlows": [
                    "ALLOW_USER_PASSWORD_AUTH",
                    "ALLOW_USER_SRP_AUTH",
                    "ALLOW_REFRESH_TOKEN_AUTH",
                ],
                "ReadAttributes": ["email", "name"],
                "PreventUserExistenceErrors": "ENABLED",
            },
        },
        ids.ADMIN_GROUP: {
            "Type": "AWS::Cognito::UserPoolGroup",
            "Properties": {
                "UserPoolId": ref(ids.USER_POOL),
                "GroupName": "admin",
                "Description": "Admins of the collective (treasurer, board)",
            },
        },
    }


def issuer() -> Json:
    return sub("https://cognito-idp.${AWS::Region}.amazonaws.com/${UserPool}")
