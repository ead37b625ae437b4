/** Model search as a library call: {@link runSearch} and what it reports. */
export { buildLeaderboard, type LeaderboardRow, leaderboardCsv } from "./leaderboard.js";
export {
  runSearch,
  SEARCH_ARTIFACTS,
  type SearchDeps,
  type SearchProgress,
  type SearchResult,
} from "./run-search.js";
export { checkMetric, metricsForTask } from "./search-metric.js";
export { SEARCH_DEFAULTS, type SearchOptions, type SearchPlan } from "./search-options.js";
export { TRIAL_TAGS } from "./trial-runs.js";
export { closeShelvedWorkers, SHELF_IDLE_MS } from "./worker-shelf.js";
