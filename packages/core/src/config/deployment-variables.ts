import type { Environment } from './resolve-config';

/**
 * The variables CI/CD systems and hosting platforms set with the commit being built or run,
 * first set wins; docs/resource.md lists them (a test keeps the two in step). They are there at
 * run time on platforms that build and run (Heroku, Render, Vercel, Railway, ...), or when the
 * image bakes one in (`ENV GIT_COMMIT=...`).
 */
export const REVISION_VARIABLES = [
  'GITHUB_SHA', // GitHub Actions
  'CI_COMMIT_SHA', // GitLab CI
  'GIT_COMMIT', // Jenkins (git plugin)
  'CIRCLE_SHA1', // CircleCI
  'BITBUCKET_COMMIT', // Bitbucket Pipelines
  'BUILDKITE_COMMIT', // Buildkite
  'BUILD_SOURCEVERSION', // Azure Pipelines
  'CODEBUILD_RESOLVED_SOURCE_VERSION', // AWS CodeBuild
  'DRONE_COMMIT_SHA', // Drone
  'TRAVIS_COMMIT', // Travis CI
  'SOURCE_COMMIT', // Docker Hub automated builds, Coolify
  'HEROKU_SLUG_COMMIT', // Heroku (dyno metadata)
  'RENDER_GIT_COMMIT', // Render
  'VERCEL_GIT_COMMIT_SHA', // Vercel
  'RAILWAY_GIT_COMMIT_SHA', // Railway
  'CF_PAGES_COMMIT_SHA', // Cloudflare Pages
  'COMMIT_REF', // Netlify
  'KOYEB_GIT_SHA', // Koyeb
] as const;

export const BRANCH_VARIABLES = [
  'GITHUB_REF_NAME',
  'CI_COMMIT_REF_NAME',
  'GIT_BRANCH',
  'CIRCLE_BRANCH',
  'BITBUCKET_BRANCH',
  'BUILDKITE_BRANCH',
  'BUILD_SOURCEBRANCHNAME',
  'DRONE_BRANCH',
  'TRAVIS_BRANCH',
  'RENDER_GIT_BRANCH',
  'VERCEL_GIT_COMMIT_REF',
  'RAILWAY_GIT_BRANCH',
  'CF_PAGES_BRANCH',
  'KOYEB_GIT_BRANCH',
] as const;

/** Variables holding the repository's URL (GitHub's is built from two). */
export const REPOSITORY_VARIABLES = ['CI_PROJECT_URL', 'GIT_URL', 'CIRCLE_REPOSITORY_URL', 'BUILDKITE_REPO', 'BUILD_REPOSITORY_URI', 'REPOSITORY_URL'] as const;

export interface DeploymentFacts {
  revision?: string;
  branch?: string;
  repositoryUrl?: string;
}

const REVISION = /^[0-9a-f]{7,64}$/i;

/** Reads the deploy's commit, branch and repository from the CI/CD variables, once, at start. */
export function readDeploymentVariables(env: Environment): DeploymentFacts {
  const first = (names: readonly string[], valid: (value: string) => boolean = () => true) =>
    names.map((name) => env[name]?.trim()).find((value): value is string => value !== undefined && value !== '' && valid(value));
  const facts: DeploymentFacts = {};
  const revision = first(REVISION_VARIABLES, (value) => REVISION.test(value));
  if (revision) facts.revision = revision.toLowerCase();
  // GITHUB_REF_NAME is a tag's name on tag builds; a branch only when GITHUB_REF says so.
  const branch = first(BRANCH_VARIABLES.filter((name) => name !== 'GITHUB_REF_NAME' || env.GITHUB_REF?.startsWith('refs/heads/')));
  if (branch) facts.branch = branch.replace(/^origin\//, '');
  const github = env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY ? `${env.GITHUB_SERVER_URL.replace(/\/$/, '')}/${env.GITHUB_REPOSITORY}` : undefined;
  const repositoryUrl = github ?? first(REPOSITORY_VARIABLES);
  if (repositoryUrl) facts.repositoryUrl = repositoryUrl;
  return facts;
}
