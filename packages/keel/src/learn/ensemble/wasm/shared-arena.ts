import { KeelError } from "../../../errors.js";

/** Bytes per WebAssembly page. */
const PAGE = 65_536;
/** The most pages a (32-bit) WebAssembly memory can have: 4 GiB. */
const MAX_PAGES = 65_536;
/** Alignment of every array (a cache line, so no two arrays share one). */
const ALIGN = 64;

type ArrayType = Uint8Array | Int32Array | Float64Array;

/**
 * Typed arrays carved one after the other out of one shared WebAssembly memory, so that
 * WebAssembly kernels (which address a single memory) and JavaScript see the same data, on the
 * calling thread and on worker threads (the memory and the arrays are posted to them; both share
 * the one backing store). The memory grows as arrays are taken; views taken before a growth stay
 * valid.
 */
export class SharedArena {
  /** The memory every array lives in. */
  readonly memory = new WebAssembly.Memory({ initial: 1, maximum: MAX_PAGES, shared: true });
  #next = ALIGN;

  /** A zeroed array of `length` elements of type `Ctor`. */
  take<T extends ArrayType>(
    Ctor: { new (buffer: ArrayBufferLike, byteOffset: number, length: number): T; BYTES_PER_ELEMENT: number },
    length: number,
  ): T {
    const at = this.#next;
    const end = at + Math.max(1, length) * Ctor.BYTES_PER_ELEMENT;
    const pages = Math.ceil(end / PAGE);
    const have = this.memory.buffer.byteLength / PAGE;
    if (pages > MAX_PAGES) {
      throw new KeelError(
        "INVALID_PARAMETER_VALUE",
        `Boosting needs ${(end / 2 ** 30).toFixed(1)} GiB of working memory, more than the 4 GiB one run can address: train on fewer rows or features`,
      );
    }
    if (pages > have) this.memory.grow(pages - have);
    this.#next = Math.ceil(end / ALIGN) * ALIGN;
    return new Ctor(this.memory.buffer, at, length);
  }
}
