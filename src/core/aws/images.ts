import { DescribeImagesCommand, type EC2Client } from '@aws-sdk/client-ec2';

/** What an AMI says about the OS on it: the text the OS user is guessed from. Untrusted text. */
export interface ImageInfo {
  imageId: string;
  name?: string;
  description?: string;
  /** e.g. "Linux/UNIX", "Red Hat Enterprise Linux", "Ubuntu Pro", "Windows". */
  platformDetails?: string;
  /** "windows" for Windows images, else undefined. */
  platform?: string;
}

/** One image by id, or undefined when it is gone (deregistered) or not visible to this account. */
export async function describeImage(client: EC2Client, imageId: string, abortSignal?: AbortSignal): Promise<ImageInfo | undefined> {
  try {
    const out = await client.send(new DescribeImagesCommand({ ImageIds: [imageId] }), { abortSignal });
    const image = out.Images?.[0];
    if (!image) return undefined;
    return {
      imageId,
      name: image.Name,
      description: image.Description,
      platformDetails: image.PlatformDetails,
      platform: image.Platform,
    };
  } catch (err) {
    if (/^InvalidAMIID\./.test((err as { name?: string }).name ?? '')) return undefined;
    throw err;
  }
}
