/**
 * Medplum 5 references a global WebSocket when its modules load; Node 20 has none without
 * --experimental-websocket. The sandbox never opens one, so a stub that refuses is enough.
 * Imported first by every sandbox entry point.
 */
if (typeof globalThis.WebSocket === 'undefined') {
  globalThis.WebSocket = class {
    constructor() {
      throw new Error('WebSocket is not available in the sandbox');
    }
  } as unknown as typeof WebSocket;
}
export {};
