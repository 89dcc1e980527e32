// The little of Node the program uses, declared here so that the check needs
// no @types/node.
declare const process: {
  env: Record<string, string | undefined>;
  exitCode?: number;
};
