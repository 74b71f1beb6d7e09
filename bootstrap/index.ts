/**
 * `npm run bootstrap`: the state stack deployed with its state kept outside the build folder, then moved into
 * the bucket it made, in one command that resumes wherever an earlier run stopped. plan.ts decides (pure),
 * run.ts carries it out with Terraform and the AWS SDK.
 */
export * from './plan';
export * from './run';
