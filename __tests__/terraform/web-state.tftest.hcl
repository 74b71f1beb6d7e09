# Mock apply of the bootstrap stack: Terraform walks the whole graph (create, then destroy) with a mocked
# AWS provider. Run by __tests__/web-stacks.tf.test.ts, which lifts prevent_destroy (state bucket, its key,
# its access-log bucket) in a test-only override so the teardown can run.

mock_provider "aws" {
  source = "./tests/mocks"
}

run "apply" {
  command = apply

  assert {
    condition     = aws_s3_bucket_versioning.state_bucket_versioning.versioning_configuration[0].status == "Enabled"
    error_message = "the state bucket must be versioned"
  }
  assert {
    condition     = one(aws_s3_bucket_server_side_encryption_configuration.state_bucket_encryption.rule).apply_server_side_encryption_by_default[0].sse_algorithm == "aws:kms" && aws_kms_key.state_bucket_key.enable_key_rotation
    error_message = "the state bucket must be encrypted with a rotating KMS key"
  }
  assert {
    condition     = alltrue([aws_s3_bucket_public_access_block.state_bucket_public_access_block.block_public_acls, aws_s3_bucket_public_access_block.state_bucket_public_access_block.block_public_policy, aws_s3_bucket_public_access_block.state_bucket_public_access_block.ignore_public_acls, aws_s3_bucket_public_access_block.state_bucket_public_access_block.restrict_public_buckets])
    error_message = "all four public access blocks must be on"
  }
  assert {
    condition     = aws_s3_bucket_ownership_controls.state_bucket_ownership.rule[0].object_ownership == "BucketOwnerEnforced"
    error_message = "ACLs must be disabled"
  }
  assert {
    condition     = aws_s3_bucket_logging.state_bucket_access_logging.target_bucket == aws_s3_bucket.state_bucket_access_logs_bucket.id
    error_message = "state access must be logged to the access-log bucket"
  }
  assert {
    condition     = output.bucket == "web-platform-tfstate-111111111111-eu-west-1" && output.region == "eu-west-1" && output.kms_key_arn != ""
    error_message = "outputs must be present"
  }
}
