// Healing the module after a trap, shared by pkg/index.js and pkg/parsers.js. A trap (a Rust
// panic, memory running out) leaves the instance in an unknown state; every call goes through
// `guard`, which re-instantiates the module (scripts/build.sh adds `__referSimReinstantiate` to
// the glue) and throws an Error with `code: "internal"` and `call`. Objects made before then
// throw `stale`, freed ones `freed`, one used inside its own call `busy`; none enters the module.

/** Marks an object with the instance generation it was made in. */
export const GEN = Symbol("refer-sim instance");
/** Set on an object while one of its calls runs. */
export const BUSY = Symbol("refer-sim busy");

/** What the engine throws when WebAssembly stops: a trap, or the stack overflowing inside
 * the module (V8 and Safari: a RangeError, Firefox: an InternalError, "too much recursion")
 * whose first frame is WebAssembly; one thrown by a callback is not. */
function isTrap(e) {
  if (e instanceof WebAssembly.RuntimeError) return true;
  if (!(e instanceof RangeError) && e?.name !== "InternalError") return false;
  return wasmFrame(firstFrame(e.stack));
}

/** The first frame of a stack: V8 starts with the message and writes frames as `at ...`;
 * Firefox and Safari write only frames, `name@where`. */
function firstFrame(stack) {
  const lines = String(stack ?? "").split("\n");
  return lines.find((line) => /^\s*at /.test(line)) ?? (lines[0]?.includes("@") ? lines[0] : "");
}

/** Whether a frame is in a WebAssembly module: V8 `at wasm://wasm/<hash>:wasm-function[N]:0x..`
 * (or `at name (wasm://wasm/..)`), Firefox `name@<url>:wasm-function[N]:0x..` (the WebAssembly
 * design's display convention, `<url>` the module's or `<script> line L > WebAssembly.instantiate`),
 * Safari `<?>.wasm-function[N]@[wasm code]`. The bare word "wasm" would also match a caller's own
 * file path (/srv/wasm-app/handler.js), which is why the engines' markers are matched instead. */
export function wasmFrame(frame) {
  return frame.includes("wasm://") || frame.includes("[wasm code]") || /wasm-function\[\d+\]/.test(frame);
}

/** An Error as the package throws them: `code`, `call`, `offset` and `field`. */
export function refErr(code, call, message, extra = {}) {
  return Object.assign(new Error(`refer-sim: ${call}: ${message}`, extra.cause ? { cause: extra.cause } : undefined), {
    code, call, offset: null, field: null,
  });
}

/**
 * The healing for one glue module (`glue`, wasm-bindgen's output edited by scripts/build.sh).
 * `objects` names, for messages, the classes whose objects a re-instantiation makes stale.
 */
export function healer(glue, objects) {
  /** Bumped at each re-instantiation: objects stamped with an older one are stale. */
  let generation = 0;
  /** Guarded calls on the stack (a callback such as `onWebhook` can call in again). */
  let depth = 0;
  /** The first trap of the running outermost call; set, every call refuses until it unwinds. */
  let trap = null;
  /** A re-instantiation is owed (it could not be done yet, or failed). */
  let owed = false;

  function internal(call, cause) {
    const why = cause ? `${cause.name}: ${cause.message}` : "the module could not be started again";
    return refErr("internal", call,
      `stopped inside the WebAssembly module (${why}). The module was started afresh: later calls work; ` +
        `objects made before (${objects}) are gone.`,
      { cause });
  }

  /** A fresh instance; every object of the old one is stale from now on. */
  function reinstantiate() {
    generation++;
    try {
      glue.__referSimReinstantiate();
      owed = false;
    } catch {
      owed = true;
    }
  }

  /** Runs `fn` (one call into the module), healing the module if it traps. */
  function guard(call, fn) {
    if (trap !== null) throw internal(call, trap);
    if (depth === 0 && owed) {
      reinstantiate();
      if (owed) throw internal(call, null);
    }
    depth++;
    let result;
    let error;
    let failed = false;
    try {
      result = fn();
    } catch (e) {
      failed = true;
      error = e;
      if (trap === null && isTrap(e)) trap = e;
    }
    depth--;
    if (trap !== null) {
      const cause = trap;
      // A trap in a nested call: the outer call is still running in the old instance,
      // so it is replaced only once the outermost call has unwound (and fails too).
      if (depth === 0) {
        trap = null;
        reinstantiate();
      }
      throw internal(call, cause);
    }
    if (failed) throw error;
    if (result !== null && typeof result === "object" && typeof result.__wbg_ptr === "number") result[GEN] = generation;
    return result;
  }

  /** Throws unless `obj` (marked live by `live(obj)`) belongs to the current instance and is not inside its own call. */
  function usable(obj, call, className, live) {
    if (obj === null || typeof obj !== "object" || !live(obj)) {
      throw refErr("freed", call, `this ${className} was freed (free(), or the end of its \`using\` block), or was not made by refer-sim`);
    }
    if (obj[GEN] !== generation) {
      throw refErr("stale", call, `this ${className} was made before the module was started afresh after an internal error; make a new one`);
    }
    if (obj[BUSY]) throw refErr("busy", call, `this ${className} is in the middle of a call (a callback cannot use it)`);
  }

  const glueLive = (obj) => Boolean(obj.__wbg_ptr);

  function method(className, name, fn) {
    const call = `${className}.${name}`;
    return function (...args) {
      usable(this, call, className, glueLive);
      this[BUSY] = true;
      try {
        return guard(call, () => fn.apply(this, args));
      } finally {
        this[BUSY] = false;
      }
    };
  }

  /** `free()`: once is enough (a second call does nothing); a stale object is only dropped. */
  function free(className, rawFree) {
    const call = `${className}.free`;
    return function () {
      if (!this?.__wbg_ptr) return;
      if (this[BUSY]) throw refErr("busy", call, `this ${className} is in the middle of a call (a callback cannot free it)`);
      if (this[GEN] !== generation) {
        this.__destroy_into_raw(); // its memory went with the old instance: nothing to free
        return;
      }
      guard(call, () => rawFree.call(this));
    };
  }

  /** Guards every method and getter of a glue class in place; returns the class users construct. */
  /** `Raw` with every method guarded; `args` rewrites the constructor's arguments. */
  function healClass(Raw, args = (a) => a) {
    const className = Raw.name;
    const proto = Raw.prototype;
    for (const key of Object.getOwnPropertyNames(proto)) {
      if (key === "constructor" || key.startsWith("__")) continue;
      const d = Object.getOwnPropertyDescriptor(proto, key);
      if (key === "free") d.value = free(className, d.value);
      else if (typeof d.value === "function") d.value = method(className, key, d.value);
      else if (d.get) d.get = method(className, key, d.get);
      else continue;
      Object.defineProperty(proto, key, d);
    }
    if (Symbol.dispose) proto[Symbol.dispose] = proto.free;
    const Healed = class extends Raw {
      constructor(...given) {
        guard(`new ${className}`, () => {
          super(...args(given));
        });
        this[GEN] = generation;
      }
      // Objects the module makes itself are instances too.
      static [Symbol.hasInstance](v) {
        return v instanceof Raw;
      }
    };
    Object.defineProperty(Healed, "name", { value: className });
    return Healed;
  }

  return { guard, healClass, usable, generation: () => generation };
}
