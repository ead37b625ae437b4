/** Registers every ONNX converter (each module registers itself on import). */
import "./datetime-parts.js";
import "./dummy.js";
import "./encoders.js";
import "./imputer.js";
import "./scalers.js";
import "./composites.js";
import "./trees.js";
import "./linear.js";
import "./naive-bayes.js";
import "./neighbors.js";
import "./boosting.js";
