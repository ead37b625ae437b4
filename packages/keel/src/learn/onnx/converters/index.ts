/** Registers every ONNX converter (each module registers itself on import). */
import "./dummy.js";
