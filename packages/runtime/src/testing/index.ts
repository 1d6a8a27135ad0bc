// @promptc/runtime/testing: a local OpenAI- and Anthropic-compatible server for tests,
// benchmarks and offline demos.
export { startMockServer, type MockHandler, type MockRequest, type MockServer, type MockServerOptions, type Protocol } from "./server.js";
export { sampleFor, type MockReply, type MockUsage, type StreamFaults } from "./replies.js";
export { billedInputTokens, type Billing } from "./billing.js";
export { standInReply } from "./stand-in.js";
export { sharedRedis, startRedisServer, type RedisServer } from "./redis-server.js";
