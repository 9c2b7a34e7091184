export type * from './lib/instructions';
export { parseDockerfile, parseOnbuildTrigger, type ParseOptions } from './lib/parse-dockerfile';
export { ShellWordExpander } from './lib/shell-word-expander';
export { DockerIgnore } from './lib/dockerignore/dockerignore';
