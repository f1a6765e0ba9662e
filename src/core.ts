// Entry of the second bundle (dist/core.js): everything that pulls in the AWS SDK or ssh2.
// The editor layer imports only types from here; values go through loadCore().
export { AwsClients } from './aws/clients';
export { describeInstance, listInstances, toEc2Instance } from './aws/instances';
