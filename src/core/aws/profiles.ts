/**
 * The profiles the explorer lists with, from what the SDK's own loader read (loadProfiles.ts), so a
 * profile shown here is one the SDK's credential providers can resolve. Pure: the editor layer may import it.
 */

/** Where a profile's credentials come from: decides which fix to offer when they fail. */
export type CredentialSource = 'environment' | 'static' | 'sso' | 'assumeRole' | 'process' | 'webIdentity' | 'unknown';

/** One set of credentials the explorer can list with. */
export interface AwsProfile {
  /** The profile name; undefined = the SDK's default chain (environment credentials). */
  name: string | undefined;
  /** What the user sees: the name, or "Environment credentials". */
  label: string;
  /** The profile's own `region` (or, for the default chain, AWS_REGION / AWS_DEFAULT_REGION). */
  region?: string;
  source: CredentialSource;
  /** For IAM Identity Center profiles: what a sign-in needs. */
  sso?: SsoSettings;
}

export interface SsoSettings {
  startUrl?: string;
  /** The region of the Identity Center instance (where sign-in happens), not the profile's. */
  region?: string;
  /** The `[sso-session NAME]` the profile uses; undefined for legacy profiles with `sso_start_url`. */
  session?: string;
  accountId?: string;
  roleName?: string;
}

export type Env = Record<string, string | undefined>;

export const environmentProfileLabel = 'Environment credentials';
/** How the environment-credentials entry is named in the `ec2InstanceConnect.profiles` setting. */
export const environmentProfileSetting = '(environment)';

/** The name a profile has in the `ec2InstanceConnect.profiles` setting. */
export function profileSettingName(profile: AwsProfile): string {
  return profile.name ?? environmentProfileSetting;
}

/** Sections of a parsed file, as the SDK's loadSharedConfigFiles returns them. */
export type ParsedSections = Record<string, Record<string, string | undefined>>;

/**
 * The profiles of the two files, in file order, plus environment credentials first when they are set.
 * The SDK's loader names config sections `NAME` for profiles, `sso-session.NAME` and `services.NAME` for the rest.
 */
export function profilesFromFiles(config: ParsedSections, credentials: ParsedSections, env: Env): AwsProfile[] {
  const isProfile = (key: string) => !key.startsWith('sso-session.') && !key.startsWith('services.');
  const names = [...new Set([...Object.keys(config).filter(isProfile), ...Object.keys(credentials)])];
  const profiles: AwsProfile[] = names.map((name) => {
    // The SDK merges the two files the same way: the config file wins.
    const values = new Map(Object.entries({ ...credentials[name], ...config[name] }).filter((e): e is [string, string] => e[1] !== undefined));
    const session = values.get('sso_session');
    return describeProfile(name, values, session === undefined ? undefined : config[`sso-session.${session}`]);
  });

  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    profiles.unshift({
      name: undefined,
      label: environmentProfileLabel,
      region: env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined,
      source: 'environment',
    });
  }
  return profiles;
}

function describeProfile(name: string, values: Map<string, string>, sessionValues: ParsedSections[string] | undefined): AwsProfile {
  const region = values.get('region') || undefined;
  const session = values.get('sso_session');
  if (session !== undefined || values.has('sso_start_url')) {
    return {
      name,
      label: name,
      region,
      source: 'sso',
      sso: {
        startUrl: sessionValues?.sso_start_url ?? values.get('sso_start_url'),
        region: sessionValues?.sso_region ?? values.get('sso_region'),
        session,
        accountId: values.get('sso_account_id'),
        roleName: values.get('sso_role_name'),
      },
    };
  }
  const source: CredentialSource = values.has('role_arn')
    ? values.has('web_identity_token_file')
      ? 'webIdentity'
      : 'assumeRole'
    : values.has('credential_process')
      ? 'process'
      : values.has('aws_access_key_id')
        ? 'static'
        : 'unknown';
  return { name, label: name, region, source };
}

/**
 * The profiles the explorer shows: the `ec2InstanceConnect.profiles` setting when it names any
 * (unknown names are kept, so their failure shows at the profile); else AWS_PROFILE alone when it is
 * set, like every AWS tool; else every profile found.
 */
export function selectProfiles(all: AwsProfile[], chosen: readonly string[], env: Env = process.env): AwsProfile[] {
  const byName = (name: string): AwsProfile =>
    all.find((p) => profileSettingName(p) === name) ?? { name, label: name, source: 'unknown' };
  if (chosen.length > 0) return chosen.map(byName);
  if (env.AWS_PROFILE) return [byName(env.AWS_PROFILE)];
  return all;
}
