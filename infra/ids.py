"""Logical ids of the stack's resources and parameters (Chalice's own are RestAPI and the
functions' CamelCase names)."""

MAIN_TABLE = "MainTable"
LEDGER_TABLE = "LedgerTable"
USER_POOL = "UserPool"
USER_POOL_CLIENT = "UserPoolClient"
ADMIN_GROUP = "AdminGroup"
INTAKE_BUCKET = "IntakeBucket"
INTAKE_TOPIC = "IntakeTopic"
RECEIPT_RULE_SET = "IntakeRuleSet"
RECEIPT_RULE = "IntakeRule"
MAIL_IDENTITY = "MailIdentity"
WEB_BUCKET = "WebBucket"
WEB_DISTRIBUTION = "WebDistribution"
WEB_ORIGIN_ACCESS = "WebOriginAccessControl"
SIGNING_SECRET = "SigningSecret"
ALARM_TOPIC = "AlarmTopic"
REST_API = "RestAPI"  # made by Chalice

# parameters
P_MAIL_DOMAIN = "MailDomain"
P_MAIL_FROM = "MailFrom"
P_INTAKE_ADDRESS = "IntakeAddress"
P_CREATE_MAIL_IDENTITY = "CreateMailIdentity"
P_API_URL = "ApiUrl"
P_ALARM_EMAIL = "AlarmEmail"
P_POLICY_JSON = "PolicyJson"
P_RAW_MAIL_DAYS = "RawMailRetentionDays"

# conditions
C_HAS_ALARM_EMAIL = "HasAlarmEmail"
C_CREATE_MAIL_IDENTITY = "CreatesMailIdentity"
