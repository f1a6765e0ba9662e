import type { Env } from './profiles';

/**
 * The region a command runs in, in the order the AWS CLI uses: an explicit choice (`--region`),
 * then AWS_REGION, then AWS_DEFAULT_REGION, then the profile's `region`. Undefined when none is set:
 * the caller asks the user (editor) or says how to set one (CLI).
 */
export function resolveRegion(options: { explicit?: string; profileRegion?: string; env?: Env }): string | undefined {
  const env = options.env ?? process.env;
  return nonEmpty(options.explicit) ?? nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION) ?? nonEmpty(options.profileRegion);
}

function nonEmpty(text: string | undefined): string | undefined {
  const trimmed = text?.trim();
  return trimmed ? trimmed : undefined;
}

const regionPattern = /^[a-z]{2}(?:-[a-z]+)+-\d+$/;

/** A region name as AWS spells them (us-east-1, us-gov-west-1, cn-north-1), for validating typed input. */
export function isRegionName(text: string): boolean {
  return regionPattern.test(text);
}
