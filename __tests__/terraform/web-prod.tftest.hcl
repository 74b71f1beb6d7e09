# Mock apply of the prod stack: Terraform walks the whole graph (create, then destroy) with a mocked
# AWS provider. Run by __tests__/web-stacks.tf.test.ts; prevent_destroy is lifted by a test-only override
# there, because the teardown at the end of `terraform test` is a destroy. __tests__/nothing-lost.tf.test.ts
# runs it as synthesized and expects that teardown to be refused for exactly the protected resources.

mock_provider "aws" {
  source = "./tests/mocks"
}

run "apply" {
  command = apply

  assert {
    condition     = aws_db_instance.database_instance.multi_az
    error_message = "prod database must be Multi-AZ"
  }
  assert {
    condition     = aws_db_instance.database_instance.storage_encrypted && aws_db_instance.database_instance.deletion_protection
    error_message = "prod database must be encrypted and deletion-protected"
  }
  assert {
    condition     = aws_autoscaling_group.app_servers_auto_scaling_group.min_size == 2 && aws_autoscaling_group.app_servers_auto_scaling_group.desired_capacity == 3 && aws_autoscaling_group.app_servers_auto_scaling_group.max_size == 6
    error_message = "ASG capacity must be 2 / 3 / 6"
  }
  assert {
    condition     = aws_lb_listener.load_balancer_https_listener.protocol == "HTTPS" && aws_lb_listener.load_balancer_http_listener.default_action[0].type == "redirect"
    error_message = "prod must serve HTTPS and redirect HTTP"
  }
  assert {
    condition     = length(distinct([aws_route.network_app_default_route_a.nat_gateway_id, aws_route.network_app_default_route_b.nat_gateway_id, aws_route.network_app_default_route_c.nat_gateway_id])) == 3
    error_message = "each app subnet must route through the NAT gateway of its own zone"
  }
  assert {
    condition     = aws_launch_template.app_servers_launch_template.metadata_options[0].http_tokens == "required" && aws_launch_template.app_servers_launch_template.metadata_options[0].http_put_response_hop_limit == 1
    error_message = "IMDSv2 must be required with hop limit 1"
  }
  assert {
    condition     = toset(keys(aws_route53_record.load_balancer_certificate_validation_record)) == toset([for o in aws_acm_certificate.load_balancer_certificate.domain_validation_options : o.domain_name])
    error_message = "one DNS validation record per name the certificate validates, keyed by that name"
  }
  assert {
    condition     = output.url == "https://app.example.com" && output.db_endpoint != "" && output.db_secret_arn != "" && output.vpc_id != ""
    error_message = "outputs must be present"
  }
  assert {
    condition     = length(output.public_subnet_ids) == 3 && length(output.app_subnet_ids) == 3 && length(output.data_subnet_ids) == 3
    error_message = "three subnets per tier"
  }
}
