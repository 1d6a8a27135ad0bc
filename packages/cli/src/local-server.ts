// promptc's local server with its stand-in model: what `promptc serve` runs and `promptc eval --local` starts.
import { standInReply, startMockServer, type MockServer } from "@promptc/runtime/testing";

/** Starts the server with the stand-in model on 127.0.0.1 (port 0: any free one); the caller closes it. */
export function startLocalServer(port = 0): Promise<MockServer> {
  return startMockServer({ handler: standInReply, port });
}
