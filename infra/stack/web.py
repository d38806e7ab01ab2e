"""The members' web app: static files in a private bucket, served by CloudFront through an
origin access control (the bucket answers CloudFront only). Hash routes: no SPA rewrites."""

from __future__ import annotations

from infra import ids
from infra.cfn import (
    Json,
    deny_insecure_transport,
    get_att,
    policy_document,
    private_bucket_properties,
    ref,
    sub,
)
from infra.stages import Stage

# AWS managed policies (fixed ids, the same in every account)
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
SECURITY_HEADERS = "67f7725c-6f97-4210-82d7-5512b31e9d03"


def web_url() -> Json:
    return sub(f"https://${{{ids.WEB_DISTRIBUTION}.DomainName}}")


def distribution(stage: Stage) -> Json:
    return {
        "Type": "AWS::CloudFront::Distribution",
        "Properties": {
            "DistributionConfig": {
                "Comment": f"{stage.service} web app",
                "Enabled": True,
                "DefaultRootObject": "index.html",
                "HttpVersion": "http2and3",
                "IPV6Enabled": True,
                "PriceClass": "PriceClass_100",
                "Origins": [
                    {
                        "Id": "web",
                        "DomainName": get_att(ids.WEB_BUCKET, "RegionalDomainName"),
                        "S3OriginConfig": {"OriginAccessIdentity": ""},
                        "OriginAccessControlId": get_att(ids.WEB_ORIGIN_ACCESS, "Id"),
                    }
                ],
                "DefaultCacheBehavior": {
                    "TargetOriginId": "web",
                    "ViewerProtocolPolicy": "redirect-to-https",
                    "AllowedMethods": ["GET", "HEAD"],
                    "Compress": True,
                    "CachePolicyId": CACHING_OPTIMIZED,
                    "ResponseHeadersPolicyId": SECURITY_HEADERS,
                },
            }
        },
    }


def bucket_policy() -> Json:
    cloudfront_reads = {
        "Sid": "CloudFrontReads",
        "Effect": "Allow",
        "Principal": {"Service": "cloudfront.amazonaws.com"},
        "Action": "s3:GetObject",
        "Resource": sub(f"${{{ids.WEB_BUCKET}.Arn}}/*"),
        "Condition": {
            "StringEquals": {
                "AWS:SourceArn": sub(
                    "arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/"
                    f"${{{ids.WEB_DISTRIBUTION}}}"
                )
            }
        },
    }
    return {
        "Type": "AWS::S3::BucketPolicy",
        "Properties": {
            "Bucket": ref(ids.WEB_BUCKET),
            "PolicyDocument": policy_document(
                [deny_insecure_transport(ids.WEB_BUCKET), cloudfront_reads]
            ),
        },
    }


def resources(stage: Stage) -> Json:
    return {
        ids.WEB_BUCKET: {"Type": "AWS::S3::Bucket", "Properties": private_bucket_properties()},
        "WebBucketPolicy": bucket_policy(),
        ids.WEB_ORIGIN_ACCESS: {
            "Type": "AWS::CloudFront::OriginAccessControl",
            "Properties": {
                "OriginAccessControlConfig": {
                    "Name": f"{stage.service}-web",
                    "OriginAccessControlOriginType": "s3",
                    "SigningBehavior": "always",
                    "SigningProtocol": "sigv4",
                }
            },
        },
        ids.WEB_DISTRIBUTION: distribution(stage),
    }
