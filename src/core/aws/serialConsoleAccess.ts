import { type EC2Client, EnableSerialConsoleAccessCommand, GetSerialConsoleAccessStatusCommand } from '@aws-sdk/client-ec2';

/** Whether the account may use the serial console in the client's region, and who decides it. */
export interface SerialConsoleAccess {
  enabled: boolean;
  /** 'declarative-policy': the organization decides, and EnableSerialConsoleAccess cannot change it. */
  managedBy?: string;
}

export async function serialConsoleAccess(client: EC2Client, abortSignal?: AbortSignal): Promise<SerialConsoleAccess> {
  const out = await client.send(new GetSerialConsoleAccessStatusCommand({}), { abortSignal });
  return { enabled: out.SerialConsoleAccessEnabled === true, managedBy: out.ManagedBy };
}

/** Turns serial console access on for the whole account in the client's region; resolves to the new state. */
export async function enableSerialConsoleAccess(client: EC2Client, abortSignal?: AbortSignal): Promise<boolean> {
  const out = await client.send(new EnableSerialConsoleAccessCommand({}), { abortSignal });
  return out.SerialConsoleAccessEnabled === true;
}
