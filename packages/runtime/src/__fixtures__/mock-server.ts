// The local server for a test file: started once, reset before each test, closed after all.
import { afterAll, beforeEach } from "vitest";
import { startMockServer, type MockServer } from "../testing/server.js";

export async function mockServerForTests(): Promise<MockServer> {
  const server = await startMockServer();
  afterAll(() => server.close());
  beforeEach(() => {
    server.requests.length = 0;
    server.setHandler(undefined);
  });
  return server;
}
