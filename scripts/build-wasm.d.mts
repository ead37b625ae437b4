/** Types of build-wasm.mjs (imported by the test that keeps compiled kernels in sync). */
export declare const WAT_SOURCES: string[];
export declare function compileWat(path: string): Promise<Buffer>;
export declare function wasmModuleText(source: string, bytes: Buffer): string;
export declare function generatedPath(source: string): string;
