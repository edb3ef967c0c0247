/** A deploy job: its options, its state as the Metadata API reports it, and its component messages. */
import type { OrgState } from '../state.js';
import { arr, bool } from './soap-xml.js';
import { fieldText } from '../field-text.js';

export type DeployOptions = {
  checkOnly: boolean;
  rollbackOnError: boolean;
  ignoreWarnings: boolean;
  singlePackage: boolean;
  purgeOnDelete: boolean;
  testLevel?: string;
  runTests: string[];
};

export type DeployMessage = {
  changed: boolean;
  columnNumber?: number;
  componentType: string;
  created: boolean;
  createdDate: string;
  deleted: boolean;
  fileName: string;
  fullName: string;
  id?: string;
  lineNumber?: number;
  problem?: string;
  problemType?: string;
  success: boolean;
};

export type DeployJob = {
  id: string;
  org: OrgState;
  zip: Buffer;
  options: DeployOptions;
  /** the endpoint's API version (SOAP /services/Soap/m/XX.X, REST /services/data/vXX.X) */
  apiVersion: string;
  pollsLeft: number;
  status: 'Pending' | 'InProgress' | 'Succeeded' | 'SucceededPartial' | 'Failed' | 'Canceling' | 'Canceled';
  created: string;
  started?: string;
  completed?: string;
  successes: DeployMessage[];
  failures: DeployMessage[];
  total: number;
  errorMessage?: string;
  errorStatusCode?: string;
  validatedDeployRequestId?: string | null;
};

/** One file of a deploy: its metadata type and full name, its path in the zip, its XML. */
export type Component = { type: string; fullName: string; fileName: string; xml?: string };

/** DeployOptions as SOAP or REST send them (strings or booleans), with Salesforce's defaults. */
export function deployOptions(raw: Record<string, unknown>): DeployOptions {
  return {
    checkOnly: bool(raw.checkOnly, false),
    rollbackOnError: bool(raw.rollbackOnError, true),
    ignoreWarnings: bool(raw.ignoreWarnings, false),
    singlePackage: bool(raw.singlePackage, false),
    purgeOnDelete: bool(raw.purgeOnDelete, false),
    testLevel: raw.testLevel ? fieldText(raw.testLevel) : undefined,
    runTests: arr(raw.runTests as string[]).map(String),
  };
}

/** A component's message in the deploy result (a success unless `extra` says otherwise). */
export function deployMessage(c: Component, createdDate: string, extra: Partial<DeployMessage>): DeployMessage {
  return {
    changed: false,
    componentType: c.type,
    created: false,
    createdDate,
    deleted: false,
    fileName: c.fileName,
    fullName: c.fullName,
    success: true,
    ...extra,
  };
}
