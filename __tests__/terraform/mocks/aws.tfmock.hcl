# Values the mocked AWS provider returns for computed attributes during `terraform test`.
# Terraform's random mock strings fail the provider's own validation where an ARN or a list shape is
# expected, so those attributes get realistic values here. Shared by every stack's .tftest.hcl.

mock_resource "aws_kms_key" {
  defaults = {
    arn    = "arn:aws:kms:eu-west-1:111111111111:key/00000000-0000-0000-0000-000000000000"
    key_id = "00000000-0000-0000-0000-000000000000"
  }
}

mock_resource "aws_iam_role" {
  defaults = {
    arn = "arn:aws:iam::111111111111:role/mock-role"
  }
}

mock_resource "aws_iam_instance_profile" {
  defaults = {
    arn = "arn:aws:iam::111111111111:instance-profile/mock-profile"
  }
}

mock_resource "aws_cloudwatch_log_group" {
  defaults = {
    arn = "arn:aws:logs:eu-west-1:111111111111:log-group:mock"
  }
}

mock_resource "aws_lb_target_group" {
  defaults = {
    arn        = "arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/mock/0123456789abcdef"
    arn_suffix = "targetgroup/mock/0123456789abcdef"
  }
}

mock_resource "aws_lb" {
  defaults = {
    arn        = "arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/mock/0123456789abcdef"
    arn_suffix = "app/mock/0123456789abcdef"
    dns_name   = "mock-alb-123456789.eu-west-1.elb.amazonaws.com"
    zone_id    = "Z32O12XQLNTSW2"
  }
}

mock_resource "aws_lb_listener" {
  defaults = {
    arn = "arn:aws:elasticloadbalancing:eu-west-1:111111111111:listener/app/mock/0123456789abcdef/0123456789abcdef"
  }
}

# The real provider plans domain_validation_options with the domain names known, and the validation
# records are a for_each over them: so this mock answers during plan too (else the for_each keys would be
# unknown), with every computed string fixed (a mock that answers at plan draws random strings again at
# apply, which Terraform rejects as an inconsistent plan).
mock_resource "aws_acm_certificate" {
  override_during = plan
  defaults = {
    id                  = "arn:aws:acm:eu-west-1:111111111111:certificate/00000000-0000-0000-0000-000000000000"
    arn                 = "arn:aws:acm:eu-west-1:111111111111:certificate/00000000-0000-0000-0000-000000000000"
    not_after           = "2027-01-01T00:00:00Z"
    not_before          = "2026-01-01T00:00:00Z"
    renewal_eligibility = "INELIGIBLE"
    status              = "ISSUED"
    type                = "AMAZON_ISSUED"
    domain_validation_options = [{
      domain_name           = "app.example.com"
      resource_record_name  = "_x1.app.example.com."
      resource_record_type  = "CNAME"
      resource_record_value = "_x2.acm-validations.aws."
    }]
  }
}

mock_resource "aws_acm_certificate_validation" {
  defaults = {
    certificate_arn = "arn:aws:acm:eu-west-1:111111111111:certificate/00000000-0000-0000-0000-000000000000"
  }
}

mock_resource "aws_s3_bucket" {
  defaults = {
    arn = "arn:aws:s3:::mock-bucket"
  }
}

mock_resource "aws_autoscaling_policy" {
  defaults = {
    arn = "arn:aws:autoscaling:eu-west-1:111111111111:scalingPolicy:00000000-0000-0000-0000-000000000000:autoScalingGroupName/mock:policyName/mock"
  }
}

mock_resource "aws_launch_template" {
  defaults = {
    id             = "lt-0123456789abcdef0"
    arn            = "arn:aws:ec2:eu-west-1:111111111111:launch-template/lt-0123456789abcdef0"
    latest_version = 1
  }
}

mock_resource "aws_db_instance" {
  defaults = {
    arn      = "arn:aws:rds:eu-west-1:111111111111:db:mock-db"
    address  = "mock-db.abcdefghijkl.eu-west-1.rds.amazonaws.com"
    endpoint = "mock-db.abcdefghijkl.eu-west-1.rds.amazonaws.com:3306"
    master_user_secret = [{
      kms_key_id    = "arn:aws:kms:eu-west-1:111111111111:key/00000000-0000-0000-0000-000000000000"
      secret_arn    = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:rds!db-0000-AbCdEf"
      secret_status = "active"
    }]
  }
}

mock_resource "aws_sns_topic" {
  defaults = {
    arn = "arn:aws:sns:eu-west-1:111111111111:mock-topic"
  }
}

mock_resource "aws_wafv2_web_acl" {
  defaults = {
    arn = "arn:aws:wafv2:eu-west-1:111111111111:regional/webacl/mock/00000000-0000-0000-0000-000000000000"
  }
}

# The AMI the public SSM parameter names when the deploy is planned.
mock_data "aws_ssm_parameter" {
  defaults = {
    insecure_value = "ami-0123456789abcdef0"
    type           = "String"
  }
}

mock_resource "aws_ecr_repository" {
  defaults = {
    arn            = "arn:aws:ecr:eu-west-1:111111111111:repository/mock-app"
    repository_url = "111111111111.dkr.ecr.eu-west-1.amazonaws.com/mock-app"
    registry_id    = "111111111111"
  }
}

# The edge: CloudFront, its us-east-1 web ACLs and log deliveries (ARNs where the provider validates them).
mock_resource "aws_cloudfront_distribution" {
  defaults = {
    id             = "E2MOCKDISTRIB"
    arn            = "arn:aws:cloudfront::111111111111:distribution/E2MOCKDISTRIB"
    domain_name    = "d111111abcdef8.cloudfront.net"
    hosted_zone_id = "Z2FDTNDATAQYW2"
  }
}

mock_resource "aws_cloudfront_function" {
  defaults = {
    arn = "arn:aws:cloudfront::111111111111:function/mock"
  }
}

mock_resource "aws_wafv2_ip_set" {
  defaults = {
    arn = "arn:aws:wafv2:us-east-1:111111111111:global/ipset/mock/00000000-0000-0000-0000-000000000000"
  }
}

mock_resource "aws_cloudwatch_log_delivery_source" {
  defaults = {
    arn = "arn:aws:logs:us-east-1:111111111111:delivery-source:mock"
  }
}

mock_resource "aws_cloudwatch_log_delivery_destination" {
  defaults = {
    arn = "arn:aws:logs:us-east-1:111111111111:delivery-destination:mock"
  }
}

mock_resource "aws_secretsmanager_secret" {
  defaults = {
    arn = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:mock-AbCdEf"
  }
}

mock_resource "aws_lb_listener_rule" {
  defaults = {
    arn = "arn:aws:elasticloadbalancing:eu-west-1:111111111111:listener-rule/app/mock/0123456789abcdef/0123456789abcdef/0123456789abcdef"
  }
}

# The CI identities of the bootstrap stack: role trust names the provider, attachments the policies, by ARN.
mock_resource "aws_iam_openid_connect_provider" {
  defaults = {
    arn = "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com"
  }
}

mock_resource "aws_iam_policy" {
  defaults = {
    arn = "arn:aws:iam::111111111111:policy/mock-policy"
  }
}
