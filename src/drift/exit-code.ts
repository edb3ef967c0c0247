/** The documented exit code of `check` when anything drifted (0: nothing; 1: an error; 2: oclif's flag errors; 68/69: deploy's): a result, not an error. */
export const DRIFT_EXIT_CODE = 3;
