/**
 * Test-only preload (node --import): moves the server's clock so that it starts at
 * MATWISE_TEST_NOW (an ISO instant) and then runs on at the real pace. Used by browser tests that
 * need a given local hour in a given zone (late evening in New York, early morning in Auckland).
 */
const target = process.env.MATWISE_TEST_NOW ? Date.parse(process.env.MATWISE_TEST_NOW) : Number.NaN;
if (Number.isFinite(target)) {
  const RealDate = Date;
  const offset = target - RealDate.now();
  // A function, not a subclass, so Date.prototype stays the real one (@date-fns/tz copies its methods).
  function ShiftedDate(...args) {
    if (!new.target) return new RealDate(RealDate.now() + offset).toString();
    return Reflect.construct(RealDate, args.length === 0 ? [RealDate.now() + offset] : args, new.target);
  }
  ShiftedDate.prototype = RealDate.prototype;
  ShiftedDate.now = () => RealDate.now() + offset;
  ShiftedDate.parse = RealDate.parse;
  ShiftedDate.UTC = RealDate.UTC;
  Object.defineProperty(RealDate.prototype, "constructor", { value: ShiftedDate, writable: true, configurable: true });
  globalThis.Date = ShiftedDate;
}
