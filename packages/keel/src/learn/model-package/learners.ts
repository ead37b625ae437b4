/**
 * Imports every learner module so that each registers its class in learn/core's fixed
 * deserialization registry before a package is loaded. Loading picks classes from that registry
 * by type name; nothing else from a package can construct an object.
 */
import "../dummy/index.js";
import "../ensemble/index.js";
import "../pipeline/index.js";
import "../transform/index.js";
import "../tree/index.js";
import "../linear/index.js";
import "../naive-bayes/index.js";
import "../neighbors/index.js";
