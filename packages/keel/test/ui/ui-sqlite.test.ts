import { defineUiSuite } from "./ui-suite.js";

defineUiSuite("sqlite");
