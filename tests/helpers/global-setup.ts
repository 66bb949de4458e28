import type { TestProject } from 'vitest/node';
import { ensureServerBuild } from './build';

/** Builds the server once for the whole run; API and browser tests start it per file. */
export default function setup(project: TestProject) {
  project.provide('serverEntry', ensureServerBuild());
}

declare module 'vitest' {
  export interface ProvidedContext {
    serverEntry: string;
  }
}
