import type { Ec2Instance } from '../../core/aws/model';

/** What commands may ask of the instances view (the editor's InstancesView; absent in the CLI). */
export interface ExplorerControl {
  refresh(): Promise<void>;
  readonly filter: string | undefined;
  /** Shows only matching instances; undefined or blank clears the filter. */
  setFilter(text: string | undefined): void;
  retryRegion(profile: string | undefined, region: string): Promise<void>;
  /** Shows an instance's new state where it is listed (and polls it while it is transitional). */
  updateInstance(instance: Ec2Instance): void;
}
