// Entry of the second bundle (dist/core.js): everything that pulls in the AWS SDK or ssh2.
// Only types from here may be imported by the editor layer; values go through loadCore().
export const coreVersion = 1;
