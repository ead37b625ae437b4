import { defineUiSuite } from "./ui-suite.js";

defineUiSuite("postgresql");
