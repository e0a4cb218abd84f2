/** Where a command handler leaves its exit code; main() returns it once yargs is done. */
export interface ExitCodeSink {
  code: number;
}
