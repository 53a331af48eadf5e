/**
 * The `debug` package as fhirclient uses it (`debug(ns)`, `.extend(ns)`), writing nothing: fhirclient
 * logs its launch state and requests through it whenever `localStorage.debug` is set, and those are
 * not for the console. CommonJS because fhirclient calls `require("debug")` itself as the factory.
 */
function silentDebug() {
  const log = () => undefined;
  log.extend = silentDebug;
  log.enabled = false;
  return log;
}
module.exports = silentDebug;
