# Mock apply of the dev stack: Terraform walks the whole graph (create, then destroy) with a mocked AWS
# provider. Run by __tests__/web-stacks.tf.test.ts.

mock_provider "aws" {
  source = "./tests/mocks"
}

run "apply" {
  command = apply

  assert {
    condition     = !aws_db_instance.database_instance.multi_az && aws_db_instance.database_instance.storage_encrypted
    error_message = "dev database is single-AZ (cheap) but still encrypted"
  }
  assert {
    condition     = !aws_db_instance.database_instance.deletion_protection && aws_db_instance.database_instance.skip_final_snapshot
    error_message = "dev tears down without deletion protection or a final snapshot"
  }
  assert {
    condition     = aws_autoscaling_group.app_servers_auto_scaling_group.min_size == 1 && aws_autoscaling_group.app_servers_auto_scaling_group.desired_capacity == 1 && aws_autoscaling_group.app_servers_auto_scaling_group.max_size == 2
    error_message = "ASG capacity must be 1 / 1 / 2"
  }
  assert {
    condition     = aws_lb_listener.load_balancer_http_listener.protocol == "HTTP" && aws_lb_listener.load_balancer_http_listener.default_action[0].type == "forward"
    error_message = "dev without HTTPS forwards plain HTTP"
  }
  assert {
    condition     = aws_route.network_app_default_route_a.nat_gateway_id == aws_nat_gateway.network_nat_gateway_a.id && aws_route.network_app_default_route_b.nat_gateway_id == aws_nat_gateway.network_nat_gateway_a.id
    error_message = "both app subnets route through the single NAT gateway"
  }
  assert {
    condition     = aws_launch_template.app_servers_launch_template.metadata_options[0].http_tokens == "required"
    error_message = "IMDSv2 must be required"
  }
  assert {
    condition     = startswith(output.url, "http://") && output.db_endpoint != "" && output.db_secret_arn != "" && output.vpc_id != ""
    error_message = "outputs must be present"
  }
  assert {
    condition     = length(output.public_subnet_ids) == 2 && length(output.app_subnet_ids) == 2 && length(output.data_subnet_ids) == 2
    error_message = "two subnets per tier"
  }
}
